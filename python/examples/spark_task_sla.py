"""The task_sla table and the service review from Spark: `mapInArrow` over
partitions of tickets.

    pip install pyspark          # and a Java 17 runtime
    python python/examples/spark_task_sla.py [tickets]

Spark hands each task an iterator of Arrow batches; rows of one ticket are
kept together by `repartition("ticket")` and ordered by
`sortWithinPartitions("ticket", "at")`, and `servicelevel.evaluate_stream`
carries a ticket whose rows straddle two batches into the next. Calendars
and policies pickle, so the function ships to the executors as it is.

`review` does the same for a whole service review: each partition reviews
its tickets into a `servicelevel.ReviewPart`, which travels back to the
driver as JSON, and `merge_review_parts` adds them up exactly.

Spark's timestamps hold microseconds: the UDF casts the result's instants to
`timestamp[us]` with pyarrow's safe cast (a sub-microsecond instant would
raise, never be truncated) and gives durations as int64 nanoseconds (`*_ns`),
exact.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time

import numpy as np
import pyarrow as pa

import servicelevel as sl

UTC = dt.timezone.utc
DURATIONS = ["target", "business_elapsed", "wall_elapsed", "business_paused", "wall_paused", "time_left"]
INSTANTS = ["start", "stop", "due", "breached_at"]


def events(tickets: int, seed: int = 1) -> pa.Table:
    """A small synthetic log: created, taken, sometimes on hold, resolved."""
    rng = np.random.default_rng(seed)
    base = np.datetime64("2025-03-03T08:00:00", "s").astype(np.int64)
    rows = {"ticket": [], "at": [], "status": [], "priority": []}
    for i in range(tickets):
        at = base + int(rng.integers(0, 60 * 86400))
        steps = [("new", str(rng.integers(1, 5)))]
        steps += [("in_progress", None)]
        if rng.integers(0, 3) == 0:
            steps += [("on_hold", None), ("in_progress", None)]
        steps += [("resolved", None)]
        for status, priority in steps:
            rows["ticket"].append(f"INC{i:06d}")
            rows["at"].append(int(at) * 10**9)
            rows["status"].append(status)
            rows["priority"].append(priority)
            at += int(rng.integers(60, 2 * 86400))
    rows["at"] = pa.array(rows["at"], type=pa.timestamp("ns", tz="UTC"))
    return pa.table(rows)


def setup():
    weekdays = {d: [["08:00", "18:00"]] for d in ["mon", "tue", "wed", "thu", "fri"]}
    calendar = sl.Calendar({"time_zone": "Europe/Berlin", "weekly": weekdays, "holidays": []})
    amounts = {"1": "4h", "2": "8h", "3": "24h", "4": "40h"}
    policy = sl.Policy.preset("servicenow_resolution", {"measure": "business_time", "by": "priority", "amounts": amounts})
    return calendar, [policy], dt.datetime(2025, 6, 1, tzinfo=UTC)


def for_spark(table: pa.Table) -> pa.Table:
    """The task_sla table in types Spark holds: microsecond instants (safe
    cast), nanosecond durations as int64, the cycle as int32."""
    columns = {}
    for name in table.column_names:
        column = table.column(name)
        if name in INSTANTS:
            column = column.cast(pa.timestamp("us", tz="UTC"), safe=True)
        elif name in DURATIONS:
            name, column = f"{name}_ns", column.cast(pa.int64())
        elif name == "cycle":
            column = column.cast(pa.int32())  # Spark has no unsigned integers
        columns[name] = column
    return pa.table(columns)


def task_sla_udf(calendar, policies, as_of):
    def udf(batches):
        for batch in sl.evaluate_stream(batches, policies, calendar, as_of):
            yield from for_spark(pa.Table.from_batches([batch])).to_batches()

    return udf


def spark_schema():
    from pyspark.sql.pandas.types import from_arrow_schema

    sample = for_spark(sl.TASK_SLA_SCHEMA.empty_table())
    return from_arrow_schema(sample.schema)


def run(spark, log: pa.Table, batch_rows: int = 1000, frame=None):
    calendar, policies, as_of = setup()
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", str(batch_rows))
    if frame is None:
        frame = spark.createDataFrame(log.to_pandas())
    result = (
        frame.repartition("ticket")
        .sortWithinPartitions("ticket", "at")
        .mapInArrow(task_sla_udf(calendar, policies, as_of), spark_schema())
    )
    return result


def review_udf(spec, profile, as_of, order_column: str):
    """Each partition's export rows reviewed into one `ReviewPart`, sent back
    as its JSON (one row per partition). The rows keep the export's order
    (`order_column`), which the profile's tie-breaks read."""

    def udf(batches):
        from pyspark import TaskContext

        table = pa.Table.from_batches(list(batches)) if batches else None
        if table is None or table.num_rows == 0:
            return
        table = table.sort_by(order_column).drop_columns([order_column])
        source = f"partition {TaskContext.get().partitionId()}"
        part = sl.review_part(table, spec, profile, as_of=as_of, source=source)
        yield pa.RecordBatch.from_pydict({"part": [part.to_json()]})

    return udf


