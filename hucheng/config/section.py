"""The base of every config section: typed, frozen, and strict about unknown keys."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Section(BaseModel):
    """A block of ``hucheng.yaml``. Unknown keys are an error that names the closest known key."""

    model_config = ConfigDict(extra="forbid", frozen=True)
