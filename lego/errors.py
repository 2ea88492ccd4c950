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
