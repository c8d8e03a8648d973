"""Analyse a cohort's files on a Dask cluster: one task per file, each calling the gaitguard
package, the results gathered into one Parquet table (one row per session: a watch file or a
short raw recording is one; a week of wear gives one row per run, ``FILE#runK``, or one row
with no running when it holds none).

    python dask_cohort.py cohort/ --out sessions.parquet                      # a local cluster
    python dask_cohort.py cohort/ --out sessions.parquet --scheduler tcp://host:8786

Nothing here schedules or ships work itself: Dask distributed does (``Client.map``,
``Client.gather``). A file that cannot be analysed is a row with its ``error`` and null
metrics, so one bad file never stops the cohort.
"""

from __future__ import annotations

import argparse
import pathlib
import time
from typing import Iterable, Optional

import pyarrow as pa
import pyarrow.parquet as pq

import gaitguard

#: The suffixes analysed (gzipped variants included).
SUFFIXES = (
    ".fit", ".tcx", ".gpx", ".csv", ".fit.gz", ".tcx.gz", ".gpx.gz",
    ".cwa", ".gt3x", ".bin",  # research sensors' own files (a week of wear each)
)
#: Metrics copied into the table (their medians), units in the names as in gaitguard's JSON.
METRICS = (
    "cadence_spm",
    "ground_contact_ms",
    "vertical_oscillation_cm",
    "step_length_m",
    "speed_mps",
    "heart_rate_bpm",
)

SCHEMA = pa.schema(
    [
        ("file", pa.string()),
        ("format", pa.string()),
        ("start_time", pa.string()),
        ("duration_s", pa.float64()),
        ("running_time_s", pa.float64()),
        ("distance_m", pa.float64()),
        *[(f"{m}_median", pa.float64()) for m in METRICS],
        ("risk_score", pa.int64()),
        ("risk_level", pa.string()),
        ("error", pa.string()),
    ],
    metadata={"gaitguard.schema": "gaitguard.cohort/1"},
)


def files_of(folder: pathlib.Path) -> list:
    """Every activity file under ``folder``, sorted."""
    return sorted(
        str(p)
        for p in folder.rglob("*")
        if p.is_file() and p.name.lower().endswith(SUFFIXES)
    )


def rows_of(path: str) -> list:
    """One file's rows: each session's summary, or the file's error (never raises)."""
    try:
        doc = gaitguard.analyze(path)
    except gaitguard.GaitguardError as e:
        return [{**_empty(path), "error": str(e)}]
    if doc["schema"] == "gaitguard.wear/1":
        runs = [_session_row(f"{path}#run{k + 1}", s) for k, s in enumerate(doc["sessions"])]
        none = {**_empty(path), "format": doc["format"], "start_time": doc["start_time"],
                "duration_s": doc["duration_s"], "running_time_s": 0.0}
        return runs or [none]
    return [_session_row(path, doc)]


def _empty(path: str) -> dict:
    row = {f.name: None for f in SCHEMA}
    row["file"] = path
    return row


def _session_row(name: str, doc: dict) -> dict:
    """The row of one session document."""
    row = _empty(name)
    row.update(
        format=doc["format"],
        start_time=doc["start_time"],
        duration_s=doc["duration_s"],
        running_time_s=doc["running_time_s"],
        distance_m=doc["distance_m"],
        risk_score=doc["risk"]["score"],
        risk_level=doc["risk"]["level"],
    )
    for m in METRICS:
        summary = doc["metrics"].get(m)
        row[f"{m}_median"] = summary["median"] if summary else None
    return row


def table_of(rows: Iterable[dict]) -> pa.Table:
    """The rows as a table in file order."""
    return pa.Table.from_pylist(sorted(rows, key=lambda r: r["file"]), schema=SCHEMA)


def run(files: list, client) -> pa.Table:
    """Analyse ``files`` on the Dask ``client``'s workers and gather one table."""
    futures = client.map(rows_of, files, pure=False)
    return table_of(r for rows in client.gather(futures) for r in rows)


def run_local(files: list) -> pa.Table:
    """The same in this process, one file after another (the reference)."""
    return table_of(r for f in files for r in rows_of(f))


def main(argv: Optional[list] = None) -> None:
    from dask.distributed import Client, LocalCluster

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=pathlib.Path)
    ap.add_argument("--out", type=pathlib.Path, required=True)
    ap.add_argument("--scheduler", help="address of a running Dask scheduler")
    ap.add_argument("--workers", type=int, default=2, help="local cluster size")
    a = ap.parse_args(argv)
    files = files_of(a.folder)
    t0 = time.perf_counter()
    if a.scheduler:
        with Client(a.scheduler) as client:
            table = run(files, client)
    else:
        with LocalCluster(n_workers=a.workers, threads_per_worker=1) as cluster, Client(
            cluster
        ) as client:
            table = run(files, client)
    pq.write_table(table, a.out)
    dt = time.perf_counter() - t0
    print(f"{len(files)} files in {dt:.1f} s ({len(files) / dt:.1f} files/s) -> {a.out}")


if __name__ == "__main__":
    main()
