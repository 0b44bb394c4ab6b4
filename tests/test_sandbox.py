"""The sandbox's shortcut reads exactly what Jinja2's immutable sandbox reads."""

from __future__ import annotations

from typing import Any

import pytest
from jinja2 import ChainableUndefined, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from pydantic import BaseModel

from tests.conftest import two_question_dialog
from triage.dialog.sandbox import Sandbox, data_fields


class Inner(BaseModel):
    pustules: bool | None = None


class Outer(BaseModel):
    eruption: Inner = Inner(pustules=True)
    drugs: list[str] = ["amoxicillin"]
    note: str = "typed"


DICT = {"biological": True, "items": "a key named like a method", "scores": {"total": 3}}
READS: list[tuple[Any, str]] = [
    (Outer(), "eruption"),
    (Outer(), "drugs"),
    (Outer(), "note"),
    (Outer(), "model_dump"),  # a method, not a field: the sandbox's own path
    (Outer(), "__class__"),
    (Outer(), "model_config"),
    (Outer(), "missing"),
    (Inner(), "pustules"),
    (DICT, "biological"),
    (DICT, "scores"),
    (DICT, "missing"),
    (DICT, "items"),  # dict's own attribute wins over the key, as in the sandbox
    (DICT, "pop"),  # a mutating method: unsafe in the immutable sandbox
    (DICT, "__class__"),
    ([1, 2], "append"),
    ("text", "format"),
]


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, Undefined) or isinstance(b, Undefined):
        return type(a) is type(b) and a._undefined_hint == b._undefined_hint
    if callable(a):
        return callable(b) and getattr(a, "__name__", None) == getattr(b, "__name__", None)
    return a == b


@pytest.mark.parametrize(("obj", "name"), READS, ids=lambda v: type(v).__name__ if not
                         isinstance(v, str) else v)
def test_a_read_gives_what_the_stock_sandbox_gives(obj: Any, name: str) -> None:
    ours = Sandbox(undefined=ChainableUndefined).getattr(obj, name)
    stock = ImmutableSandboxedEnvironment(undefined=ChainableUndefined).getattr(obj, name)
    assert _same(ours, stock)


def test_the_shortcut_is_taken_only_for_declared_fields() -> None:
    assert data_fields(Outer) == {"eruption", "drugs", "note"}
    assert data_fields(dict) == frozenset()


def test_unsafe_reads_stay_unsafe_through_an_expression() -> None:
    env = Sandbox(undefined=ChainableUndefined)

    def run(source: str) -> Any:
        return env.compile_expression(source, undefined_to_none=False)

    assert run("f.eruption.pustules")(f=Outer()) is True
    assert run("d.scores.total")(d=DICT) == 3
    assert run("d.items")(d=DICT) is not None and callable(run("d.items")(d=DICT))
    assert isinstance(run("d.pop")(d=DICT), Undefined)
    assert isinstance(run("f.__class__")(f=Outer()), Undefined)


# --- bounded conditions (issue 19 §8) ---------------------------------------------------

@pytest.mark.parametrize(
    ("expression", "said"),
    [
        ("x ** (9 ** 9)", "SecurityError: 3 ** 387420489 is too large to compute"),
        ("9 ** (9 ** 9)", "SecurityError: 9 ** 387420489 is too large to compute"),
        ("'a' * 10 ** 9", "SecurityError: a repetition longer than 100,000 items"),
        ("[1] * 10 ** 9", "SecurityError: a repetition longer than 100,000 items"),
        ("(" * 3000 + "1" + ")" * 3000, "is longer than 4,000 characters"),
        ("(" * 33 + "1" + ")" * 33, "nests brackets deeper than 32 levels"),
        ("1 / (x - 3)", "ZeroDivisionError: division by zero"),
    ],
    ids=["power", "constant-power", "string-repetition", "list-repetition", "long",
         "deep", "divide-by-zero"],
)
def test_a_runaway_or_failing_condition_is_a_clean_error_at_once(expression, said):
    import time

    from triage.dialog.conditions import ExpressionError, evaluate

    started = time.monotonic()
    with pytest.raises(ExpressionError) as caught:
        evaluate(expression, x=3)
    assert str(caught.value) == said
    assert time.monotonic() - started < 1


def test_bounded_operators_still_compute_what_a_dialog_needs():
    from triage.dialog.conditions import evaluate

    assert evaluate("(x - 32) * 5 / 9", x=212) == 100
    assert evaluate("2 ** 10 + x ** 2", x=3) == 1033
    assert evaluate("'ab' * 3", x=0) == "ababab"
    assert evaluate("(" * 32 + "x" + ")" * 32, x=1) == 1


DIVIDING = two_question_dialog(
    "answers.q1 is number and 10 / answers.q1 > 1",
    first="type: integer\n        units: [{id: n, label: n}]", first_field="patient.age_years")


def test_a_condition_that_fails_on_an_answer_is_a_refusal_not_a_crash():
    import datetime as dt

    from triage.dialog.engine import Engine
    from triage.dialog.loader import loads_dialog

    engine = Engine(loads_dialog(DIVIDING), dt.date(2026, 11, 25))
    refused = engine.answer("0")
    assert not refused.accepted
    assert refused.message.startswith("the dialog cannot take this answer (q2: enable_when: "
                                      "ZeroDivisionError: division by zero)")
    assert engine.answer("5").accepted and engine.current().question.id == "q2"
