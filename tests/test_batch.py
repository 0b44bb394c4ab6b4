"""Large batches: scored in worker processes, printed in file order, or not at all."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from triage import batch
from triage.cli import main

SEED = ROOT / "examples" / "seed-agep-ivig.findings.yaml"
FULL = ROOT / "examples" / "example-full.findings.yaml"
COUNT = batch.PARALLEL_FROM + 7  # enough for the worker processes


@pytest.fixture
def files(tmp_path: Path) -> list[str]:
    names = []
    for i in range(COUNT):
        path = tmp_path / f"case-{i:03}.yaml"
        shutil.copy(SEED if i % 3 else FULL, path)
        names.append(str(path))
    return names


def _one_by_one(names: list[str], capsys: pytest.CaptureFixture[str]) -> list[dict]:
    results = []
    for name in names:
        assert main(["score", name, "--format", "json"]) == 0
        results.append(json.loads(capsys.readouterr().out))
    return results


def test_a_large_batch_prints_every_result_in_file_order(files, capsys) -> None:
    assert batch._workers(files) >= 2 or os.cpu_count() == 1
    assert main(["score", *files]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert len(lines) == COUNT
    assert [json.loads(line) for line in lines] == _one_by_one(files, capsys)


def test_one_bad_file_in_a_large_batch_prints_nothing_and_names_it(files, capsys) -> None:
    Path(files[40]).write_text("schema: triage.findings/1\npatient: {age_years: 300}\n")
    Path(files[3]).write_text("schema: triage.findings/1\neruption: {pustlues: typical}\n")
    assert main(["score", *files]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    problems = captured.err.splitlines()
    # Every bad file is reported, in file order, whichever worker read it.
    assert len(problems) == 2
    assert problems[0].startswith(files[3]) and "pustlues" in problems[0]
    assert problems[1].startswith(files[40]) and "300" in problems[1]


def test_the_same_lines_whether_parallel_or_not(files, capsys, monkeypatch) -> None:
    assert main(["score", *files]) == 0
    parallel = capsys.readouterr().out
    monkeypatch.setattr(batch, "PARALLEL_FROM", 10**6)
    assert batch._workers(files) == 1
    assert main(["score", *files]) == 0
    assert capsys.readouterr().out == parallel


def test_a_batch_written_to_a_file_is_copied_out_by_the_kernel(files, tmp_path) -> None:
    # stdout is a real file here, so the workers' parts go out through sendfile.
    target = tmp_path / "out.jsonl"
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    with target.open("wb") as out:
        done = subprocess.run(
            [sys.executable, "-m", "triage", "score", *files],
            stdout=out, stderr=subprocess.PIPE, check=False,
            env={**os.environ, "TMPDIR": str(scratch)},
        )
    assert done.returncode == 0, done.stderr
    lines = target.read_bytes().splitlines()
    assert len(lines) == COUNT
    totals = [json.loads(line)["scores"]["eurosar_agep"]["total"] for line in lines]
    assert totals[1::3] == [11] * len(totals[1::3])  # the seed case, wherever it falls
    assert [json.loads(line)["scores"]["eurosar_agep"]["total"] for line in lines[::3]] == [
        totals[0]
    ] * len(lines[::3])
    assert list(scratch.iterdir()) == []  # the workers' parts are gone


def test_an_unwritable_tmpdir_scores_the_batch_in_this_process(
    files, tmp_path, capsys, monkeypatch
) -> None:
    import tempfile

    assert main(["score", *files]) == 0
    expected = capsys.readouterr().out
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no" / "such" / "folder"))
    assert main(["score", *files]) == 0
    captured = capsys.readouterr()
    assert captured.out == expected
    assert captured.err == ""


def test_a_part_that_cannot_be_written_means_scoring_in_this_process(
    files, tmp_path, capsys, monkeypatch
) -> None:
    import tempfile

    assert main(["score", *files]) == 0
    expected = capsys.readouterr().out
    not_a_folder = tmp_path / "not-a-folder"
    not_a_folder.write_text("")  # the workers cannot open their parts in it (even as root)
    monkeypatch.setattr(tempfile, "mkdtemp", lambda prefix: str(not_a_folder))
    assert main(["score", *files]) == 0
    captured = capsys.readouterr()
    assert captured.out == expected
    assert captured.err == ""


def test_a_part_is_copied_through_python_when_out_has_no_descriptor(tmp_path) -> None:
    import io

    part = tmp_path / "part.jsonl"
    part.write_bytes(b"one\ntwo\n")
    out = io.BytesIO()
    batch._copy(str(part), out)  # type: ignore[arg-type]
    assert out.getvalue() == b"one\ntwo\n"


def test_the_collector_is_paused_while_files_are_scored_and_restored_after(files) -> None:
    import gc

    from triage.scores.operators import DEFAULT

    seen = []
    outcomes = batch._outcomes(files[:3], DEFAULT, batch._same)
    for _ in outcomes:
        seen.append(gc.isenabled())
    assert seen == [False, False, False]
    assert gc.isenabled()


def test_a_batch_abandoned_midway_gives_the_collector_back(files) -> None:
    import gc

    from triage.scores.operators import DEFAULT

    outcomes = batch._outcomes(files[:3], DEFAULT, batch._same)
    next(outcomes)
    assert not gc.isenabled()
    outcomes.close()
    assert gc.isenabled()


def test_workers_start_at_parallel_from_files_and_not_one_before(monkeypatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1, 2, 3})
    names = [f"f{i}.yaml" for i in range(batch.PARALLEL_FROM)]
    assert batch._workers(names[:-1]) == 1
    assert batch._workers(names) == 4
    assert batch._workers([*names[:-1], "-"]) == 1  # stdin is read in this process


def test_a_batch_is_cut_into_several_parts_per_worker_each_file_once_in_order() -> None:
    """A worker that finishes its part takes the next, so a slower core does fewer."""
    names = [f"f{i}.yaml" for i in range(2000)]
    parts = batch._parts(names, 2)
    assert len(parts) == 2 * batch.PARTS_PER_WORKER
    assert [n for part in parts for n in part] == names
    small = batch._parts(names[:5], 2)  # fewer files than parts: one file each
    assert [list(p) for p in small] == [[n] for n in names[:5]]
