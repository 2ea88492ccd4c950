"""``hucheng changcheng sbom``: a CycloneDX JSON SBOM of the dependencies found. Logic: changcheng.sbom."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from changcheng.sbom import SpecVersion
from hucheng.context import AppContext, pass_app
from hucheng.exitcodes import ExitCode


@click.command(name="sbom")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--env", is_flag=True, help="Also list the distributions installed in this Python environment.")
@click.option("--spec", type=click.Choice([s.value for s in SpecVersion]), default="1.6", show_default=True)
@click.option(
    "--name", "project", default=None, help="The project's name in the SBOM (default: the directory name)."
)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write the SBOM here.")
@pass_app
def command(
    app: AppContext, paths: tuple[Path, ...], env: bool, spec: str, project: str | None, output: Path | None
) -> int:
    """Write a CycloneDX JSON SBOM of the dependencies under PATH (default: .).

    \b
    Reads the same files as `changcheng deps`; needs no advisory database.

    \b
    Examples:
      hucheng changcheng sbom . -o sbom.cdx.json
      hucheng changcheng sbom requirements.txt package-lock.json --spec 1.5
    """
    from changcheng.commands.reportout import write_text_atomic
    from changcheng.deps.scan import collect
    from changcheng.sbom import build_bom, render_bom

    scan_paths = paths or (() if env else (Path("."),))
    collected = collect(scan_paths, root=Path("."), env=env)
    name = project or Path.cwd().name
    text = render_bom(build_bom(collected.dependencies, project=name), SpecVersion(spec))
    if output is None:
        sys.stdout.write(text)
    else:
        write_text_atomic(output, text)
    return ExitCode.OK
