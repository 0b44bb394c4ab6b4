"""Shared helpers: findings built from dicts, and the shared cases beside the project."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from triage.findings import SCHEMA, Findings
from triage.result import Result, evaluate
from triage.scores.operators import DEFAULT, Operators

ROOT = Path(__file__).resolve().parents[1]

# Compiled templates go to a folder of the test session, never the developer's cache; and
# sessions, settings and exports too: no test ever writes the developer's own store,
# settings or documents. The folder goes when
# the process ends (each xdist worker has its own), so runs leave nothing behind in /tmp.
_SCRATCH = tempfile.TemporaryDirectory(prefix="triage-tests-", ignore_cleanup_errors=True)
for _part in ("cache", "store", "config"):
    (Path(_SCRATCH.name) / _part).mkdir()
os.environ["TRIAGE_CACHE_DIR"] = str(Path(_SCRATCH.name) / "cache")
os.environ["TRIAGE_CONFIG_DIR"] = str(Path(_SCRATCH.name) / "config")
os.environ["TRIAGE_EXPORT_DIR"] = str(Path(_SCRATCH.name) / "exports")
os.environ["TRIAGE_STORE"] = str(Path(_SCRATCH.name) / "store" / "s.sqlite3")


def shared_dir() -> Path:
    """The team's shared cases, copied into the repository (tests/shared/cases, as of
    2026-12-04): the tests need nothing beside the project."""
    return ROOT / "tests" / "shared"


def two_question_dialog(enable_when: str, first: str = "type: yes_no",
                        first_field: str = "patient.psoriasis_history") -> str:
    """A dialog of two questions, the second asked when `enable_when` holds; `first` is
    the first question's type (and units), `first_field` what it answers."""
    return f"""\
schema: triage.dialog/1
id: t
version: "1"
title: t
sections:
  - id: s
    title: S
    questions:
      - id: q1
        {first}
        prompt: A?
        field: {first_field}
      - id: q2
        type: yes_no
        prompt: B?
        enable_when: {enable_when}
        field: patient.malignancy
"""


def findings(**sections: Any) -> Findings:
    """Findings from keyword sections, e.g. findings(eruption={"pustules": "typical"})."""
    return Findings.model_validate({"schema": SCHEMA, **sections})


def result(ops: Operators = DEFAULT, **sections: Any) -> Result:
    """Evaluate findings built from keyword sections."""
    return evaluate(findings(**sections), ops)


def items(score: Any) -> dict[str, Any]:
    """A score's items by id."""
    return {i.id: i for i in score.items}


def record_transcript(store: Any, dialog: Any, path: Path, author: str | None = None) -> str:
    """A new session in `store` holding a transcript's answers and visits as the events
    the assistant records (a quick visit names its score where an answer names its
    question); its id."""
    from triage import transcript
    from triage.store import Event

    script, _ = transcript.load(path)
    sid = store.create(script.today, (dialog.id, dialog.version, dialog.hash))
    for e in script.answers:
        store.append(sid, Event("answer", e.q, e.repeat, e.value, e.unit))
    for visit in script.follow_ups:
        store.append(sid, Event("follow_up", visit.only, value=visit.date.isoformat(),
                                author=author))
        for e in visit.answers:
            store.append(sid, Event("answer", e.q, e.repeat, e.value, e.unit))
    return str(sid)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite the golden files from the current output (then review the diff)")


@pytest.fixture
def golden(request: pytest.FixtureRequest):
    """Compare text with tests/golden/NAME byte for byte (or rewrite it with --update-golden)."""
    update = request.config.getoption("--update-golden")

    def compare(name: str, text: str) -> None:
        path = ROOT / "tests" / "golden" / name
        if update:
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            return
        assert path.exists(), f"no golden file {path}; run pytest --update-golden and review it"
        expected = path.read_text(encoding="utf-8")
        if text != expected:
            import difflib

            diff = "".join(difflib.unified_diff(
                expected.splitlines(keepends=True), text.splitlines(keepends=True),
                f"golden/{name}", "now", n=2))
            pytest.fail(f"{name} differs from its golden file:\n{diff[:6000]}")

    return compare


@pytest.fixture(scope="session")
def scar():
    """The built-in dialog, loaded once."""
    from triage.dialog.loader import default_dialog_path, load_dialog

    return load_dialog(default_dialog_path(), "dialogs/scar.yaml")


@pytest.fixture(autouse=True)
def fixed_render_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Summaries say when they were rendered; tests fix that time (2026-11-25 12:00 UTC)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795608000")


def subset(expected: Any, actual: Any, path: str) -> list[str]:
    """Every key of `expected` must match `actual`; the rest of the result is free."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected a mapping, got {actual!r}"]
        out = []
        for key, value in expected.items():
            if key not in actual:
                out.append(f"{path}.{key}: missing")
            else:
                out += subset(value, actual[key], f"{path}.{key}")
        return out
    if isinstance(expected, list) and expected and isinstance(expected[0], dict):
        if len(expected) != len(actual):
            return [f"{path}: expected {len(expected)} entries, got {len(actual)}"]
        out = []
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            out += subset(e, a, f"{path}[{i}]")
        return out
    return [] if expected == actual else [f"{path}: expected {expected!r}, got {actual!r}"]


# --- a real PostgreSQL server (issue 22) --------------------------------------------------

POSTGRES_SKIP = ("no PostgreSQL server for the store's contract suite: TRIAGE_TEST_POSTGRES "
                 "is not set (.ci/run starts one with .ci/postgres and sets it)")


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The server's URL, checked once per test process; skipped, with why, without one."""
    url = os.environ.get("TRIAGE_TEST_POSTGRES")
    if not url:
        pytest.skip(POSTGRES_SKIP)
    import psycopg

    from triage.store import shown

    try:
        psycopg.connect(url, connect_timeout=5).close()
    except psycopg.Error as exc:
        pytest.skip(f"the PostgreSQL server at {shown(url)} cannot be reached: {exc}")
    return url


@pytest.fixture
def postgres_database(postgres_url: str) -> Iterator[str]:
    """The URL of a new, empty database on the server, dropped after the test."""
    import secrets
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    name = "triage_test_" + secrets.token_hex(6)
    with psycopg.connect(postgres_url, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(urlsplit(postgres_url)._replace(path=f"/{name}"))
    with psycopg.connect(postgres_url, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
