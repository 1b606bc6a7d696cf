import datetime as _dt
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa

from ._native import (
    PRESETS as PRESETS,
    Calendar as Calendar,
    ConfigError as ConfigError,
    Error as Error,
    EventError as EventError,
    ExportProfile as ExportProfile,
    Ingested as Ingested,
    Report as Report,
    ReportSpec as ReportSpec,
    ReviewPart as ReviewPart,
    InputError as InputError,
    MeasurementError as MeasurementError,
    Policy as Policy,
    __version__ as __version__,
)

TASK_SLA_SCHEMA: pa.Schema

def evaluate(
    events: Any,
    policies: Policy | list[Policy] | None = None,
    calendar: Calendar | None = None,
    as_of: _dt.datetime | None = None,
    *,
    spec: ReportSpec | None = None,
    service: str | None = None,
    profile: ExportProfile | None = None,
    ticket: str = "ticket",
    at: str = "at",
    action: str | None = None,
    fields: list[str] | None = None,
    rows: Literal["changes", "snapshots"] = "changes",
    errors: Literal["raise", "report"] = "raise",
    naive: Literal["error", "utc"] | str = "error",
) -> pa.Table: ...

def load_profile(path: str | Path) -> ExportProfile: ...
def load_spec(path: str | Path) -> ReportSpec: ...
def read_export(path: str | Path) -> pa.Table: ...
def ingest(export: Any, profile: ExportProfile, *, source: str | None = None) -> Ingested: ...
def review(
    export: Any,
    spec: ReportSpec,
    profile: ExportProfile | None = None,
    *,
    service: str | None = None,
    as_of: _dt.datetime | None = None,
) -> Report: ...
def review_part(
    export: Any,
    spec: ReportSpec,
    profile: ExportProfile | None = None,
    *,
    as_of: _dt.datetime,
    service: str | None = None,
    source: str | None = None,
) -> ReviewPart: ...
def merge_review_parts(parts: Any, spec: ReportSpec, *, as_of: _dt.datetime) -> Report: ...
def evaluate_stream(
    batches: Any,
    policies: Policy | list[Policy],
    calendar: Calendar,
    as_of: _dt.datetime,
    *,
    ticket: str = "ticket",
    **options: Any,
) -> Any: ...
