"""The sandbox every condition, rule and template runs in: Jinja2's immutable sandbox,
with a shortcut for the two reads the rules make most.

A rule reads the findings' fields (`f.eruption.pustules`) and the keys of plain dicts
(`result.scores.scorten`): 39 reads per findings file. The sandbox's checks take 3 µs
for a model field and 1 µs for a dict key (it tries the dict's attribute first and
catches the error), a ninth of scoring a file. For these two cases the answer is known
without the checks, and the shortcut gives exactly what the sandbox would:
- a declared field of a pydantic model is data: its name never starts with an
  underscore, and a model is none of the mutable built-ins whose methods the immutable
  sandbox hides;
- a plain dict read by a name that is not one of dict's own attributes is read by key,
  as the sandbox does once its attribute lookup fails; a missing key is undefined.
Everything else takes the sandbox's own path.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

#: The largest integer power a condition may compute, in bits (`x ** (9 ** 9)` hung the
#: engine), and the longest string or list a repetition may make.
MAX_POWER_BITS = 4096
MAX_REPEAT = 100_000

#: Names that reach dict's own attributes (`items`, `pop`...): the sandbox decides those.
DICT_ATTRIBUTES = frozenset(dir(dict))


@cache
def data_fields(kind: type) -> frozenset[str]:
    """The declared fields of a pydantic model class; none for any other type."""
    from pydantic import BaseModel

    if issubclass(kind, BaseModel):
        return frozenset(kind.model_fields)
    return frozenset()


def _bounded(operator: str, left: Any, right: Any) -> None:
    """Refuse a power or a repetition that would take the process's time or memory."""
    if operator == "**":
        if (isinstance(left, int) and isinstance(right, int) and right > 0
                and right * max(abs(left).bit_length() - 1, 0) > MAX_POWER_BITS):
            raise SecurityError(f"{left} ** {right} is too large to compute")
    elif operator == "*":
        for seq, times in ((left, right), (right, left)):
            if (isinstance(seq, str | list | tuple) and isinstance(times, int)
                    and len(seq) * times > MAX_REPEAT):
                raise SecurityError(f"a repetition longer than {MAX_REPEAT:,} items")


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox, reading model fields and dict keys without its checks,
    with powers and repetitions bounded (intercepted operators are never folded at
    compile time either, so `check` cannot hang on a constant)."""

    intercepted_binops = frozenset({"**", "*"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _bounded(operator, left, right)
        return super().call_binop(context, operator, left, right)

    def getattr(self, obj: Any, attribute: str) -> Any:
        kind: type = type(obj)
        if kind is dict:
            if attribute not in DICT_ATTRIBUTES:
                try:
                    return obj[attribute]
                except KeyError:
                    return self.undefined(obj=obj, name=attribute)
        elif attribute in data_fields(kind):
            return getattr(obj, attribute)
        return super().getattr(obj, attribute)
