"""`triage score`: formats, several files, bad input, escaping, no Textual on the path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, shared_dir
from triage.cli import main

SEED = ROOT / "examples" / "seed-agep-ivig.findings.yaml"
FULL = ROOT / "examples" / "example-full.findings.yaml"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_examples_are_the_shared_cases():
    for name in (SEED.name, FULL.name):
        assert (ROOT / "examples" / name).read_bytes() == (
            shared_dir() / "cases" / name).read_bytes()


def test_seed_json_is_eurosar_11_definite(capsys):
    code, out, err = run(capsys, "score", str(SEED))
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["schema"] == "triage.result/1"
    agep = data["scores"]["eurosar_agep"]
    assert (agep["total"], agep["category"], agep["complete"]) == (11, "definite", True)
    assert [i["id"] for i in agep["items"]][:3] == ["pustules", "erythema", "distribution"]
    assert data["drugs"][0]["latency_days"] == 9
    assert data["triage"]["level"] == "urgent"


def test_several_files_give_one_json_object_per_line(capsys):
    code, out, _ = run(capsys, "score", str(SEED), str(FULL), str(SEED))
    lines = out.splitlines()
    assert code == 0 and len(lines) == 3
    totals = [json.loads(line)["scores"]["regiscar_dress"]["total"] for line in lines]
    assert totals == [-1, -2, -1]


@pytest.mark.parametrize("fmt", ["md", "text", "html"])
def test_readable_reports_show_the_breakdown(capsys, fmt):
    code, out, _ = run(capsys, "score", str(SEED), "--format", fmt)
    assert code == 0
    assert "EuroSCAR AGEP validation score: 11, definite" in out
    assert "RegiSCAR DRESS score: -1, no" in out
    assert "URGENT" in out
    assert "Decision support, not a diagnosis" in out
    assert "Pustules" in out and "Histology" in out


def test_json_lines_are_the_standard_library_json_of_each_result(capsys):
    code, out, _ = run(capsys, "score", str(SEED), str(FULL))
    assert code == 0
    for line in out.splitlines():
        data = json.loads(line)
        assert line == json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def test_text_report_fits_80_columns(capsys):
    _, out, _ = run(capsys, "score", str(SEED), str(FULL), "--format", "text")
    assert max(len(line) for line in out.splitlines()) <= 80


def test_stdin(capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SEED.read_bytes())))
    code, out, _ = run(capsys, "score", "-")
    assert code == 0 and json.loads(out)["scores"]["eurosar_agep"]["total"] == 11


def test_invalid_file_exit_2_one_line_per_problem_and_nothing_scored(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema: triage.findings/1\neruptoin: {}\nlabs: {neutrophils_per_mm3: -5}\n")
    code, out, err = run(capsys, "score", str(SEED), str(bad))
    assert code == 2
    assert out == ""  # never a partial result
    assert err.splitlines() == [
        f"{bad}: eruptoin: unknown key 'eruptoin' (did you mean 'eruption'?); allowed: "
        "schema, patient, eruption, systemic, labs, histology, drugs, visit (line 2)",
        f"{bad}: labs.neutrophils_per_mm3: -5 must be >= 0 (line 3)",
    ]


def test_bad_operator_is_exit_2(capsys):
    code, _, err = run(capsys, "score", str(SEED), "--operator", "eurosar_fever_c=38")
    assert code == 2 and "does not start with one of" in err
    code, _, err = run(capsys, "score", str(SEED), "--operator", "nope=>1")
    assert code == 2 and "unknown threshold(s): nope" in err


def test_operator_variant_changes_the_number_and_is_recorded(capsys):
    _, out, _ = run(capsys, "score", str(SEED), "--operator", "eurosar_fever_c=>38.75")
    data = json.loads(out)
    assert data["scores"]["eurosar_agep"]["total"] == 10
    assert data["provenance"]["operators_changed"] == {"eurosar_fever_c": "> 38.75"}


def test_operators_lists_every_threshold(capsys):
    code, out, _ = run(capsys, "operators")
    assert code == 0 and "eurosar_fever_c" in out and "> 38.75" in out


HOSTILE = "<script>alert(1)</script> {{ 7*7 }} **bold** | pipe \x1b[31mred\x07"


@pytest.fixture
def hostile_file(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.yaml"
    path.write_text(
        "schema: triage.findings/1\neruption: {pustules: typical}\n"
        "systemic: {temperature_max_c: 38.9}\ndrugs:\n  - name: " + json.dumps(HOSTILE) + "\n"
        "    start_day: -5\n", encoding="utf-8")
    return path


def test_html_escapes_free_text(capsys, hostile_file):
    _, out, _ = run(capsys, "score", str(hostile_file), "--format", "html")
    assert "<script>" not in out
    assert "<svg" in out and "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}" in out.split(
        "<svg")[1]  # the timeline label
    assert "Allergy record, one entry per suspect: &#34;AGEP to &lt;script&gt;" in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "{{ 7*7 }}" in out and "49" not in out.split("<h3>")[1].split("</h3>")[0]
    assert "\x1b" not in out and "\x07" not in out


def test_json_keeps_free_text_as_text_without_control_characters(capsys, hostile_file):
    _, out, _ = run(capsys, "score", str(hostile_file))
    data = json.loads(out)
    kept = "<script>alert(1)</script> {{ 7*7 }} **bold** | pipe [31mred"
    assert data["drugs"][0]["name"] == kept
    assert any(kept in s["text"] for s in data["next_steps"])


def test_markdown_and_text_keep_free_text_inert(capsys, hostile_file):
    _, md_out, _ = run(capsys, "score", str(hostile_file), "--format", "md")
    assert "\\<script\\>" in md_out and "\\*\\*bold\\*\\*" in md_out and "\\| pipe" in md_out
    _, text_out, _ = run(capsys, "score", str(hostile_file), "--format", "text")
    assert "\x1b" not in md_out + text_out and "{{ 7*7 }}" in text_out


def test_no_arguments_prints_help(capsys):
    code, out, _ = run(capsys)
    assert code == 0 and "score" in out


def _run_subprocess(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)


@pytest.mark.parametrize(
    "argv",
    [["score", str(SEED), "--format", "html"],
     ["replay", str(ROOT / "examples" / "seed-agep-ivig.transcript.yaml"), "--format", "md"],
     ["check"]],
    ids=["score", "replay", "check"],
)
def test_the_headless_commands_never_import_textual(argv):
    probe = (
        "import sys, runpy; sys.argv = ['triage', *sys.argv[1:]];"
        "\ntry:\n    runpy.run_module('triage', run_name='__main__')\nexcept SystemExit:\n"
        "    pass\nprint('TEXTUAL', any(m == 'textual' or m.startswith('textual.') "
        "for m in sys.modules), file=sys.stderr)"
    )
    done = _run_subprocess("-c", probe, *argv)
    assert "TEXTUAL False" in done.stderr


def test_python_dash_m_and_errors_without_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"schema: triage.findings/1\neruption: [\n")
    done = _run_subprocess("-m", "triage", "score", str(bad))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "YAML syntax error" in done.stderr and done.stdout == ""


def test_a_template_that_omits_the_triage_banner_is_refused(monkeypatch):
    import jinja2

    from triage import render

    env = jinja2.Environment(loader=jinja2.DictLoader({"summary.md": "no banner here\n"}))
    monkeypatch.setattr(render, "environment", lambda autoescape: env)
    from triage import findings
    from triage.summary import summarize

    data = summarize(findings.load(SEED))
    with pytest.raises(AssertionError, match="omits the triage banner"):
        render.render([("seed", data)], "md")


def test_the_usage_example_is_what_the_command_prints(capsys, monkeypatch):
    readme = (ROOT / "docs" / "usage.md").read_text(encoding="utf-8")
    block = readme.split("Example (`triage score examples/seed-agep-ivig.findings.yaml "
                         "--format text`")[1].split("```text\n")[1].split("\n...\n```")[0]
    monkeypatch.chdir(ROOT)
    assert main(["score", "examples/seed-agep-ivig.findings.yaml", "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(block + "\n")


@pytest.mark.parametrize(
    "argv",
    [["run", "nope.yaml"], ["replay", "--dialog", "nope.yaml", "x.yaml"]],
    ids=["run", "replay"],
)
def test_a_missing_dialog_is_exit_2_with_its_name(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err == "nope.yaml: no such file\n"


def test_every_command_the_parser_knows_has_its_handler():
    import argparse

    from triage.cli import COMMANDS, _parser

    (choices,) = [a.choices for a in _parser()._actions
                  if isinstance(a, argparse._SubParsersAction)]
    assert set(choices) == set(COMMANDS)


def test_a_misspelt_drug_is_warned_with_its_field_and_suggestion(capsys, tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text("schema: triage.findings/1\ndrugs:\n  - {name: alopurinol, start_day: -20}\n"
                    "  - {name: amoxicillin, start_day: -2}\n", encoding="utf-8")
    code, out, err = run(capsys, "score", str(path), "--format", "text")
    assert code == 0
    assert err == (f"{path}: warning: drugs[0].name: 'alopurinol' is on no drug list; "
                   "did you mean allopurinol?\n")
    assert "alopurinol: notoriety unknown: not on the lists (never guessed); did you" in out


def test_standard_input_is_read_only_up_to_the_file_limit():
    # `yes | triage score -` read without end; now it stops one byte past the limit.
    endless = subprocess.Popen(["yes"], stdout=subprocess.PIPE)
    done = subprocess.run([sys.executable, "-m", "triage", "score", "-"],
                          stdin=endless.stdout, capture_output=True, text=True, timeout=60)
    endless.kill()
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr == ("<stdin>: is larger than 1,048,576 bytes, the limit for a "
                           "findings file\n")


def test_a_fifo_is_refused_at_once(tmp_path, capsys):
    import os

    fifo = tmp_path / "in.yaml"
    os.mkfifo(fifo)
    code, out, err = run(capsys, "score", str(fifo))
    assert (code, out) == (2, "")
    assert err == (f"{fifo}: is not a regular file (a pipe or a device); give a file, or - "
                   "for standard input\n")


def _drugs_file(tmp_path: Path, count: int) -> Path:
    path = tmp_path / f"{count}.yaml"
    path.write_text("schema: triage.findings/1\ndrugs:\n" + "".join(
        f"  - {{name: drug {i}, start_day: -{i % 90 + 1}, notoriety: associated}}\n"
        for i in range(count)))
    return path


def test_the_most_drugs_a_file_may_hold_score_in_linear_time(tmp_path, capsys):
    # 30,000 drugs ran for minutes: ALDEN's other-cause rule compared every drug with
    # every other. Now a file holds at most 500, and they take well under a second.
    import time

    started = time.monotonic()
    code, out, _ = run(capsys, "score", str(_drugs_file(tmp_path, 500)))
    assert code == 0 and len(json.loads(out)["drugs"]) == 500
    assert time.monotonic() - started < 5
    code, out, err = run(capsys, "score", str(_drugs_file(tmp_path, 501)))
    assert (code, out) == (2, "")
    assert err.endswith(": drugs: has 501 entries; at most 500 (line 3)\n")
