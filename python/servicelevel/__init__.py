"""Exact SLA figures in business hours, from any DataFrame.

The engine is the Rust crate `servicelevel`; this package gives it to
Python and Arrow: a business :class:`Calendar` whose ``business_time`` and
``add_business_time`` take datetimes or whole columns (pyarrow, pandas,
Polars, numpy), :class:`Policy` objects (the crate's serde form, or a preset
by name), and :func:`evaluate`, which turns an events table into one row
per ticket x policy x cycle, shaped like ServiceNow's ``task_sla``.
"""

from __future__ import annotations

from ._native import (
    PRESETS,
    Calendar,
    ConfigError,
    Error,
    EventError,
    InputError,
    MeasurementError,
    Policy,
    __version__,
)
from ._columns import evaluate, TASK_SLA_SCHEMA

__all__ = [
    "Calendar",
    "Policy",
    "evaluate",
    "TASK_SLA_SCHEMA",
    "PRESETS",
    "Error",
    "ConfigError",
    "EventError",
    "MeasurementError",
    "InputError",
    "__version__",
]
