"""The Dask recipe on a local cluster of 2 workers against the single-process reference, on a
few hundred simulated files (and one broken file that must become a row with its error, and
two simulated days of wrist wear whose runs must become rows of their own)."""

import pathlib
import subprocess
import sys
import time

import pytest

dask_distributed = pytest.importorskip("dask.distributed")
pytest.importorskip("pyarrow")

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "examples"))
import dask_cohort  # noqa: E402

N_FILES = 200


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cohort")
    for i in range(N_FILES):
        subprocess.run(
            ["gaitguard", "simulate", "--out", str(folder / f"p{i:03d}.fit"),
             "--minutes", "3", "--seed", str(i)],
            check=True, capture_output=True,
        )
    (folder / "broken.fit").write_bytes(b"\x0e\x10\x00\x00garbage")
    for k in range(2):
        subprocess.run(
            ["gaitguard", "simulate", "--free-living", "1", "--seed", str(k),
             "--out", str(folder / f"wear{k}.cwa")],
            check=True, capture_output=True,
        )
    return folder


def test_two_workers_gather_the_single_process_table(cohort, tmp_path):
    files = dask_cohort.files_of(cohort)
    assert len(files) == N_FILES + 3
    t0 = time.perf_counter()
    reference = dask_cohort.run_local(files)
    t_local = time.perf_counter() - t0
    rates = {}
    for workers in (1, 2):
        with dask_distributed.LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster, dask_distributed.Client(cluster) as client:
            t0 = time.perf_counter()
            table = dask_cohort.run(files, client)
            rates[workers] = len(files) / (time.perf_counter() - t0)
        assert table.equals(reference), f"{workers} workers"
    print(f"\nthroughput: single process {len(files) / t_local:.1f} files/s, "
          f"Dask 1 worker {rates[1]:.1f}, 2 workers {rates[2]:.1f} files/s")
    rows = reference.to_pylist()
    broken = [r for r in rows if r["file"].endswith("broken.fit")]
    assert broken[0]["error"] and broken[0]["cadence_spm_median"] is None
    good = [r for r in rows if r["error"] is None and "#run" not in r["file"]]
    assert len(good) == N_FILES
    assert all(150 < r["cadence_spm_median"] < 190 for r in good)
    # A simulated day of wear holds one run (150-185 steps/min at the wrist): its own row.
    runs = [r for r in rows if "#run" in r["file"]]
    assert sorted(r["file"].rsplit("/", 1)[1] for r in runs) == ["wear0.cwa#run1", "wear1.cwa#run1"]
    assert all(145 < r["cadence_spm_median"] < 190 and r["running_time_s"] > 600 for r in runs)
    # The command-line recipe writes the same table as Parquet.
    out = tmp_path / "sessions.parquet"
    dask_cohort.main([str(cohort), "--out", str(out), "--workers", "2"])
    import pyarrow.parquet as pq

    written = pq.read_table(out)
    assert written.equals(reference)
    assert written.schema.metadata[b"gaitguard.schema"] == b"gaitguard.cohort/1"
