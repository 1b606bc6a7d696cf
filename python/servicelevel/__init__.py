"""Exact SLA figures in business hours, from any DataFrame.

The engine is the Rust crate `servicelevel`; this package gives it to
Python and Arrow: a business :class:`Calendar` whose ``business_time`` and
``add_business_time`` take datetimes or whole columns (pyarrow, pandas,
Polars, numpy), :class:`Policy` objects (the crate's serde form, or a preset
by name), and :func:`evaluate`, which turns an events table into one row
per ticket x policy x cycle, shaped like ServiceNow's ``task_sla``; and the
service review (:func:`review`) of an export read through an
:class:`ExportProfile` under a :class:`ReportSpec`, as a :class:`Report`
with its tidy rows.
"""

from __future__ import annotations

from ._native import (
    PRESETS,
    Calendar,
    ConfigError,
    Error,
    EventError,
    ExportProfile,
    Ingested,
    InputError,
    MeasurementError,
    Policy,
    Report,
    ReportSpec,
    ReviewPart,
    __version__,
)
from ._columns import evaluate, TASK_SLA_SCHEMA
from ._review import ingest, load_profile, load_spec, merge_review_parts, read_export, review, review_part
from ._stream import evaluate_stream

__all__ = [
    "Calendar",
    "Policy",
    "ExportProfile",
    "ReportSpec",
    "Ingested",
    "Report",
    "evaluate",
    "evaluate_stream",
    "ingest",
    "review",
    "review_part",
    "merge_review_parts",
    "ReviewPart",
    "read_export",
    "load_profile",
    "load_spec",
    "TASK_SLA_SCHEMA",
    "PRESETS",
    "Error",
    "ConfigError",
    "EventError",
    "MeasurementError",
    "InputError",
    "__version__",
]
