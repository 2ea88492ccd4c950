"""Run checks concurrently with a bound and jitter; a check that overruns its timeout is abandoned
(reported as failed) without holding up the others.

Each check kind enforces its own timeout where it can (requests, sockets, subprocess); the runner's
deadline (the check's timeout plus a grace second) catches the rest, e.g. a DNS lookup that hangs.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import UTC, datetime

from tianyan.checks.base import CheckBase, CheckKind, CheckResult, Observation
from tianyan.checks.kinds import CHECK_KINDS
from tianyan.model import Sample

log = logging.getLogger(__name__)
GRACE_SECONDS = 1.0


def _kind_of(check: CheckBase) -> str:
    return str(getattr(check, "kind", ""))


def _result(check: CheckBase, started: datetime, elapsed: float, obs: Observation) -> CheckResult:
    base = {"check": check.name, **check.labels}
    samples = [Sample(name, {**base, **labels}, value, started) for name, labels, value in obs.samples]
    samples.append(Sample("tianyan_check_success", base, 1.0 if obs.success else 0.0, started))
    samples.append(Sample("tianyan_check_duration_seconds", base, elapsed, started))
    return CheckResult(check.name, _kind_of(check), started, obs.success, elapsed, tuple(samples), obs.error)


def run_one(check: CheckBase, kinds: Mapping[str, CheckKind] = CHECK_KINDS) -> CheckResult:
    """Run ``check`` in this thread; any exception becomes a failed result naming it."""
    started = datetime.now(UTC)
    t0 = time.perf_counter()
    try:
        obs = kinds[_kind_of(check)].run(check, check.timeout_seconds)
    except Exception as exc:  # a broken check fails itself, never the run
        log.debug("check %s raised", check.name, exc_info=True)
        obs = Observation([], False, f"{type(exc).__name__}: {exc}")
    return _result(check, started, time.perf_counter() - t0, obs)


def run_checks(
    checks: Sequence[CheckBase],
    *,
    concurrency: int = 16,
    jitter_seconds: float = 0.0,
    kinds: Mapping[str, CheckKind] = CHECK_KINDS,
    on_result: Callable[[CheckResult], None] = lambda result: None,
) -> list[CheckResult]:
    """Run every check once, at most ``concurrency`` at a time, each started after a random delay of
    up to ``jitter_seconds``; results in the order of ``checks``."""
    if not checks:
        return []
    # daemon-like: a hung worker thread must not keep the process alive, so no `with` (no join)
    pool = ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(checks))), thread_name_prefix="check")
    starts: dict[int, float] = {}
    lock = threading.Lock()

    def task(index: int, check: CheckBase) -> CheckResult:
        if jitter_seconds > 0:
            time.sleep(random.uniform(0, jitter_seconds))
        with lock:
            starts[index] = time.monotonic()
        return run_one(check, kinds)

    futures: dict[Future[CheckResult], int] = {pool.submit(task, i, c): i for i, c in enumerate(checks)}
    results: dict[int, CheckResult] = {}
    pending = set(futures)
    while pending:
        done, pending = wait(pending, timeout=0.05, return_when=FIRST_COMPLETED)
        for fut in done:
            results[futures[fut]] = fut.result()
            on_result(results[futures[fut]])
        now = time.monotonic()
        for fut in list(pending):
            index = futures[fut]
            with lock:
                began = starts.get(index)
            check = checks[index]
            if began is not None and now - began > check.timeout_seconds + GRACE_SECONDS:
                pending.discard(fut)
                fut.cancel()
                started = datetime.now(UTC)
                obs = Observation([], False, f"timed out after {check.timeout_seconds:g}s")
                results[index] = _result(check, started, now - began, obs)
                on_result(results[index])
    pool.shutdown(wait=False, cancel_futures=True)
    return [results[i] for i in range(len(checks))]
