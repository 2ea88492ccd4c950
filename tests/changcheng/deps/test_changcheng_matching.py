"""OSV matching semantics: version lists, ranges in version order, fixed versions, SemVer for npm."""

from __future__ import annotations

import pytest

from changcheng.advisories.model import Affected, Event, EventKind, Range
from changcheng.deps.matching import Matcher, named_versions

INT, F, LA, LIM = EventKind.INTRODUCED, EventKind.FIXED, EventKind.LAST_AFFECTED, EventKind.LIMIT


def entry(
    *events: tuple[EventKind, str], versions: tuple[str, ...] = (), eco: str = "PyPI", kind: str = ""
) -> Affected:
    rng = Range(kind or ("SEMVER" if eco == "npm" else "ECOSYSTEM"), tuple(Event(k, v) for k, v in events))
    return Affected(eco, "pkg", (rng,) if events else (), versions)


@pytest.mark.parametrize(
    ("events", "version", "expected"),
    [
        (((INT, "0"), (F, "2.0")), "1.9", True),
        (((INT, "0"), (F, "2.0")), "2.0", False),
        (((INT, "0"), (F, "2.0")), "2.0rc1", True),  # PEP 440: a pre-release comes before its release
        (((INT, "1.0"), (F, "2.0")), "0.9", False),
        (((INT, "1.0"), (LA, "1.5")), "1.5", True),
        (((INT, "1.0"), (LA, "1.5")), "1.5.1", False),
        (((INT, "0"),), "99", True),
        (((INT, "0"), (LIM, "3.0")), "2.9", True),
        (((INT, "0"), (LIM, "3.0")), "3.0", False),
        # two intervals in one range: [1.0, 1.2) and [2.0, 2.3)
        (((INT, "1.0"), (F, "1.2"), (INT, "2.0"), (F, "2.3")), "1.5", False),
        (((INT, "1.0"), (F, "1.2"), (INT, "2.0"), (F, "2.3")), "2.1", True),
        # events written out of order are sorted; adjacent intervals [0, 3.1.1) and [3.1.1, 3.1.3) join
        (
            ((INT, "0"), (F, "3.1.1"), (INT, "3.2.0"), (F, "3.2.2"), (INT, "3.1.1"), (F, "3.1.3")),
            "3.1.2",
            True,
        ),
        (
            ((INT, "0"), (F, "3.1.1"), (INT, "3.2.0"), (F, "3.2.2"), (INT, "3.1.1"), (F, "3.1.3")),
            "3.1.3",
            False,
        ),
    ],
)
def test_pep440_ranges(events: tuple[tuple[EventKind, str], ...], version: str, expected: bool) -> None:
    assert Matcher().affects(entry(*events), version) is expected


def test_explicit_versions_compare_as_pep440() -> None:
    a = entry(versions=("1.0", "0.12.01"))
    m = Matcher()
    assert m.affects(a, "1.0.0")  # 1.0 == 1.0.0
    assert m.affects(a, "0.12.1")  # 0.12.01 == 0.12.1
    assert not m.affects(a, "1.0.1")


def test_listed_or_in_range() -> None:
    # OSV: affected when the list names it or a range contains it
    a = entry((INT, "2.0"), (F, "2.1"), versions=("1.5",))
    m = Matcher()
    assert m.affects(a, "1.5") and m.affects(a, "2.0.5") and not m.affects(a, "1.6")


def test_unparsable_versions_fall_back_to_the_list() -> None:
    a = entry((INT, "0"), (F, "1.0"), versions=("0.7.10p1",))
    m = Matcher()
    assert m.range_affects(a, "0.7.10p1") is None  # not PEP 440: the range cannot say
    assert m.affects(a, "0.7.10p1")  # the list can
    bad_range = entry((INT, "0"), (F, "not.a.version!"))
    assert m.range_affects(bad_range, "0.5") is None


def test_git_ranges_are_not_evaluated() -> None:
    a = entry((INT, "0"), (F, "a1b2c3d"), kind="GIT")
    assert Matcher().range_affects(a, "1.0") is None
    assert named_versions(a) == set()


def test_npm_semver() -> None:
    a = entry((INT, "0"), (F, "4.17.21"), eco="npm")
    m = Matcher()
    assert m.affects(a, "4.17.20")
    assert not m.affects(a, "4.17.21")
    assert m.affects(a, "4.17.21-beta.1")  # SemVer pre-release sorts before the release
    assert not m.affects(a, "10.0.0")  # numeric, not lexical, order


def test_smallest_fixed_version_above_installed() -> None:
    a = entry((INT, "1.0"), (F, "1.5"), (INT, "2.0"), (F, "2.3"))
    m = Matcher()
    assert m.fixed_above(a, "1.2") == ["1.5", "2.3"]
    assert m.fixed_above(a, "2.1") == ["2.3"]
    assert m.fixed_above(a, "3.0") == []


@pytest.mark.parametrize(
    "version", ["1.0.0", "0.0", "0", "10.0", "1.10", "2.0.0.0", "1.01", "00", "1.0rc1", "1!2.0"]
)
def test_canonical_forms_agree_with_packaging(version: str) -> None:
    from packaging.utils import canonicalize_version

    from changcheng.advisories.names import canonical_version

    assert canonical_version("PyPI", version) == canonicalize_version(version, strip_trailing_zero=True)
