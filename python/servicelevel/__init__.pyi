import datetime as _dt
from typing import Any, Literal

import pyarrow as pa

from ._native import (
    PRESETS as PRESETS,
    Calendar as Calendar,
    ConfigError as ConfigError,
    Error as Error,
    EventError as EventError,
    InputError as InputError,
    MeasurementError as MeasurementError,
    Policy as Policy,
    __version__ as __version__,
)

TASK_SLA_SCHEMA: pa.Schema

def evaluate(
    events: Any,
    policies: Policy | list[Policy],
    calendar: Calendar,
    as_of: _dt.datetime,
    *,
    ticket: str = "ticket",
    at: str = "at",
    action: str | None = None,
    fields: list[str] | None = None,
    rows: Literal["changes", "snapshots"] = "changes",
    errors: Literal["raise", "report"] = "raise",
    naive: Literal["error", "utc"] | str = "error",
) -> pa.Table: ...
