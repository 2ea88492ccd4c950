"""Every error's docs pointer (``[docs/errors.md#slug]``) leads to a section that exists."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from hucheng.errors import HuchengError

ROOT = Path(__file__).resolve().parents[2]
#: every module that defines errors; a tool's errors.py joins this list when the tool lands
ERROR_MODULES = ("hucheng.errors", "tianyan.errors", "changcheng.errors", "lego.errors")
PACKAGES = ("cli.py", "hucheng", "tianyan", "changcheng", "lego", "mojing", "huabao", "baibaoxiang")


def _sections() -> set[str]:
    text = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    return set(re.findall(r"^## (\S+)\s*$", text, flags=re.M))


def _classes(cls: type[HuchengError]) -> list[type[HuchengError]]:
    out = [cls]
    for sub in cls.__subclasses__():
        out.extend(_classes(sub))
    return out


def test_every_error_class_slug_has_a_section() -> None:
    for module in ERROR_MODULES:
        importlib.import_module(module)
    missing = {c.__qualname__: c.slug for c in _classes(HuchengError) if c.slug not in _sections()}
    assert missing == {}


def test_every_slug_given_at_a_raise_site_has_a_section() -> None:
    used: dict[str, str] = {}
    for name in PACKAGES:
        base = ROOT / name
        files = [base] if base.is_file() else sorted(base.rglob("*.py"))
        for path in files:
            for slug in re.findall(r"""slug\s*=\s*["']([a-z0-9-]+)["']""", path.read_text(encoding="utf-8")):
                used.setdefault(slug, str(path.relative_to(ROOT)))
    assert len(used) > 10  # the scan found the slugs (a broken pattern would pass vacuously)
    missing = {slug: where for slug, where in used.items() if slug not in _sections()}
    assert missing == {}
