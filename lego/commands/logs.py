"""``hucheng lego logs RUN [JOB]``: a run's stored output. Logic: lego.run.logs."""

from __future__ import annotations

import sys

import click

from hucheng.context import AppContext, pass_app
from hucheng.exitcodes import ExitCode
from hucheng.output.format import format_option, resolve_format


@click.command(name="logs")
@click.argument("run_id", metavar="RUN")
@click.argument("job", metavar="[JOB]", required=False)
@click.option("--follow", "-f", is_flag=True, help="Keep printing new lines until the run ends.")
@click.option("--timestamps", "-t", is_flag=True, help="Show each line's UTC time.")
@format_option()
@pass_app
def logs(
    app: AppContext, run_id: str, job: str | None, follow: bool, timestamps: bool, output_format: str | None
) -> int:
    """Print a run's logs: every job's, or one job's (by id or base name), prefixed by job.

    \b
    Examples:
      hucheng lego logs 20240501-101500-a1b2c3
      hucheng lego logs 20240501-101500-a1b2c3 test --follow
      hucheng lego logs 20240501-101500-a1b2c3 build --format json
    """
    import orjson

    from lego.errors import RunNotFoundError
    from lego.run.history import latest_run_state
    from lego.run.layout import run_dir
    from lego.run.logs import follow_logs, log_paths, read_logs

    settings = app.settings()
    with app.open_store() as store:
        state = latest_run_state(store, run_id)
        if state is None:
            raise RunNotFoundError(f"no lego run {run_id!r} in the store; `hucheng lego runs` lists runs")
        paths = log_paths(run_dir(settings.home, run_id), list(state.get("jobs", [])), job)

        def running() -> bool:
            now = latest_run_state(store, run_id)
            return now is not None and now["status"] in ("running", "waiting")

        # lines are written 512 at a time, and whenever all that is stored so far has been given
        # (follow) or at the end: one write per line (stdout is unbuffered under PYTHONUNBUFFERED,
        # common in CI images) made a million-line log take seconds
        batch: list[str] = []

        def flush() -> None:
            sys.stdout.write("".join(batch))
            batch.clear()
            sys.stdout.flush()

        lines = follow_logs(paths, running, on_idle=flush) if follow else read_logs(paths)
        as_json = resolve_format(output_format, app.output_format) == "json"
        printed = 0
        for line in lines:
            printed += 1
            if as_json:
                data = {"job": line.job, "time": line.time, "line": line.text}
                batch.append(orjson.dumps(data, option=orjson.OPT_APPEND_NEWLINE).decode())
            else:
                stamp = f"{line.time} " if timestamps else ""
                batch.append(f"{stamp}[{line.job}] {line.text}\n" if job is None else f"{stamp}{line.text}\n")
            if len(batch) >= 512:
                sys.stdout.write("".join(batch))
                batch.clear()
        flush()
    if not printed and not as_json:
        # a job that succeeded without printing anything keeps no log file (lego.run.job._store)
        what = f"job {job!r}" if job is not None else "no job"
        print(
            f"hucheng: {what} of run {run_id} printed nothing; `hucheng lego show {run_id}` has its steps",
            file=sys.stderr,
        )
    return ExitCode.OK
