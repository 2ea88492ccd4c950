"""One line for a failed HTTP request: requests nests urllib3's text several levels deep
(``HTTPConnectionPool(host=..., port=...): Max retries exceeded with url: ... (Caused by
NewConnectionError(...: [Errno 111] Connection refused))``); a person needs the last part."""

from __future__ import annotations

import re

_QUERY = re.compile(r"\?[^\s'\")]*")
_ERRNO = re.compile(r"\[Errno -?\d+\][^'\")]*")


def describe_request_error(exc: Exception) -> str:
    """``ConnectionError: [Errno 111] Connection refused``, ``ReadTimeout: timed out``, or the
    exception's own text (shortened); query strings are dropped, since they may carry tokens."""
    text = _QUERY.sub("?…", str(exc))
    cause = _ERRNO.search(text)
    if cause:
        return f"{type(exc).__name__}: {cause.group(0).strip()}"
    if "timed out" in text:
        return f"{type(exc).__name__}: timed out"
    return f"{type(exc).__name__}: {text[:200]}"
