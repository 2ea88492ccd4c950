from __future__ import annotations

import io

import pytest

from hucheng.output.progress import LineProgress, RichProgress, progress_display, wants_live_display
from hucheng.progress import ProgressEvent


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr("hucheng.output.progress.time.monotonic", fake)
    return fake


def test_quick_work_prints_nothing(clock: Clock) -> None:
    out = io.StringIO()
    show = LineProgress(out, interval=5)
    show(ProgressEvent("export", 10, 100))
    clock.now += 1
    show(ProgressEvent("export", 100, 100))
    assert out.getvalue() == ""


def test_long_work_prints_throttled_lines_and_the_end(clock: Clock) -> None:
    out = io.StringIO()
    show = LineProgress(out, interval=5)
    show(ProgressEvent("import", 1000, None, "lines checked"))
    for done in (2000, 3000, 4000):
        clock.now += 2
        show(ProgressEvent("import", done, None, "lines checked"))
    clock.now += 1
    show(ProgressEvent("import", 5000, 5000, "records checked"))
    assert out.getvalue().splitlines() == [
        "hucheng: import: 4000 lines checked",  # the first line once 5 s have passed
        "hucheng: import: 5000/5000 records checked",  # the end, though within 5 s of the last
    ]


def test_keys_are_throttled_separately(clock: Clock) -> None:
    out = io.StringIO()
    show = LineProgress(out, interval=1)
    show(ProgressEvent("a", 1, 3))
    show(ProgressEvent("b", 1, 3))
    clock.now += 1
    show(ProgressEvent("a", 2, 3))
    show(ProgressEvent("b", 2, 3))
    assert out.getvalue().splitlines() == ["hucheng: a: 2/3", "hucheng: b: 2/3"]


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_live_display_only_on_a_terminal_outside_ci() -> None:
    assert wants_live_display(Tty(), {})
    assert not wants_live_display(Tty(), {"CI": "true"})
    assert wants_live_display(Tty(), {"CI": "false"})
    assert not wants_live_display(io.StringIO(), {})


def test_progress_display_chooses_the_renderer() -> None:
    with progress_display(io.StringIO(), {}) as plain:
        assert isinstance(plain, LineProgress)
    tty = Tty()
    with progress_display(tty, {}) as live:
        assert isinstance(live, RichProgress)
        live(ProgressEvent("export", 5, 10, "records"))
        live(ProgressEvent("export", 10, 10, "records"))
    assert "export" in tty.getvalue()
