"""Type stubs of the native module (the Rust engine)."""

import datetime as _dt
from typing import Any, Literal

import pyarrow as pa

__version__: str
PRESETS: list[str]

Naive = Literal["error", "utc"] | str
ConventionName = Literal["earliest_instant", "next_opening"]

class Error(Exception):
    """Every error servicelevel raises."""

    kind: str
    field: str | None
    input: str | None
    ticket: str | None
    row: int | None

class ConfigError(Error): ...
class EventError(Error): ...
class MeasurementError(Error): ...
class InputError(Error): ...

class Calendar:
    """A business calendar: weekly hours in an IANA zone, holidays and closures."""

    def __init__(self, config: dict[str, Any] | str) -> None: ...
    @staticmethod
    def from_json(text: str) -> Calendar: ...
    @staticmethod
    def always_open() -> Calendar: ...
    def to_json(self) -> str: ...
    def business_time(self, start: Any, end: Any, naive: Naive = "error") -> Any:
        """A timedelta for two aware datetimes; a column (of the input's kind) for columns."""
    def add_business_time(
        self, start: Any, amount: Any, naive: Naive = "error", convention: ConventionName = "earliest_instant"
    ) -> Any:
        """A UTC datetime for a datetime and a timedelta; a column for columns."""
    def is_open(self, at: _dt.datetime) -> bool: ...
    def _business_time_ns(self, starts: pa.Array, ends: pa.Array) -> pa.Array: ...
    def _add_business_time_ns(self, starts: pa.Array, amounts: pa.Array, convention: str = ...) -> pa.Array: ...

class Policy:
    """A validated SLA, OLA or underpinning-contract policy."""

    def __init__(self, config: dict[str, Any] | str) -> None: ...
    @staticmethod
    def from_json(text: str) -> Policy: ...
    @staticmethod
    def preset(
        name: str,
        target: dict[str, Any] | str,
        lifecycle: dict[str, Any] | str | None = None,
        group: str | None = None,
    ) -> Policy: ...
    @staticmethod
    def first_match(alternatives: list[Policy]) -> list[Policy]: ...
    @property
    def id(self) -> str: ...
    def to_json(self) -> str: ...

class ExportProfile:
    """How an export's rows become tickets."""

    def __init__(self, config: dict[str, Any] | str) -> None: ...
    @staticmethod
    def from_json(text: str) -> ExportProfile: ...
    def to_json(self) -> str: ...

class ReportSpec:
    """What a review measures: catalog, lifecycle, periods, breakdowns."""

    def __init__(self, config: dict[str, Any] | str) -> None: ...
    @staticmethod
    def from_json(text: str) -> ReportSpec: ...
    def to_json(self) -> str: ...

class Ingested:
    """An export read through a profile: timelines, ledger, recorded verdicts."""

    @property
    def tickets(self) -> int: ...
    @property
    def latest(self) -> _dt.datetime | None: ...
    def ledger_json(self) -> str: ...

class Report:
    """A service review."""

    @staticmethod
    def from_json(text: str) -> Report: ...
    def to_json(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
    def rows(self) -> pa.Table: ...

def _ingest(table: pa.Table, profile: ExportProfile, source: str) -> Ingested: ...
def _review(ingested: Ingested, spec: ReportSpec, service: str | None = None, as_of: _dt.datetime | None = None) -> Report: ...

class ReviewPart:
    """One worker's share of a review: its tickets' tallies and its rows' ledger; pickles."""

    @property
    def tickets(self) -> int: ...
    @staticmethod
    def from_json(text: str) -> ReviewPart: ...
    def to_json(self) -> str: ...

def _review_part(ingested: Ingested, spec: ReportSpec, as_of: _dt.datetime, service: str | None = None) -> ReviewPart: ...
def _merge_review_parts(parts: list[ReviewPart], spec: ReportSpec, as_of: _dt.datetime) -> Report: ...
def _evaluate_ingested(
    ingested: Ingested,
    policies: list[Policy],
    calendar: Calendar | None,
    spec: ReportSpec | None,
    service: str | None,
    as_of: _dt.datetime,
    errors: str,
) -> pa.Table: ...
def _evaluate(
    table: pa.Table,
    policies: list[Policy],
    calendar: Calendar,
    as_of: _dt.datetime,
    ticket: str,
    at: str,
    action: str | None,
    fields: list[str],
    rows: str,
    errors: str,
    spec: ReportSpec | None = None,
    service: str | None = None,
) -> pa.Table: ...
