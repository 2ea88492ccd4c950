"""The pipeline file's schema, declared once as strict pydantic models (unknown keys are errors).

These models check shape and types; :mod:`lego.spec.build` turns them into :class:`lego.model.Job`.
Values that keep their written text (``env``, ``with``, matrix values) are typed ``Any`` here and
converted with :func:`lego.spec.yamldoc.scalar_text`, so ``3.10`` stays ``"3.10"``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt, model_validator


class Raw(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False, coerce_numbers_to_str=True)


StrList = list[str] | str  # ``junit: report.xml`` or a list


class StepSpec(Raw):
    id: str | None = None
    name: str | None = None
    run: str | None = None
    uses: str | None = None
    with_: dict[str, Any] = Field(default_factory=dict, alias="with")
    shell: str | None = None
    if_: str | bool | None = Field(default=None, alias="if")
    env: dict[str, Any] = Field(default_factory=dict)
    timeout: str | None = None
    continue_on_error: bool = Field(default=False, alias="continue-on-error")
    working_directory: str | None = Field(default=None, alias="working-directory")

    @model_validator(mode="after")
    def _run_or_uses(self) -> StepSpec:
        if (self.run is None) == (self.uses is None):
            raise ValueError("a step needs exactly one of 'run:' or 'uses:'")
        if self.with_ and self.uses is None:
            raise ValueError("'with:' belongs to a 'uses:' step")
        return self


class RetrySpec(Raw):
    max: NonNegativeInt = 0
    when: list[int | str] | int | str = Field(default_factory=list)


class CacheEntrySpec(Raw):
    key: str
    paths: StrList
    restore_keys: StrList = Field(default_factory=list, alias="restore-keys")


class ConcurrencySpec(Raw):
    group: str
    cancel_in_progress: bool = Field(default=False, alias="cancel-in-progress")


class JobSpec(Raw):
    name: str | None = None
    extends: StrList = Field(default_factory=list)
    needs: StrList = Field(default_factory=list)
    uses: str | None = None  # a brick as the whole job
    with_: dict[str, Any] = Field(default_factory=dict, alias="with")
    steps: list[StepSpec] = Field(default_factory=list)
    matrix: dict[str, Any] = Field(default_factory=dict)
    if_: str | bool | None = Field(default=None, alias="if")
    env: dict[str, Any] = Field(default_factory=dict)
    shell: str | None = None  # default shell of this job's ``run:`` steps
    timeout: str | None = None
    retry: RetrySpec | NonNegativeInt | None = None
    continue_on_error: bool = Field(default=False, alias="continue-on-error")
    working_directory: str | None = Field(default=None, alias="working-directory")
    outputs: dict[str, str] = Field(default_factory=dict)
    artifacts: StrList = Field(default_factory=list)
    cache: list[CacheEntrySpec] | CacheEntrySpec | None = None
    inputs: StrList = Field(default_factory=list)
    cache_env: StrList = Field(default_factory=list, alias="cache-env")
    junit: StrList = Field(default_factory=list)
    environment: str | None = None
    concurrency: ConcurrencySpec | str | None = None
    manual: bool = False

    @model_validator(mode="after")
    def _steps_or_uses(self) -> JobSpec:
        if self.uses is None and not self.steps:
            raise ValueError("a job needs 'steps:' (a list of run:/uses: steps) or 'uses: BRICK'")
        if self.uses is not None and self.steps:
            raise ValueError("a job has either 'steps:' or 'uses: BRICK', not both")
        if self.with_ and self.uses is None:
            raise ValueError("'with:' belongs to a job with 'uses: BRICK'")
        return self


class PipelineSpec(Raw):
    """The top level. ``jobs`` and ``templates`` stay mappings here: each job is validated on its own
    (after ``extends:``), so one bad job does not hide the problems of the others."""

    name: str | None = None
    include: StrList = Field(default_factory=list)
    env: dict[str, Any] = Field(default_factory=dict)
    shell: str | None = None
    secrets: StrList = Field(default_factory=list)
    templates: dict[str, dict[str, Any]] = Field(default_factory=dict)
    jobs: dict[str, dict[str, Any]] = Field(default_factory=dict)


class BrickInputSpec(Raw):
    description: str = ""
    type: str = "string"  # string | number | boolean | choice
    required: bool = False
    default: Any = None
    options: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _known_type(self) -> BrickInputSpec:
        if self.type not in ("string", "number", "boolean", "choice"):
            raise ValueError(f"type {self.type!r} is not one of string, number, boolean, choice")
        if self.type == "choice" and not self.options:
            raise ValueError("a 'choice' input lists its 'options'")
        return self


class BrickOutputSpec(Raw):
    description: str = ""


class BrickJobSpec(Raw):
    """Job keys a brick sets when it is used as a whole job (``jobs.x.uses: BRICK``)."""

    junit: StrList = Field(default_factory=list)
    artifacts: StrList = Field(default_factory=list)
    inputs: StrList = Field(default_factory=list)
    outputs: dict[str, str] = Field(default_factory=dict)
    environment: str | None = None
    timeout: str | None = None


class BrickSpec(Raw):
    name: str
    version: str
    description: str = ""
    status: str = "stable"  # or e.g. "preview: needs `hucheng huabao audit`"
    inputs: dict[str, BrickInputSpec] = Field(default_factory=dict)
    outputs: dict[str, BrickOutputSpec | None] = Field(default_factory=dict)
    env: dict[str, Any] = Field(default_factory=dict)
    steps: list[StepSpec]
    job: BrickJobSpec = Field(default_factory=BrickJobSpec)


def as_list(value: list[Any] | str | int | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def pipeline_json_schema() -> dict[str, Any]:
    """JSON Schema of ``.lego.yml`` for editors, from the same models that validate it (jobs and
    templates are validated one by one, after ``extends:``, so a template's keys are all optional)."""
    schema = PipelineSpec.model_json_schema(by_alias=True, ref_template="#/$defs/{model}")
    job = JobSpec.model_json_schema(by_alias=True, ref_template="#/$defs/{model}")
    defs = {**schema.pop("$defs", {}), **job.pop("$defs", {}), "JobSpec": job}
    template = {k: v for k, v in job.items() if k != "required"}
    template["title"] = "Template"
    defs["Template"] = template
    # what the models' validators check, for editors too
    job["anyOf"] = [{"required": ["steps"]}, {"required": ["uses"]}, {"required": ["extends"]}]
    defs["StepSpec"]["oneOf"] = [{"required": ["run"]}, {"required": ["uses"]}]
    props = schema["properties"]
    props["jobs"] = {"type": "object", "additionalProperties": {"$ref": "#/$defs/JobSpec"}}
    props["templates"] = {"type": "object", "additionalProperties": {"$ref": "#/$defs/Template"}}
    schema["$defs"] = defs
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = ".lego.yml"
    return schema


def brick_json_schema() -> dict[str, Any]:
    """JSON Schema of a brick file."""
    schema = BrickSpec.model_json_schema(by_alias=True, ref_template="#/$defs/{model}")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "lego brick"
    return schema
