"""Lego's errors, under :class:`hucheng.errors.HuchengError` (exit codes mapped in cli.py).

    LegoError                    exit 2
    ├── PipelineError            the pipeline file is invalid (file:line:col): schema, cycle in
    │                            ``needs``, unknown brick input
    ├── ExpressionError          a ``${{ }}`` expression cannot be parsed or evaluated (position)
    ├── BrickError               a brick cannot be found or loaded
    └── RunNotFoundError         no run with that id in the store

A pipeline that runs and fails is not an error: it is exit 1 (findings), returned by the command.
"""

from __future__ import annotations

from hucheng.errors import HuchengError


class LegoError(HuchengError):
    slug = "lego"


class PipelineError(LegoError):
    slug = "lego-pipeline"


class ExpressionError(LegoError):
    slug = "lego-expression"


class BrickError(LegoError):
    slug = "lego-brick"


class RunNotFoundError(LegoError):
    slug = "lego-run-not-found"


# -- raised while running (lego.run); appended by lego-runner ---------------------------------------
#    LegoError
#    ├── StepProtocolError        a step wrote a malformed $LEGO_OUTPUT / $LEGO_ENV file (the step fails)
#    ├── ArtifactError            an artifact or cache copy failed (disk full, permissions)
#    ├── SecretError              a secret named by the pipeline or --secret is not set, or the
#    │                            secrets file cannot be read
#    └── RunStateError            a run cannot be resumed, retried, cancelled or approved in its state


class StepProtocolError(LegoError):
    slug = "lego-step-protocol"


class ArtifactError(LegoError):
    slug = "lego-artifact"


class SecretError(LegoError):
    slug = "lego-secret"


class RunStateError(LegoError):
    slug = "lego-run-state"
