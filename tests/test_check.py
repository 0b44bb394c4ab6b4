"""`triage check`: one bad dialog fixture per kind of error; the built-in dialog is clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import two_question_dialog
from triage.cli import main
from triage.dialog.check import check, drug_paths, findings_paths
from triage.dialog.loader import default_dialog_path

HEAD = 'schema: triage.dialog/1\nid: t\nversion: "1"\ntitle: test\nsections:\n'


def lint(tmp_path: Path, body: str, head: str = HEAD) -> list[str]:
    path = tmp_path / "d.yaml"
    path.write_text(head + body, encoding="utf-8")
    report = check(path, "d.yaml")
    from triage.errors import located

    return [located(p, "error") for p in report.errors]


def section(*questions: str) -> str:
    return "  - id: s\n    title: S\n    questions:\n" + "".join(questions)


def yes_no(qid: str, extra: str = "", field: str | None = "eruption.blisters") -> str:
    text = f"      - id: {qid}\n        type: yes_no\n        prompt: {qid}?\n"
    if field:
        text += f"        field: {field}\n"
    return text + extra


def test_the_built_in_dialog_is_clean_and_reaches_every_findings_field():
    report = check(default_dialog_path())
    assert report.errors == [] and report.warnings == []
    assert all(report.coverage.values())
    assert len(report.coverage) == len(findings_paths()) + len(drug_paths())


def test_yaml_syntax_error_has_file_line_and_column(tmp_path):
    (message,) = lint(tmp_path, "  - id: [s\n")
    assert message.startswith("d.yaml:7:1: error: YAML syntax error")


def test_schema_error_names_the_field_line_and_allowed_values(tmp_path):
    (message,) = lint(tmp_path, section(
        "      - id: q\n        type: yesno\n        prompt: q?\n"))
    assert message.startswith("d.yaml:10: error: sections[0].questions[0].type: 'yesno' is "
                              "not one of choice, multi, yes_no, integer, decimal, date, text,"
                              " group")


def test_type_specific_requirements(tmp_path):
    (message,) = lint(tmp_path, section(
        "      - id: q\n        type: choice\n        prompt: q?\n"))
    assert "sections[0].questions[0]: a choice question needs options" in message


def test_duplicate_ids(tmp_path):
    (message,) = lint(tmp_path, section(yes_no("a"), yes_no("a", field="eruption.nikolsky")))
    assert "duplicate id 'a' (first at sections[0].questions[0].id)" in message


def test_reference_to_a_missing_question(tmp_path):
    (message,) = lint(tmp_path, section(
        yes_no("a"), yes_no("b", "        enable_when: answers.zz == 'yes'\n",
                            field="eruption.nikolsky")))
    assert "enable_when: names unknown answer 'zz'" in message
    assert message.startswith("d.yaml:17:")


def test_condition_that_does_not_compile(tmp_path):
    (message,) = lint(tmp_path, section(
        yes_no("a"), yes_no("b", "        enable_when: answers.a ==\n",
                            field="eruption.nikolsky")))
    assert "enable_when: does not compile" in message


def test_unknown_name_in_a_condition(tmp_path):
    (message,) = lint(tmp_path, section(
        yes_no("a"), yes_no("b", "        enable_when: patient.a == 'yes'\n",
                            field="eruption.nikolsky")))
    assert "uses 'patient'; allowed names: answers, item, findings" in message


def test_cycles_and_conditions_on_later_answers(tmp_path):
    found = lint(tmp_path, section(
        yes_no("a", "        enable_when: answers.b == 'yes'\n"),
        yes_no("b", "        enable_when: answers.a == 'yes'\n", field="eruption.nikolsky")))
    assert len(found) == 1 and "depends on 'b', which is asked at the same point or later" in (
        found[0])


def test_a_compared_value_no_answer_can_take_makes_a_question_unreachable(tmp_path):
    (message,) = lint(tmp_path, section(
        yes_no("a"), yes_no("b", "        enable_when: answers.a == 'maybe'\n",
                            field="eruption.nikolsky")))
    assert ("compares answers.a with 'maybe', which it can never be; its answers: no, "
            "unknown, yes") in message


def test_unknown_findings_field_with_a_suggestion(tmp_path):
    (message,) = lint(tmp_path, section(yes_no("a", field="eruption.blister")))
    assert ("'eruption.blister' is not a field of the findings (did you mean "
            "'eruption.blisters'?)") in message


def test_an_option_value_the_findings_refuse(tmp_path):
    (message,) = lint(tmp_path, section(
        "      - id: q\n        type: choice\n        prompt: q?\n"
        "        field: eruption.pustules\n        options:\n"
        "          - {value: typicl, label: typical}\n"))
    assert ("the findings refuse this value: 'typicl' is not one of typical, compatible, "
            "insufficient") in message


def test_uncovered_fields_are_warnings_and_strict_exits_1(tmp_path, capsys):
    path = tmp_path / "d.yaml"
    path.write_text(HEAD + section(yes_no("a")), encoding="utf-8")
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "warning: no question reaches findings field eruption.nikolsky" in out
    assert main(["check", "--strict", str(path)]) == 1


def test_errors_exit_2_and_clean_exits_0(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(HEAD + section(yes_no("a", field="nope")), encoding="utf-8")
    assert main(["check", str(bad)]) == 2
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "0 errors, 0 warnings" in out


def test_coverage_table(capsys):
    assert main(["check", "--coverage"]) == 0
    out = capsys.readouterr().out
    assert "eruption.pustules                               pustules\n" in out
    assert "histology.agep_pattern                          biopsy\n" in out


@pytest.mark.parametrize("text", ["", "- a\n", "\x00\x01"])
def test_unusable_files_never_give_a_traceback(tmp_path, text):
    path = tmp_path / "d.yaml"
    path.write_bytes(text.encode())
    report = check(path, "d.yaml")
    assert report.errors and report.dialog is None


BAD_CONDITION = two_question_dialog("visit.nope")


@pytest.mark.parametrize("command", [["run", "{dialog}", "--no-store"],
                                     ["replay", "--dialog", "{dialog}", "{transcript}"]],
                         ids=["run", "replay"])
def test_run_and_replay_refuse_what_check_rejects_in_the_same_words(tmp_path, command):
    import subprocess
    import sys

    from tests.conftest import ROOT

    dialog = tmp_path / "bad.yaml"
    dialog.write_text(BAD_CONDITION)
    said = "sections[0].questions[1].enable_when: names visit.nope; a visit has: follow_up"
    checked = subprocess.run([sys.executable, "-m", "triage", "check", str(dialog)],
                             capture_output=True, text=True, timeout=60)
    assert checked.returncode == 2 and said in checked.stdout
    argv = [a.format(dialog=dialog, transcript=ROOT / "examples" /
                     "seed-agep-ivig.transcript.yaml") for a in command]
    done = subprocess.run([sys.executable, "-m", "triage", *argv], capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr == f"{dialog}: {said} (line 16)\n"


# --- conditions evaluated with sample answers (issue 19 §8) ---------------------------------

INTEGER = "type: integer\n        units: [{id: years, label: years}]"


@pytest.mark.parametrize(("condition", "first", "said"), [
    # The report: approved, then the assistant crashed once 0 was answered.
    ("10 / answers.q1 > 1", INTEGER,
     "fails at run time when answers.q1 = 0: ZeroDivisionError: division by zero"),
    # An unknown answer is the word 'unknown', not a number.
    ("answers.q1 > 60", INTEGER,
     "fails at run time when answers.q1 = 'unknown': TypeError: '>' not supported between "
     "instances of 'str' and 'int'"),
    ("answers.q1 + 1 > 2", "type: yes_no",
     "fails at run time when answers.q1 = 'yes': TypeError: can only concatenate str (not "
     '"int") to str'),
    ("answers.q1 | int > 0 or 1 // (answers.q1 | int) > 0", INTEGER,
     "fails at run time when answers.q1 = 0: ZeroDivisionError: integer division or modulo "
     "by zero"),
], ids=["divide", "unknown-compared", "yes-no-added", "floor-divide"])
def test_check_evaluates_every_condition_with_typed_sample_answers(tmp_path, condition,
                                                                    first, said):
    field = "patient.age_years" if first == INTEGER else "patient.psoriasis_history"
    path = tmp_path / "d.yaml"
    path.write_text(two_question_dialog(condition, first, field))
    report = check(path, "d.yaml")
    assert [p.message for p in report.errors] == [said]


def test_a_condition_that_guards_its_types_passes_every_sample(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text(two_question_dialog(
        "answers.q1 is number and answers.q1 > 0 and 10 / answers.q1 > 1",
        INTEGER, "patient.age_years"))
    assert check(path, "d.yaml").errors == []


def test_an_unanswered_name_compared_as_a_number_is_flagged(tmp_path):
    """An earlier question skipped by its own condition leaves its name undefined."""
    path = tmp_path / "d.yaml"
    path.write_text(two_question_dialog("answers.q1 is defined and answers.q1 >= 3",
                                        INTEGER, "patient.age_years"))
    report = check(path, "d.yaml")
    assert [p.message for p in report.errors] == [
        "fails at run time when answers.q1 = 'unknown': TypeError: '>=' not supported "
        "between instances of 'str' and 'int'"]


def test_a_date_question_before_the_onset_is_an_error(tmp_path):
    """Its calendar dates are placed from the onset: in interview order they could not be."""
    path = tmp_path / "d.yaml"
    path.write_text(HEAD + section(
        "      - id: first_seen\n        type: date\n        prompt: First seen?\n"
        "        field: eruption.resolution_day\n",
        "      - id: onset\n        type: date\n        role: onset\n        prompt: Onset?\n"
        "        field: eruption.onset_date\n"))
    messages = [p.message for p in check(path, "d.yaml").errors]
    assert messages == ["a date question before the onset question (onset): its calendar "
                        "dates cannot be placed when the interview is replayed in order"]
