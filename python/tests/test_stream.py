"""Batches in, task_sla out: a ticket straddling two batches is evaluated
once, whole; and the Spark route (`mapInArrow` on local[2], bound to
127.0.0.1) gives exactly the direct call's rows."""

from __future__ import annotations

import importlib.util
import shutil
import sys

import pyarrow as pa
import pytest

import servicelevel as sl
from conftest import REPO

sys.path.insert(0, str(REPO / "python" / "examples"))
import spark_task_sla as example  # noqa: E402

KEY = [("ticket", "ascending"), ("policy", "ascending"), ("cycle", "ascending")]


@pytest.mark.parametrize("rows_per_batch", [1, 2, 3, 7, 1000])
def test_batches_give_the_direct_rows(rows_per_batch):
    log = example.events(300)
    calendar, policies, as_of = example.setup()
    direct = sl.evaluate(log, policies, calendar, as_of)
    batches = log.to_batches(max_chunksize=rows_per_batch)
    # Rows of a ticket are contiguous in the log: with 1-7 rows a batch,
    # most tickets straddle a boundary.
    streamed = pa.Table.from_batches(list(sl.evaluate_stream(batches, policies, calendar, as_of)), schema=direct.schema)
    assert streamed.sort_by(KEY).equals(direct.sort_by(KEY))
    assert streamed.num_rows == 300


def test_spark_map_in_arrow_gives_the_direct_rows():
    if importlib.util.find_spec("pyspark") is None or shutil.which("java") is None:
        pytest.skip("pyspark or Java is not installed")
    log = example.events(2000)
    calendar, policies, as_of = example.setup()
    spark = example.session()
    # The UDF is the example module's: ship it to the Python workers.
    spark.sparkContext.addPyFile(example.__file__)
    try:
        rows = example.run(spark, log, batch_rows=50).toArrow()
    finally:
        spark.stop()
    direct = example.for_spark(sl.evaluate(log, policies, calendar, as_of))
    assert rows.num_rows == direct.num_rows == 2000
    assert rows.sort_by(KEY).cast(direct.schema).equals(direct.sort_by(KEY))


def test_spark_review_parts_merge_into_the_direct_review():
    # The shipped ServiceNow slice (examples/data/README.md), reviewed per
    # Spark partition and merged on the driver: the direct review's report.
    if importlib.util.find_spec("pyspark") is None or shutil.which("java") is None:
        pytest.skip("pyspark or Java is not installed")
    profile = sl.load_profile(REPO / "examples" / "profiles" / "servicenow_uci.toml")
    spec = sl.load_spec(REPO / "examples" / "profiles" / "servicenow_uci.review.json")
    export = sl.read_export(REPO / "examples" / "data" / "servicenow_incidents_slice.csv")
    direct = sl.review(export, spec, profile)
    as_of = sl.ingest(export, profile).latest
    spark = example.session()
    spark.sparkContext.addPyFile(example.__file__)
    try:
        merged = example.review(spark, export, spec, profile, as_of, ticket="number", partitions=3)
    finally:
        spark.stop()
    merged, direct = merged.to_dict(), direct.to_dict()
    ledgers = merged.pop("ledger"), direct.pop("ledger")
    assert merged == direct
    assert len(ledgers[0]["sources"]) == 3
    assert sum(s["rows"] for s in ledgers[0]["sources"]) == export.num_rows
    assert [ledger["used"] for ledger in ledgers] == [ledgers[1]["used"]] * 2
