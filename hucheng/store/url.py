"""Store URLs: which backend, and where.

Accepted forms::

    sqlite:///relative/path.db      relative to the current directory (SQLAlchemy's convention)
    sqlite:////absolute/path.db     an absolute path
    /some/path.db, ./hucheng.db     a plain filesystem path (an SQLite store)
    elasticsearch://..., es+https://...   reserved for the Elasticsearch backend (not in this version)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from hucheng.errors import StoreError, UsageError

ACCEPTED = "sqlite:///relative/path.db, sqlite:////absolute/path.db or a file path"
_ELASTICSEARCH_SCHEMES = (
    "elasticsearch",
    "elasticsearch+http",
    "elasticsearch+https",
    "es",
    "es+http",
    "es+https",
)


@dataclass(frozen=True)
class StoreURL:
    #: a key of :data:`hucheng.store.factory.BACKENDS`
    backend: str
    #: the URL as given (for backends addressed by URL)
    url: str
    #: the file, for file-based backends
    path: Path | None = None


def parse_store_url(url: str) -> StoreURL:
    """Parse ``url``; :class:`UsageError` for a form we do not know, :class:`StoreError` for ES."""
    text = url.strip()
    if not text:
        raise UsageError(f"the store URL is empty; expected {ACCEPTED}")
    scheme, sep, rest = text.partition("://")
    if not sep:
        if ":" in text.split("/")[0] and not Path(text).drive:
            raise UsageError(f"store URL {url!r} is not understood; expected {ACCEPTED}")
        return StoreURL("sqlite", text, Path(text).expanduser())
    scheme = scheme.lower()
    if scheme in _ELASTICSEARCH_SCHEMES:
        raise StoreError(
            f"store URL {_redact(text)!r}: the Elasticsearch backend is not available in this version; "
            "use sqlite:///path/hucheng.db"
        )
    if scheme != "sqlite":
        raise UsageError(f"store URL {_redact(text)!r}: unknown scheme {scheme!r}; expected {ACCEPTED}")
    if not rest.startswith("/") or rest == "/":
        raise UsageError(f"store URL {url!r} has no file path; expected {ACCEPTED}")
    path = unquote(rest[1:].split("?", 1)[0])
    if not path or path.endswith("/"):
        raise UsageError(f"store URL {url!r} does not name a file; expected {ACCEPTED}")
    if path == ":memory:":
        raise UsageError(f"store URL {url!r}: an in-memory store would lose every record; name a file")
    return StoreURL("sqlite", text, Path(path).expanduser())


def _redact(url: str) -> str:
    """``url`` without a password (``user:secret@host`` -> ``user:***@host``)."""
    scheme, sep, rest = url.partition("://")
    netloc, slash, tail = rest.partition("/")
    if "@" in netloc:
        creds, _, host = netloc.rpartition("@")
        user = creds.split(":", 1)[0]
        netloc = f"{user}:***@{host}"
    return f"{scheme}{sep}{netloc}{slash}{tail}"
