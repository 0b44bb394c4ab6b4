"""The sandbox's shortcut reads exactly what Jinja2's immutable sandbox reads."""

from __future__ import annotations

from typing import Any

import pytest
from jinja2 import ChainableUndefined, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from pydantic import BaseModel

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