def review(spark, export: pa.Table, spec, profile, as_of, ticket: str, partitions: int = 2):
    """The service review of an export through Spark: rows partitioned by
    ticket, a `ReviewPart` per partition, the parts merged on the driver.
    The report's figures are the direct review's, exactly; its ledger lists
    one source per partition."""
    order = "_servicelevel_row"
    rows = export.append_column(order, pa.array(np.arange(export.num_rows, dtype=np.int64)))
    frame = spark.createDataFrame(rows.to_pandas())
    sent = frame.repartition(partitions, ticket).mapInArrow(review_udf(spec, profile, as_of, order), "part string")
    parts = [sl.ReviewPart.from_json(row.part) for row in sent.collect()]
    return sl.merge_review_parts(parts, spec, as_of=as_of)


def session():
    from pyspark.sql import SparkSession

    # Local workers run this interpreter, the one servicelevel is installed
    # in: by default Spark starts `python3` from PATH, which lacks the
    # package when its venv is not activated. On a cluster, install the
    # package on the executors' Python instead.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    return (
        SparkSession.builder.master("local[2]")
        .appName("servicelevel task_sla")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )


def main() -> None:
    tickets = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    log = events(tickets)
    spark = session()
    frame = spark.createDataFrame(log.to_pandas()).cache()
    frame.count()
    # Spark's own share: the same shuffle, sort and Arrow round trip with a
    # UDF that only counts its rows.
    for _warm_up_then_measure in range(2):
        t0 = time.perf_counter()
        counted = (
            frame.repartition("ticket")
            .sortWithinPartitions("ticket", "at")
            .mapInArrow(lambda batches: (pa.RecordBatch.from_pydict({"n": [b.num_rows]}) for b in batches), "n long")
            .toArrow()
        )
        spark_only = time.perf_counter() - t0
    t0 = time.perf_counter()
    rows = run(spark, log, frame=frame).toArrow()
    spark_time = time.perf_counter() - t0
    assert sum(counted.column("n").to_pylist()) == log.num_rows
    calendar, policies, as_of = setup()
    t0 = time.perf_counter()
    direct = for_spark(sl.evaluate(log, policies, calendar, as_of))
    direct_time = time.perf_counter() - t0
    key = [("ticket", "ascending"), ("policy", "ascending"), ("cycle", "ascending")]
    same = rows.sort_by(key).cast(direct.schema).equals(direct.sort_by(key))
    print(
        f"{tickets:,} tickets, {log.num_rows:,} events: Spark local[2] {spark_time:.2f} s "
        f"(of which the shuffle, sort and Arrow transfer alone {spark_only:.2f} s), "
        f"direct {direct_time:.2f} s; identical: {same}"
    )
    spark.stop()


if __name__ == "__main__":
    main()
