"""Hostile input, generated (issue 19, tests and proof): findings files, transcripts,
event files and dialog conditions, each damaged at random from a valid one or written
from scratch. Every input ends in a result or the project's own clean error (InputError),
never another exception; none runs past a time limit; nothing is written anywhere."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import signal
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, two_question_dialog
from tests.test_import import seed_fallback
from triage import events_file, transcript
from triage.batch import score_one
from triage.dialog.check import check
from triage.dialog.engine import Engine
from triage.dialog.loader import default_dialog_path, load_dialog
from triage.errors import InputError
from triage.scores.operators import DEFAULT
from triage.session import Recording, engine_from_events

DIALOG = load_dialog(default_dialog_path())
SEED = ROOT / "examples" / "seed-agep-ivig.transcript.yaml"
FINDINGS = (ROOT / "examples" / "example-full.findings.yaml").read_text()
#: Seconds any one input may take; beyond it, the test fails as a hang.
LIMIT = 10

PROFILE = settings(max_examples=60, deadline=None, derandomize=True,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                          HealthCheck.function_scoped_fixture])

#: Values that have broken parsers elsewhere: wrong types, huge and tiny numbers, markup,
#: escapes, deep nesting.
ODD = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.sampled_from(["unknown", "yes", "no", "", "2026-13-45", "-0", "1e999", "[/]",
                     "\x1b]52;c;ZWNobw==\x07", "\u202e", "{{ 7*7 }}", "a" * 500]),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(),
                                                         max_size=3),
)


@contextlib.contextmanager
def time_limit(seconds: int = LIMIT) -> Iterator[None]:
    """Fail, rather than hang, when one input runs past the limit."""
    def expired(signum: int, frame: Any) -> None:
        raise TimeoutError(f"an input took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(autouse=True)
def nowhere_to_write(tmp_path, monkeypatch):
    """Run in an empty folder, and check that it stays empty."""
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    yield
    assert os.listdir(work) == []


def _mutate(data: Any, path: list[Any], value: Any) -> Any:
    """`data` with the node at `path` (indices taken modulo the sizes) set to `value`."""
    if not path or not isinstance(data, dict | list) or not data:
        return value
    if isinstance(data, dict):
        key = sorted(data, key=str)[path[0] % len(data)]
        return {**data, key: _mutate(data[key], path[1:], value)}
    index = path[0] % len(data)
    return [*data[:index], _mutate(data[index], path[1:], value), *data[index + 1:]]


damage = st.tuples(st.lists(st.integers(0, 50), min_size=1, max_size=4), ODD)
#: One answer of a transcript given another plausible value: many of these replay.
answer_damage = st.tuples(
    st.just("value"), st.integers(0, 80),
    st.sampled_from(["unknown", "unknown", "yes", "no", "0", "40", "-3", "today", "none",
                     "2026-11-01", "amoxicillin", "F", ""]),
)


# --- findings files ----------------------------------------------------------------------


@PROFILE
@given(st.lists(damage, min_size=1, max_size=3), st.booleans())
def test_any_damaged_findings_file_scores_or_is_refused_cleanly(changes, as_yaml):
    import yaml

    data: Any = yaml.safe_load(FINDINGS)
    for path, value in changes:
        data = _mutate(data, path, value)
    text = (yaml.safe_dump(data, allow_unicode=True) if as_yaml
            else json.dumps(data, default=str))
    with time_limit():
        _, result, problems = score_one("-", DEFAULT, stdin=text.encode("utf-8"))
    assert (result is None) == bool(problems)
    event("refused" if problems else "scored")
    if result is not None:
        assert result["schema"] == "triage.result/1"


@PROFILE
@given(st.binary(max_size=300))
def test_any_bytes_as_a_findings_file_are_refused_cleanly(blob):
    with time_limit():
        _, result, problems = score_one("-", DEFAULT, stdin=blob)
    assert result is not None or problems


# --- transcripts ----------------------------------------------------------------------------


@PROFILE
@given(st.lists(st.one_of(damage, answer_damage, answer_damage), min_size=1, max_size=3))
def test_any_damaged_transcript_replays_or_is_refused_cleanly(changes):
    import yaml

    data: Any = yaml.safe_load(SEED.read_text())
    # Answers changed first, while the transcript still has its shape; then the damage.
    for change in sorted(changes, key=lambda c: c[0] != "value"):
        if change[0] == "value":
            answer = data["answers"][change[1] % len(data["answers"])]
            answer["value"] = change[2]
        else:
            data = _mutate(data, *change)
    text = yaml.safe_dump(data, allow_unicode=True)
    with time_limit():
        try:
            script, doc = transcript.loads(text)
            engine = transcript.replay(script, DIALOG, doc=doc)
        except InputError as exc:
            assert exc.problems
            event("refused")
            return
    event("replayed")
    assert engine.findings is not None


# --- event files ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_events(tmp_path_factory) -> list[dict[str, Any]]:
    """The seed case as a fallback file writes it: a header line, then one per event."""
    path = seed_fallback(tmp_path_factory.mktemp("events"), DIALOG)
    return [json.loads(line) for line in path.read_text().splitlines()]


@PROFILE
@given(st.lists(damage, min_size=1, max_size=3), st.integers(0, 3))
def test_any_damaged_events_file_imports_or_is_refused_cleanly(tmp_path_factory, seed_events,
                                                               changes, cut):
    lines: Any = [dict(line) for line in seed_events]
    for path, value in changes:
        lines = _mutate(lines, path, value)
    text = "".join(json.dumps(line, default=str) + "\n" for line in lines)
    if cut:
        text = text[: len(text) * cut // 4]  # a file cut short anywhere
    file = tmp_path_factory.mktemp("e") / "e.events.jsonl"
    file.write_text(text, encoding="utf-8")
    with time_limit():
        try:
            found = events_file.read(file)
            head = found.header
            ref = Recording(head.today, head.dialog.id, head.dialog.version, head.dialog.hash)
            engine = engine_from_events(DIALOG, ref, found.events, "e")
        except InputError as exc:
            assert exc.problems
            event("refused")
            return
    event("imported")
    assert engine.today == dt.date.fromisoformat(str(lines[0]["today"]))


# --- dialog conditions ------------------------------------------------------------------


TOKENS = ["answers.q1", "answers.q2", "item.x", "visit.follow_up", "findings.patient",
          "answers.q1.__class__", "x", "1", "0", "-1", "9", "'yes'", "'no'", "'unknown'",
          "none", "true", "[1, 2]", "range(9)", "lipsum", "cycler", "+", "-", "*", "/", "//",
          "%", "**", "==", "!=", "<", ">", " and ", " or ", " not ", " in ", " is number",
          " is defined", "|int", "|length", "|string", "(", ")", ".", "~", ",", "[", "]"]


@PROFILE
@given(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=14),
       st.sampled_from(["type: yes_no",
                        "type: integer\n        units: [{id: years, label: years}]"]),
       st.lists(st.sampled_from(["yes", "no", "unknown", "0", "7", "-3", "x"]), max_size=3))
def test_any_condition_is_checked_and_then_never_breaks_the_interview(tmp_path_factory,
                                                                      tokens, first, answers):
    condition = "".join(tokens)
    field = "patient.age_years" if "integer" in first else "patient.psoriasis_history"
    path = tmp_path_factory.mktemp("d") / "d.yaml"
    path.write_text(two_question_dialog(json.dumps(condition), first, field))
    with time_limit():
        report = check(path, "d.yaml")
        event("refused by check" if report.errors else "passed check")
        if report.errors or report.dialog is None:
            return  # refused, with its reasons: run, replay and resume refuse it too
        # A dialog check passes runs: every answer is taken or refused with a message.
        engine = Engine(report.dialog, dt.date(2026, 11, 25))
        for raw in answers:
            if engine.current() is None:
                break
            outcome = engine.answer(raw)
            assert outcome.accepted or outcome.message
