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

from jinja2.sandbox import ImmutableSandboxedEnvironment

#: Names that reach dict's own attributes (`items`, `pop`...): the sandbox decides those.
DICT_ATTRIBUTES = frozenset(dir(dict))


@cache
def data_fields(kind: type) -> frozenset[str]:
    """The declared fields of a pydantic model class; none for any other type."""
    from pydantic import BaseModel

    if issubclass(kind, BaseModel):
        return frozenset(kind.model_fields)
    return frozenset()


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox, reading model fields and dict keys without its checks."""

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
