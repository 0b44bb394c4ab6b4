"""pydantic validation errors -> Problems: the field path, the value given, what is allowed,
and the line in the file."""

from __future__ import annotations

import datetime as dt
import difflib
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from triage.errors import Problem
from triage.yamlio import Document

_TYPE_WORDS = {
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "int_parsing": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "text",
    "list_type": "a list",
    "tuple_type": "a list",
    "dict_type": "a mapping of keys to values",
    "model_type": "a mapping of keys to values",
    "model_attributes_type": "a mapping of keys to values",
}
_BOUNDS = {
    "greater_than_equal": (">=", "ge"),
    "greater_than": (">", "gt"),
    "less_than_equal": ("<=", "le"),
    "less_than": ("<", "lt"),
}


def show(value: Any) -> str:
    """A value as the clinician wrote it: 'text' quoted, true/false/null as in YAML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, dt.date):  # YAML reads an unquoted 2026-11-20 as a date
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def path_text(loc: tuple[str | int, ...]) -> str:
    """('drugs', 0, 'name') -> 'drugs[0].name'."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text


def _unwrap(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _unwrap(arg)
        if found is not None:
            return found
    return None


def _model_at(root: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    model: Any = root
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        fields = {f.alias or name: f for name, f in model.model_fields.items()}
        field = fields.get(part)
        if field is None:
            return None
        model = _unwrap(field.annotation)
        if model is None:
            return None
    return model


def _generic(loc: tuple[str | int, ...]) -> tuple[str, ...]:
    return tuple("*" if isinstance(p, int) else p for p in loc)


def message(error: Any, root: type[BaseModel], missing: dict[tuple[str, ...], str]) -> str:
    """The clinician-facing text of one pydantic error."""
    kind = error["type"]
    given = error.get("input")
    ctx = error.get("ctx") or {}
    loc = tuple(error["loc"])
    if kind == "extra_forbidden":
        model = _model_at(root, loc)
        allowed = [f.alias or name for name, f in model.model_fields.items()] if model else []
        key = str(loc[-1])
        hint = difflib.get_close_matches(key, allowed, n=1)
        text = f"unknown key {key!r}"
        if hint:
            text += f" (did you mean {hint[0]!r}?)"
        if allowed:
            text += "; allowed: " + ", ".join(allowed)
        return text
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"{show(given)} is not one of {expected}"
    if kind == "missing":
        return missing.get(_generic(loc), "missing (required)")
    if kind in _BOUNDS:
        op, key = _BOUNDS[kind]
        return f"{show(given)} must be {op} {show(ctx[key])}"
    if kind == "string_too_short":
        return missing.get((*_generic(loc), "empty"), "must not be empty")
    if kind == "string_too_long":
        return f"is longer than {ctx['max_length']} characters"
    if kind == "too_long":
        return f"has {ctx.get('actual_length')} entries; at most {ctx.get('max_length')}"
    if kind == "string_pattern_mismatch":
        return f"{show(given)} must match {ctx.get('pattern')}"
    if kind in _TYPE_WORDS:
        if isinstance(given, dt.date) and str(loc[-1]).endswith("_day"):
            return (f"{show(given)} is a date; a {loc[-1]} is a day number counted from the "
                    "onset (day 0): -9 for nine days before it, 14 for two weeks after")
        return f"{show(given)} is not {_TYPE_WORDS[kind]}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind in (
        "date_type",
        "date_parsing",
        "date_from_datetime_parsing",
        "date_from_datetime_inexact",
    ):
        return f"{show(given)} is not a date (YYYY-MM-DD)"
    if kind.startswith(("after_", "above_", "stop_", "stopped_", "ongoing_", "continued_",
                        "blank_", "duplicate")) or (
        kind == "date_format"
    ):
        return str(error["msg"])
    return f"{show(given)}: {error['msg']}"


def problems_from(
    exc: ValidationError,
    doc: Document | None,
    source: str,
    root: type[BaseModel],
    missing: dict[tuple[str, ...], str] | None = None,
) -> list[Problem]:
    """Translate pydantic's errors into one Problem per field, in file order."""
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple("schema" if p == "schema_" else p for p in error["loc"])
        line = None
        if doc is not None:
            line = doc.key_line(loc) if error["type"] == "extra_forbidden" else doc.line_of(loc)
        problems.append(Problem(source, message(dict(error, loc=loc), root, missing or {}),
                                path=path_text(loc), line=line))
    return sorted(problems, key=lambda p: (p.line is None, p.line or 0))


def validate_document(
    doc: Document,
    model: type[BaseModel],
    what: str,
    schema: str,
    missing: dict[tuple[str, ...], str] | None = None,
) -> Any:
    """A parsed file as `model`, or InputError with one Problem per field: an empty file,
    a file that is not a mapping, and every validation error, with line numbers."""
    from triage.errors import InputError

    if doc.data is None:
        raise InputError([Problem(doc.source, f"is empty; {what} starts with 'schema: {schema}'")])
    if not isinstance(doc.data, dict):
        kind = type(doc.data).__name__
        raise InputError(
            [Problem(doc.source, f"must be a mapping of sections, not a {kind}", line=1)]
        )
    hints = {("schema",): f"missing: {what} starts with 'schema: {schema}'", **(missing or {})}
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(problems_from(exc, doc, doc.source, model, hints)) from None
