"""An exit status in words, shared by dispatch's death messages and lego's step results."""

from __future__ import annotations

import signal

from hucheng.exitstatus import signal_name


def test_a_signal_by_its_name_and_an_unnamed_number_as_none() -> None:
    assert signal_name(signal.SIGKILL) == "SIGKILL"
    assert signal_name(15) == "SIGTERM"
    assert signal_name(999) is None
