"""A pipeline after loading: plain, frozen, JSON-serialisable data, shared by the loader and the runner.

``lego.spec`` turns ``.lego.yml`` (with bricks, ``extends:``, ``include:`` and matrices) into a
:class:`Pipeline`; ``lego.run`` executes one. Nothing here refers to a process, a file handle or a
store, so a job can later be sent to another machine (Celery) as it is.

Expressions stay as text (``${{ ... }}`` inside strings; ``if`` conditions without the braces): they
are evaluated at run time by ``lego.spec.expressions`` against the run's context (env, matrix, needs'
outputs and results, git, the job status so far).

Added by lego-spec (defaults keep older data loadable): ``Step.group``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SourcePos:
    """Where something was written: the file it came from (a brick's file for brick steps) and line."""

    file: str
    line: int
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Retry:
    """``retry: {max: 2, when: [1, timeout]}``; an empty ``when`` retries any failure."""

    max: int = 0
    #: exit codes as strings ("1", "137") and/or "timeout"
    when: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    id: str  # the step's ``id:``, else "step-<n>" (1-based)
    name: str
    #: the script; may contain ${{ }} expressions, rendered just before the step runs
    run: str
    #: argv before the script, e.g. ("bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c")
    shell: tuple[str, ...]
    pos: SourcePos
    env: Mapping[str, str] = field(default_factory=dict)
    if_: str | None = None  # expression text, no braces; None means success()
    timeout_seconds: float | None = None
    continue_on_error: bool = False
    working_directory: str | None = None
    #: "name@version" of the brick this step came from (``uses:``), for cache keys and logs
    brick: str | None = None
    #: added by lego-spec: the id of the ``uses:`` step this step was expanded from (its steps have ids
    #: "<group>.<brick step id>"); ``steps.<group>.outputs`` should gather the outputs of the group's steps
    group: str | None = None
    #: on the last step of a ``uses:`` group: the outputs its brick declares (checked once it has run)
    brick_outputs: tuple[str, ...] = ()
    #: for a brick's step: where the pipeline's ``uses:`` step that brought it in is written (``pos`` is
    #: in the brick's file), so a failure names the line the user wrote
    uses_pos: SourcePos | None = None

    def where(self) -> str:
        """The step's place for messages: the ``uses:`` line and the brick's line for a brick step."""
        if self.uses_pos is None:
            return str(self.pos)
        return f"{self.uses_pos}, brick {self.brick} line {self.pos.line}"


@dataclass(frozen=True)
class CacheSpec:
    """``cache:`` entry: directories restored before and saved after the job, keyed by an expression
    (typically with ``hashFiles(...)``)."""

    key: str
    paths: tuple[str, ...]
    restore_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class Job:
    """One runnable job: a job from the file, or one instance of its matrix."""

    id: str  # unique after expansion: "lint", "test (python=3.11, os=linux)"
    base: str  # the key under ``jobs:`` ("test")
    steps: tuple[Step, ...]
    pos: SourcePos
    matrix: Mapping[str, str] = field(default_factory=dict)  # this instance's values; {} if none
    #: base job keys this job needs; it waits for every instance of each
    needs: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    if_: str | None = None
    timeout_seconds: float | None = None
    retry: Retry = field(default_factory=Retry)
    continue_on_error: bool = False
    working_directory: str | None = None
    outputs: Mapping[str, str] = field(default_factory=dict)  # name -> expression text
    artifacts: tuple[str, ...] = ()  # globs, relative to the working directory
    cache: tuple[CacheSpec, ...] = ()
    #: globs whose file contents enter the job's content-hash key
    inputs: tuple[str, ...] = ()
    #: environment variable names whose values enter the key
    cache_env: tuple[str, ...] = ()
    junit: tuple[str, ...] = ()  # JUnit XML report globs to parse and store
    environment: str | None = None  # e.g. "production": records a deployment
    concurrency_group: str | None = None
    cancel_in_progress: bool = False
    manual: bool = False  # waits for `hucheng lego approve RUN JOB`
    #: matrix settings of the base job, shared by its instances
    max_parallel: int | None = None
    fail_fast: bool = True


@dataclass(frozen=True)
class Pipeline:
    path: str
    jobs: Mapping[str, Job]  # expanded id -> job, in file order
    env: Mapping[str, str] = field(default_factory=dict)
    #: names of secrets (env variables, or files given by `secrets:`) whose values are masked
    secrets: tuple[str, ...] = ()
    #: brick name -> version, for every brick used (cache keys include them)
    bricks: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class GitInfo:
    """The workspace's commit for ``github.*``-like expressions and run triggers (empty outside git)."""

    branch: str = ""
    sha: str = ""
    author: str = ""
    base_ref: str = ""  # what changes('glob') compares with
