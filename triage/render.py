"""The Jinja2 environment and the output formats of results.

Templates live in `templates/` (wording is data). They receive the JSON form of a result,
so every format says the same numbers. Free text is escaped for each format: HTML by
autoescaping, Markdown by the `md` filter, and control characters are dropped everywhere.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Sequence
from functools import cache
from typing import Any

from triage import __version__
from triage.scores.base import signed

FORMATS = ("json", "md", "text", "html")
TEMPLATE = {"md": "score_report.md", "text": "score_report.txt", "html": "score_report.html"}

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#&!])")


def plain(value: Any) -> str:
    """Text without control characters (they could move a terminal's cursor or hide text)."""
    return _CONTROL.sub("", "" if value is None else str(value))


def md(value: Any) -> str:
    """Free text made inert in Markdown: every markup character backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", plain(value).replace("\n", " "))


def span(low: int, high: int) -> str:
    """A reachable range: '+2' when fixed, '-1..+1' otherwise."""
    return signed(low) if low == high else f"{signed(low)}..{signed(high)}"


def answer(value: Any) -> str:
    """An answer as a clinician reads it."""
    if value is None:
        return "unknown"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) if value else "none"
    return str(value)


def wrap(text: Any, width: int = 78, indent: str = "", first: str | None = None) -> str:
    """Wrap plain text for the 80-column text format."""
    return textwrap.fill(
        plain(text),
        width=width,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_long_words=True,
        break_on_hyphens=False,
    )


def words(value: str) -> str:
    """An identifier as words: very_probable -> very probable."""
    return str(value).replace("_", " ")


@cache
def environment(autoescape: bool) -> Any:
    """One Jinja2 environment per escaping mode, built on first use."""
    import jinja2

    from triage.paths import templates_dir

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        plain=plain, md=md, signed=signed, span=span, answer=answer, wrap=wrap, words=words
    )
    return env


def json_line(result: dict[str, Any]) -> str:
    """One result as one line of JSON (the several-files form of `triage score`)."""
    import orjson

    return orjson.dumps(result).decode("utf-8") + "\n"


def render(results: Sequence[tuple[str, dict[str, Any]]], fmt: str) -> str:
    """Render JSON results (`Result.as_json()`) in one format: JSON, or a report per file."""
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    if fmt == "json":
        if len(results) == 1:
            return json.dumps(results[0][1], indent=2, ensure_ascii=False) + "\n"
        return "".join(
            json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for _, r in results
        )
    env = environment(fmt == "html")
    template = env.get_template(TEMPLATE[fmt])
    reports = [{"source": source, "r": result} for source, result in results]
    text = template.render(reports=reports, version=__version__)
    if fmt == "html":
        return text
    # Templates stay readable with blank lines around blocks; the output keeps at most one.
    return re.sub(r"\n{3,}", "\n\n", text)
