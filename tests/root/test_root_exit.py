"""How the ``hucheng`` process ends: at once when nothing is left running, after the work otherwise."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _python(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )


def test_ending_runs_atexit_handlers_flushes_output_and_keeps_the_code(tmp_path: Path) -> None:
    mark = tmp_path / "atexit-ran"
    proc = _python(
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); import atexit, cli\n"
        f"atexit.register(lambda: open({str(mark)!r}, 'w').write('yes'))\n"
        "sys.stdout.write('buffered, not flushed')\n"
        "cli._exit(3)\n",
        tmp_path,
    )
    assert proc.returncode == 3
    assert proc.stdout == "buffered, not flushed"
    assert mark.read_text() == "yes"


def test_ending_waits_for_a_thread_that_is_still_working(tmp_path: Path) -> None:
    done = tmp_path / "thread-finished"
    proc = _python(
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); import threading, time, cli\n"
        "def work():\n"
        "    time.sleep(0.3)\n"
        f"    open({str(done)!r}, 'w').write('yes')\n"
        "threading.Thread(target=work).start()\n"
        "cli._exit(0)\n",
        tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert done.read_text() == "yes"
