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
from triage.formats import FORMATS as ALL_FORMATS
from triage.formats import SUMMARY
from triage.numbers import signed

FORMATS = SUMMARY
TEMPLATE = {f.id: f.template for f in ALL_FORMATS if f.template is not None}

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


def exposure(row: dict[str, Any]) -> str:
    """A drug's exposure against day 0, in words."""
    start, stop, ongoing = row["start_day"], row["stop_day"], row["ongoing_at_onset"]
    text = "first intake unknown" if start is None else f"first intake day {start}"
    if stop is not None:
        text += f", last intake day {stop}"
    elif ongoing:
        text += ", still taken on day 0"
    else:
        text += ", last intake unknown"
    if row.get("latency_days") is not None:
        text += f" (latency {row['latency_days']} days)"
    return text


def provenance(r: dict[str, Any]) -> str:
    """The provenance footer in one line: versions, dialog, decisions, time."""
    p = r["provenance"]
    parts = [f"triage {p['triage_version']}"]
    if p.get("dialog"):
        d = p["dialog"]
        parts.append(f"dialog {d['id']} {d['version']} ({d['hash'][:19]}...)")
    parts.append(f"scoring rules: {p['rules']}")
    if p.get("next_steps_rules_version"):
        parts.append(f"next-step rules {p['next_steps_rules_version']}")
    changed = p.get("operators_changed") or {}
    parts.append(
        "thresholds: "
        + (
            ", ".join(f"{k} {v}" for k, v in changed.items())
            if changed
            else "the defaults of docs/decisions.md"
        )
    )
    decisions = r.get("decisions") or []
    if decisions:
        parts.append(f"{len(decisions)} project decision(s) applied, listed above")
    if p.get("rendered_at"):
        parts.append(f"rendered {p['rendered_at']} (UTC)")
    return "; ".join(parts)


def visit_heading(column: dict[str, Any]) -> str:
    """A visit as its column is headed: "Follow-up 1 (SCORTEN only), day 4, 2026-11-27"
    (follow-ups numbered as the assistant numbers them)."""
    kind = ("Presentation" if column["kind"] == "presentation"
            else f"Follow-up {column['number'] - 1}")
    if column.get("only_name"):
        kind += f" ({column['only_name']} only)"
    day = column["assessment_day"]
    return f"{kind}, {column['date']}" if day is None else f"{kind}, day {day}, {column['date']}"


def comparison(visits: list[dict[str, Any]],
               scores: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """(what, one value per visit) rows of the visits side by side: triage level,
    patterns considered, each score with its range, ALDEN and Naranjo per drug."""
    from triage.assessment import LABELS

    def score(s: dict[str, Any] | None) -> str:
        if s is None:
            return "not scored"
        text = f"{s['total']} {words(s['category'])}"
        return text if s["complete"] else f"{text} (reachable {s['min']} to {s['max']})"

    def considered(ids: list[str]) -> str:
        return ", ".join(LABELS[i].split(" (")[0] for i in ids) or "none"

    # At a visit after the skin has healed, the level is the visit's (what can outlast
    # the skin); otherwise every visit reads the reaction's worst findings.
    rows = [
        ("Triage level", [v["triage_level"] for v in visits]),
        ("Patterns considered", [considered(v["considered"]) for v in visits]),
    ]
    rows += [(scores[sid]["name"], [score(v["scores"].get(sid)) for v in visits])
             for sid in scores]
    last = visits[-1]["drugs"]
    # The drug list stays as the presentation had it (no drug is removed at a visit).
    for index, drug in enumerate(last):
        for key, name in (("alden", "ALDEN"), ("naranjo", "Naranjo")):
            rows.append((f"{name}, {drug['name']}",
                         [score(v["drugs"][index][key]) if index < len(v["drugs"])
                          else "not scored" for v in visits]))
    return rows


def scores_in_order(considered: list[str], scores: dict[str, Any]) -> list[dict[str, Any]]:
    """The episode's scores in reading order: SCORTEN first when SJS/TEN is considered
    (its mortality decides where the patient is treated), last otherwise."""
    order = list(scores)
    if "scorten" in scores:
        order.remove("scorten")
        order.insert(0 if "sjs_ten" in considered else len(order), "scorten")
    return [scores[sid] for sid in order]


def mortality(s: dict[str, Any], considered: list[str], healed: bool | None = False) -> str:
    """SCORTEN's mortality line: the paper's observed rates over the totals still
    reachable while items are unknown (never the lower bound's rate alone), only when
    SJS/TEN is considered (docs/decisions.md), and not once the skin has healed (at a
    follow-up visit `healed`): the score predicts death from the acute reaction."""
    if healed:
        return ("No mortality is given: the skin has healed, and SCORTEN predicts death "
                "from the acute reaction (computed within 24 h of admission and on day 3).")
    if "sjs_ten" not in considered:
        return (
            "No mortality is given: SCORTEN predicts death from SJS/TEN, which the answers "
            "do not point to."
        )
    timing = str(s["timing"]).capitalize()
    if s["total"] == s["max"]:
        return (
            f"Mortality (the paper's observed rate for the band): {s['mortality_text']} "
            f"(95 % CI {'-'.join(str(x) for x in s['mortality_ci_percent'])} %); "
            f"{s['model_estimate_label']}: {s['model_estimate_percent']} %. {timing}."
        )
    return (
        f"Mortality (the paper's observed rates for the totals still reachable, "
        f"{s['total']} to {s['max']}): {s['mortality_range_text']}; "
        f"{s['model_estimate_label']}: {s['model_estimate_percent']} % to "
        f"{s['model_estimate_percent_max']} %. {timing}."
    )


def words(value: Any) -> str:
    """A coded answer or category in words: very_probable -> very probable."""
    from triage import labels

    return labels.words(value)


def fits(fit: dict[str, str]) -> str:
    """How a latency fits each reaction: "AGEP: typical, SJS/TEN: atypical"."""
    return ", ".join(f"{words(kind)}: {how}" for kind, how in fit.items())


def field(path: str) -> str:
    """A findings field as a clinician names it: systemic.temperature_max_c -> highest
    temperature."""
    from triage import labels

    return labels.of(path).label


@cache
def environment(autoescape: bool) -> Any:
    """One Jinja2 environment per escaping mode, built on first use."""
    import jinja2

    from triage.jinja_cache import QuietBytecodeCache
    from triage.paths import templates_dir

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        bytecode_cache=QuietBytecodeCache(),
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        plain=plain,
        md=md,
        signed=signed,
        span=span,
        answer=words,
        wrap=wrap,
        words=words,
        field=field,
        fits=fits,
        exposure=exposure,
        provenance=provenance,
        comparison=comparison,
        visit_heading=visit_heading,
        scores_in_order=scores_in_order,
        mortality=mortality,
    )
    env.globals["timeline_svg"] = timeline_svg
    return env


