"""Shared output writers: rich tables on a terminal, JSON, JUnit XML."""

from __future__ import annotations

from hucheng.output.format import FORMATS, OutputFormat, format_option, resolve_format
from hucheng.output.table import Column, TableData

__all__ = ["FORMATS", "Column", "OutputFormat", "TableData", "format_option", "resolve_format"]
