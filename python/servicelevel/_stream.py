"""Evaluation over a stream of Arrow batches, carrying a ticket across batch
boundaries: what Spark's ``mapInArrow``, DuckDB's and Polars' batch readers
hand a function."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Iterator
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ._columns import evaluate


def evaluate_stream(
    batches: Iterable[pa.RecordBatch],
    policies: Any,
    calendar: Any,
    as_of: _dt.datetime,
    *,
    ticket: str = "ticket",
    **options: Any,
) -> Iterator[pa.RecordBatch]:
    """:func:`evaluate` over batches whose rows are grouped by ticket (as
    ``repartition("ticket").sortWithinPartitions("ticket", "at")`` leaves
    them): each batch's tickets are evaluated when the next batch shows
    they are complete; the last ticket of a batch waits for the next, so a
    ticket straddling two batches is evaluated once, whole."""
    carry: pa.Table | None = None
    for batch in batches:
        table = pa.Table.from_batches([batch])
        if carry is not None:
            table = pa.concat_tables([carry, table.cast(carry.schema)])
        if table.num_rows == 0:
            continue
        ids = table.column(ticket)
        last = ids[table.num_rows - 1]
        waiting = pc.equal(ids, last)
        ready = table.filter(pc.invert(waiting))
        carry = table.filter(waiting)
        if ready.num_rows:
            yield from evaluate(ready, policies, calendar, as_of, ticket=ticket, **options).to_batches()
    if carry is not None and carry.num_rows:
        yield from evaluate(carry, policies, calendar, as_of, ticket=ticket, **options).to_batches()