def json_line(result: dict[str, Any]) -> bytes:
    """One result as one line of JSON, UTF-8 (the several-files form of `triage score`)."""
    import orjson

    return orjson.dumps(result) + b"\n"


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
    # The triage banner is the one thing no template may leave out.
    flat = " ".join(text.split())
    for _, result in results:
        banner = result["triage"]["text"]
        if not any(" ".join(b.split()) in flat for b in (plain(banner), md(banner))):
            raise AssertionError(f"template {TEMPLATE[fmt]} omits the triage banner")
    if fmt == "html":
        return text
    # Templates stay readable with blank lines around blocks; the output keeps at most one.
    return re.sub(r"\n{3,}", "\n\n", text)


#: The timeline shows at most the 12 weeks before the onset: the 8 weeks that matter for
#: causality and some margin; earlier starts are drawn from the edge and labelled.
TIMELINE_EARLIEST = -84


def timeline_svg(rows: list[dict[str, Any]], assessment_day: int | None = None) -> Any:
    """The drug timeline as inline SVG: one bar per drug from first to last intake (to the
    assessment day while still taken), day 0 marked, weekly ticks. Names are escaped here
    (the markup is built outside the template)."""
    from markupsafe import Markup, escape

    days = [0]
    for row in rows:
        days += [d for d in (row["start_day"], row["stop_day"]) if d is not None]
    if assessment_day is not None:
        days.append(assessment_day)
    low = max(min(days), TIMELINE_EARLIEST) - 2
    high = max(max(days), 7) + 2
    label_w, plot_w, right, row_h = 170, 430, 110, 22
    height = row_h * (len(rows) + 1) + 14

    def x(day: float) -> float:
        day = min(max(day, low), high)
        return round(label_w + (day - low) / (high - low) * plot_w, 1)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + plot_w + right}" '
        f'height="{height}" role="img" aria-label="drug timeline, day 0 is the onset" '
        'font-family="sans-serif">'
    ]
    axis_y = 8 + len(rows) * row_h
    for tick in range(0, low - 1, -7):
        parts.append(f'<line x1="{x(tick)}" y1="6" x2="{x(tick)}" y2="{axis_y}" stroke="#ddd"/>')
        if tick and tick % 14 == 0:
            parts.append(
                f'<text x="{x(tick) - 10}" y="{axis_y + 13}" font-size="10" '
                f'fill="#555">{tick}</text>'
            )
    for i, row in enumerate(rows):
        y = 8 + i * row_h
        start = row["start_day"]
        if row["stop_day"] is not None:
            end = row["stop_day"]
        elif row["ongoing_at_onset"]:
            end = assessment_day if assessment_day is not None else 0
        else:
            # The last dose not known: drawn, dashed, up to the onset, not as a tick.
            end = 0 if start is None or start < 0 else start
        first = start if start is not None else low
        stop_unknown = row["stop_day"] is None and not row["ongoing_at_onset"]
        note = ""
        if start is None:
            note = " (start unknown)"
        elif start < low:
            note = f" (from day {start})"
        elif stop_unknown:
            note = " (last dose unknown)"
        dashed = (' stroke-dasharray="4 2"'
                  if start is None or start < low or stop_unknown else "")
        parts.append(f'<text x="0" y="{y + 13}" font-size="12">{escape(row["name"][:26])}</text>')
        parts.append(
            f'<rect x="{x(first)}" y="{y + 3}" width="{max(x(end) - x(first), 2)}" '
            f'height="12" fill="#8aa9c9" stroke="#2b4a6b"{dashed}/>'
        )
        if note:
            parts.append(
                f'<text x="{label_w + plot_w + 6}" y="{y + 13}" font-size="10" '
                f'fill="#555">{escape(note.strip())}</text>'
            )
    parts.append(
        f'<line x1="{x(0)}" y1="2" x2="{x(0)}" y2="{axis_y}" stroke="#a40000" stroke-width="2"/>'
    )
    parts.append(
        f'<text x="{x(0) - 30}" y="{axis_y + 13}" font-size="10" fill="#a40000">day 0</text>'
    )
    parts.append(
        f'<text x="{label_w}" y="{height - 1}" font-size="10" fill="#555">days '
        "from the onset; ticks weekly</text>"
    )
    parts.append("</svg>")
    return Markup("".join(parts))
