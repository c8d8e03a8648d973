"""The Python package against the command line and the bundled samples (independent answers:
the CLI's own JSON, the simulator's known cadence, the sample block's planted risk)."""

import concurrent.futures
import json
import os
import pathlib
import subprocess
import sys

import pytest

import gaitguard

ROOT = pathlib.Path(__file__).resolve().parents[3]
SAMPLES = ROOT / "samples"


def test_analyze_matches_the_command_line():
    doc = gaitguard.analyze(SAMPLES / "simulated-run-40min.fit")
    assert doc["schema"] == "gaitguard.session/1"
    cli = subprocess.run(
        [sys.executable, "-m", "gaitguard._cli", "analyze",
         str(SAMPLES / "simulated-run-40min.fit"), "--json", "-"],
        capture_output=True, check=True, text=True,
    )
    assert json.loads(cli.stdout)["metrics"] == doc["metrics"]
    # The simulator's runner holds 162-172 steps/min.
    assert 160 < doc["metrics"]["cadence_spm"]["median"] < 175


def test_keyword_arguments_are_the_command_line_options():
    doc = gaitguard.analyze(SAMPLES / "simulated-trunk-run.csv", placement="trunk",
                            speed_mps=3.0, age=44, prior_calf_strain=True)
    assert doc["source"] == "raw"
    # Age and a previous strain multiply the score, as on the command line.
    plain = gaitguard.analyze(SAMPLES / "simulated-trunk-run.csv", placement="trunk")
    assert plain["risk"]["multiplier"] == 1.0
    assert doc["risk"]["multiplier"] > 1.0
    ids = {f["id"] for f in doc["risk"]["factors"]}
    assert {"age", "prior_calf_strain"} <= ids


def test_steps_are_a_table_with_one_row_per_step():
    table = gaitguard.steps(SAMPLES / "simulated-trunk-run.csv")
    doc = gaitguard.analyze(SAMPLES / "simulated-trunk-run.csv")
    assert table.num_rows == doc["raw"]["steps_detected"]
    assert "ground_contact_ms" in table.column_names
    assert table.schema.metadata[b"gaitguard.schema"] == b"gaitguard.steps/1"
    # The same table as `analyze --steps x.parquet` writes (read back with pyarrow).
    import pyarrow.parquet as pq

    out = pathlib.Path(os.environ.get("TMPDIR", "/tmp")) / "gg-steps-test.parquet"
    subprocess.run(["gaitguard", "analyze", str(SAMPLES / "simulated-trunk-run.csv"),
                    "--steps", str(out), "--quiet"], check=True)
    written = pq.read_table(out)
    assert written.column_names == table.column_names
    assert written.column("ground_contact_ms").equals(table.column("ground_contact_ms"))


def test_wear_finds_the_run_and_its_steps_carry_the_session():
    # The raw sample: 20 s walking, 100 s running, 10 s standing (the simulator's truth).
    doc = gaitguard.analyze(SAMPLES / "simulated-trunk-run.csv", wear=True)
    assert doc["schema"] == "gaitguard.wear/1"
    assert doc["totals"]["runs"] == 1
    run = [b for b in doc["bouts"] if b.get("verdict") == "confirmed"][0]
    assert abs(run["start_s"] - 20) <= 5 and abs(run["end_s"] - 120) <= 5
    session = doc["sessions"][0]
    assert session["schema"] == "gaitguard.session/1"
    assert 90 < session["running_time_s"] <= 110
    table = gaitguard.steps(SAMPLES / "simulated-trunk-run.csv", wear=True)
    assert table.schema.metadata[b"gaitguard.schema"] == b"gaitguard.wear_steps/1"
    assert table.column_names[0] == "session"
    assert set(table.column("session").to_pylist()) == {0}
    times = table.column("time_s").to_pylist()
    assert min(times) >= 15 and max(times) <= 125


def test_block_gives_the_sample_blocks_planted_risk():
    b = gaitguard.block(SAMPLES / "block")
    assert b["schema"] == "gaitguard.block/1"
    assert b["risk"]["score"] == 36
    assert len(b["sessions"]) == 26


def test_errors_are_exceptions_with_the_command_lines_message(tmp_path):
    missing = tmp_path / "missing.fit"
    with pytest.raises(gaitguard.GaitguardError) as e:
        gaitguard.analyze(missing)
    assert str(missing) in str(e.value)
    with pytest.raises(gaitguard.UsageError) as e:
        gaitguard.analyze(SAMPLES / "simulated-run-40min.fit", speed_mps="fast")
    assert "--speed-mps" in str(e.value)
    with pytest.raises(gaitguard.UsageError):
        gaitguard.steps(SAMPLES / "simulated-run-40min.fit")


def test_threads_analyse_in_parallel_with_the_same_results():
    files = [SAMPLES / "simulated-run-40min.fit", SAMPLES / "simulated-run-40min.csv"] * 3
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        docs = list(pool.map(gaitguard.analyze, files))
    medians = {d["format"]: d["metrics"]["cadence_spm"]["median"] for d in docs}
    assert len(medians) == 2
    for d in docs:
        assert d["metrics"]["cadence_spm"]["median"] == medians[d["format"]]


def test_the_wheel_installs_the_command():
    out = subprocess.run(["gaitguard", "--help"], capture_output=True, text=True)
    assert out.returncode == 0
    assert "analyze" in out.stdout
    bad = subprocess.run(["gaitguard", "analyze", "--bogus"], capture_output=True, text=True)
    assert bad.returncode == 2
