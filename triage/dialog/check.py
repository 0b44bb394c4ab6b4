"""`triage check`: lint a dialog before anyone is interviewed with it.

Errors: what stops a dialog from working (syntax, schema, duplicate ids, expressions that
do not compile or name unknown answers, a condition on a later answer, a compared value
no answer can take, a field the findings do not have or a value they refuse, and an
expression that fails when evaluated with sample answers of each type, unknown and
unanswered included).
Warnings: findings fields that no path through the dialog reaches.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from triage import validation
from triage.dialog import values
from triage.dialog.conditions import (
    CONTEXT_NAMES,
    VISIT_FIELDS,
    ExpressionError,
    compared_values,
    compiled,
    evaluate,
    references,
)
from triage.dialog.loader import LoadedDialog, from_document
from triage.dialog.model import Question
from triage.errors import InputError, Problem
from triage.findings import SCHEMA, Drug, Findings
from triage.yamlio import load_file


@dataclass
class Report:
    """What `check` found in one dialog file."""

    source: str
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    coverage: dict[str, list[str]] = field(default_factory=dict)
    dialog: LoadedDialog | None = None


def findings_paths(model: type[BaseModel] = Findings, prefix: str = "") -> list[str]:
    """Every leaf field path of the findings model (drugs as one relative list)."""
    paths: list[str] = []
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key == "schema" or (model is Findings and key == "drugs"):
            continue
        sub = _submodel(info.annotation)
        if sub is not None:
            paths += findings_paths(sub, f"{prefix}{key}.")
        else:
            paths.append(prefix + key)
    return paths


def drug_paths() -> list[str]:
    """Every leaf field path of one drug, relative to it."""
    return findings_paths(Drug)


def _submodel(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) is list:
        return None
    for arg in get_args(annotation):
        found = _submodel(arg)
        if found is not None:
            return found
    return None


Loc = tuple[str | int, ...]


def _walk(loaded: LoadedDialog) -> Iterator[tuple[Loc, Question, Question | None]]:
    """(location, question, its group or None) for every question, in interview order."""
    for s_index, section in enumerate(loaded.dialog.sections):
        for q_index, q in enumerate(section.questions):
            loc: tuple[str | int, ...] = ("sections", s_index, "questions", q_index)
            yield loc, q, None
            for c_index, child in enumerate(q.questions or []):
                yield (*loc, "questions", c_index), child, q


def check(path: Path, source: str | None = None) -> Report:
    """Lint one dialog file."""
    name = source if source is not None else str(path)
    report = Report(name)
    try:
        doc = load_file(path, name)
        loaded = from_document(doc)
    except InputError as exc:
        report.errors = exc.problems
        return report
    return check_loaded(loaded, name, report)


def check_loaded(loaded: LoadedDialog, source: str, report: Report | None = None) -> Report:
    """Lint a dialog already read (one the session store kept, say)."""
    report = report if report is not None else Report(source)
    report.dialog = loaded
    _Checker(loaded, report).run()
    return report


class _Checker:
    def __init__(self, loaded: LoadedDialog, report: Report) -> None:
        self.loaded = loaded
        self.report = report
        self.doc = loaded.document
        self.order: dict[str, int] = {}
        self.domain: dict[str, set[Any] | None] = {}
        for position, (_, q, _group) in enumerate(_walk(loaded)):
            self.order[q.id] = position
            self.domain[q.id] = _domain(q)
            if q.more is not None:
                self.order[q.more.id] = position + 0.5  # type: ignore[assignment]
                self.domain[q.more.id] = {"yes", "no"}
        self.top = {q.id for _, q, g in _walk(loaded) if g is None}
        self.questions = {q.id: q for _, q, _g in _walk(loaded)}
        self.children = {
            g.id: {c.id for c in g.questions or []} | {g.more.id}  # type: ignore[union-attr]
            for _, g, _p in _walk(loaded)
            if g.type == "group"
        }

    def error(self, loc: tuple[str | int, ...], message: str) -> None:
        line = self.doc.line_of(loc) if self.doc else None
        self.report.errors.append(
            Problem(self.report.source, message, path=validation.path_text(loc), line=line)
        )

    def run(self) -> None:
        self.dates_after_the_onset()
        reached: dict[str, list[str]] = {p: [] for p in findings_paths()}
        reached.update({f"drugs[].{p}": [] for p in drug_paths()})
        from triage.dialog.relevance import must_ask

        for loc, q, group in _walk(self.loaded):
            if q.on_request and must_ask(self.loaded, q):
                self.error((*loc, "on_request"), "a red flag or a condition reads this "
                           "answer: it is asked in turn, not only on request")
            if q.enable_when:
                self.expression((*loc, "enable_when"), q.enable_when, q, group)
            self.values(loc, q, group)
            for path in self.fields(loc, q, group):
                key = path if group is None else f"drugs[].{path}"
                if key in reached:
                    reached[key].append(q.id)
            for u_index, unit in enumerate(q.units or []):
                self.expression(
                    (*loc, "units", u_index, "to_canonical"),
                    unit.to_canonical,
                    q,
                    group,
                    extra={"x"},
                    needs=tuple(unit.needs),
                )
        for d_index, rule in enumerate(self.loaded.dialog.derive):
            loc = ("derive", d_index)
            for part in ("when", "value"):
                text = getattr(rule, part)
                if text:
                    self.expression((*loc, part), text, None, None)
            if rule.field in reached:
                reached[rule.field].append(f"derive[{d_index}]")
            else:
                self.error((*loc, "field"), _unknown_field(rule.field, None))
        self.report.coverage = reached
        for path, sources in reached.items():
            if not sources:
                self.report.warnings.append(
                    Problem(self.report.source, f"no question reaches findings field {path}")
                )

    def dates_after_the_onset(self) -> None:
        """Every date question after the onset: a calendar date is placed from the
        onset, so a transcript in interview order replays."""
        onset = self.loaded.onset_id
        for loc, q, _group in _walk(self.loaded):
            if q.id == onset:
                return
            if q.type == "date":
                self.error(loc, f"a date question before the onset question"
                           f"{f' ({onset})' if onset else ''}: its calendar dates cannot be "
                           "placed when the interview is replayed in order")

    def expression(
        self,
        loc: tuple[str | int, ...],
        text: str,
        q: Question | None,
        group: Question | None,
        extra: set[str] | None = None,
        needs: tuple[str, ...] = (),
    ) -> None:
        errors_before = len(self.report.errors)
        try:
            compiled(text)
            names, reads = references(text)
        except ExpressionError as exc:
            self.error(loc, f"does not compile: {exc}")
            return
        allowed = set(CONTEXT_NAMES) | {"none", "true", "false", "True", "False", "None"}
        for unknown in sorted(names - allowed):
            self.error(loc, f"uses {unknown!r}; allowed names: {', '.join(CONTEXT_NAMES)}")
        for name, attr in sorted(reads):
            if name == "answers":
                if attr not in self.top:
                    hint = (
                        " (inside a group use item.)"
                        if any(attr in c for c in self.children.values())
                        else ""
                    )
                    self.error(loc, f"names unknown answer {attr!r}{hint}")
                    continue
            elif name == "item":
                siblings = self.children.get(group.id, set()) if group else set()
                if attr not in siblings:
                    self.error(loc, f"names {attr!r}, which is not a question of this group")
                    continue
            elif name == "visit":
                if attr not in VISIT_FIELDS:
                    self.error(loc, f"names visit.{attr}; a visit has: {', '.join(VISIT_FIELDS)}")
                continue
            else:
                continue
            if q is not None and self.order.get(attr, -1) >= self.order.get(q.id, 0):
                self.error(
                    loc,
                    f"depends on {attr!r}, which is asked at the same point or "
                    "later: the condition can never see its answer",
                )
        for name, attr, literal in compared_values(text):
            if name not in ("answers", "item"):
                continue
            domain = self.domain.get(attr)
            if domain is not None and literal not in domain:
                self.error(
                    loc,
                    f"compares {name}.{attr} with {literal!r}, which it can never "
                    f"be; its answers: {', '.join(sorted(map(str, domain)))}",
                )
        if len(self.report.errors) == errors_before:
            failure = self.run_samples(text, names, reads, needs)
            if failure:
                self.error(loc, failure)

    def run_samples(self, text: str, names: frozenset[str],
                    reads: frozenset[tuple[str, str]], needs: tuple[str, ...] = ()
                    ) -> str | None:
        """Evaluate an expression with sample answers of each type (unknown and
        unanswered included), as the interview would; what fails at run time, said with
        the answers it fails on, or None. A unit's `needs` (findings fields the engine
        requires before it converts) hold numbers."""
        variables: list[tuple[str, str | None]] = sorted(
            (n, a) for n, a in reads if n in ("answers", "item", "visit", "drug_info"))
        variables += [(n, None) for n in ("x", "repeat") if n in names]
        variables += [("findings", path) for path in needs]
        domains = [self.sample_values(v) for v in variables]
        for assignment in _assignments(domains):
            context: dict[str, Any] = {"answers": {}, "item": {}, "visit": {},
                                       "drug_info": {}, "findings": {"schema": SCHEMA}}
            for (name, attr), value in zip(variables, assignment, strict=True):
                if value is _UNANSWERED:
                    continue
                if attr is None:
                    context[name] = value
                elif name == "findings":
                    node = context["findings"]
                    *parents, last = attr.split(".")
                    for part in parents:
                        node = node.setdefault(part, {})
                    node[last] = value
                else:
                    context[name][attr] = value
            try:
                evaluate(text, **context)
            except ExpressionError as exc:
                said = ", ".join(
                    (f"{n}.{a}" if a else n)
                    + (" unanswered" if v is _UNANSWERED else f" = {v!r}")
                    for (n, a), v in zip(variables, assignment, strict=True)
                )
                return f"fails at run time{' when ' + said if said else ''}: {exc}"
        return None

    def sample_values(self, variable: tuple[str, str | None]) -> list[Any]:
        """What a name can hold when a condition reads it."""
        name, attr = variable
        if name == "x":
            return [0, 1, -1, 0.5, 1000]
        if name == "repeat":
            return [0, 1]
        if name == "visit" or name == "drug_info":
            return [False, True, _UNANSWERED]
        if name == "findings":  # a unit's needs: present, and a number
            return [0, 1, 12000.5]
        question = self.questions.get(attr or "")
        if question is None:  # a group's "another one?" question
            return ["yes", "no", _UNANSWERED]
        return [*_typed_samples(question), _UNANSWERED]

    def fields(
        self, loc: tuple[str | int, ...], q: Question, group: Question | None
    ) -> Iterator[str]:
        valid = set(drug_paths()) if group is not None else set(findings_paths())
        if q.type == "group":
            if q.field != "drugs":
                self.error((*loc, "field"), "a group must write to drugs")
            return
        targets: list[tuple[tuple[str | int, ...], str]] = []
        if q.field:
            targets.append(((*loc, "field"), q.field))
        for key, mapping in (("on_yes", q.on_yes), ("on_no", q.on_no), ("on_date", q.on_date)):
            targets += [((*loc, key), p) for p in mapping]
        for o_index, option in enumerate(q.options or []):
            targets += [((*loc, "options", o_index, "sets"), p) for p in option.sets]
        for u_index, unit in enumerate(q.units or []):
            if unit.field:
                targets.append(((*loc, "units", u_index, "field"), unit.field))
        if q.bounds is not None:  # a bound ("> 50") goes to its own field
            targets.append(((*loc, "bounds", "field"), q.bounds.field))
        if values.normal_lab(q) is not None:  # "normal" lists the value as reported normal
            targets.append(((*loc, "field"), "labs.reported_normal"))
        for where, path in targets:
            # `drugs: []` (no drug taken) writes the whole list, from outside the group.
            if path in valid or (path == "drugs" and group is None):
                yield path
            else:
                self.error(where, _unknown_field(path, group))

    def values(self, loc: tuple[str | int, ...], q: Question, group: Question | None) -> None:
        """Every value an answer can write must be one the findings accept."""
        seen: set[str] = set()
        for o_index, option in enumerate(q.options or []):
            if option.value in seen:
                self.error(
                    (*loc, "options", o_index, "value"),
                    f"option value {option.value!r} appears twice",
                )
            seen.add(option.value)
        samples: list[tuple[tuple[str | int, ...], dict[str, Any]]] = []
        if q.field and q.type == "choice":
            samples += [
                ((*loc, "options", i), {q.field: o.value}) for i, o in enumerate(q.options or [])
            ]
        if q.field and q.type == "multi":
            samples.append(((*loc, "field"), {q.field: [o.value for o in q.options or []]}))
        if q.field and q.type == "yes_no":
            samples.append(((*loc, "field"), {q.field: True}))
        for key in ("on_yes", "on_no", "on_date"):
            mapping = getattr(q, key)
            if mapping:
                samples.append(((*loc, key), dict(mapping)))
        for i, option in enumerate(q.options or []):
            if option.sets:
                samples.append(((*loc, "options", i, "sets"), dict(option.sets)))
        valid = set(drug_paths()) if group is not None else {*findings_paths(), "drugs"}
        for where, sample in samples:
            if not set(sample) <= valid:
                continue  # an unknown field is reported once, by fields()
            problem = _refused(sample, group is not None)
            if problem:
                self.error(where, f"the findings refuse this value: {problem}")


class _Unanswered:
    def __repr__(self) -> str:
        return "unanswered"


#: A name the condition reads that holds nothing yet (the question is not answered).
_UNANSWERED = _Unanswered()
#: Every combination of sample values is tried up to this many; beyond it, each value
#: with the others at their first, unknown and unanswered values.
_MAX_COMBINATIONS = 512


def _typed_samples(q: Question) -> list[Any]:
    """Values an answer to `q` takes in a condition, as the engine hands them over."""
    unknown: list[Any] = ["unknown"] if q.unknown_allowed else []
    options = [o.value for o in q.options or []]
    if q.type == "yes_no":
        return ["yes", "no", *unknown]
    if q.type == "choice":
        return [*options, *unknown]
    if q.type == "multi":
        return [[], options[:1], options, *unknown]
    if q.type in ("integer", "decimal"):
        numbers: list[Any] = [0, 1, -1]
        if q.range is not None:
            numbers += [q.range[0], q.range[1]]
        if q.type == "decimal":
            numbers.append(0.5)
        return [*numbers, *unknown]
    if q.type == "date":
        return [*(["2026-01-01"] if q.role == "onset" else [0, -3, 7, *options]), *unknown]
    if q.type == "text":
        return ["", "text", *unknown]
    return unknown


def _assignments(domains: list[list[Any]]) -> Iterator[tuple[Any, ...]]:
    """Every combination when there are few; else each value of each name, the others
    held at a baseline (their first value, unknown, or unanswered)."""
    total = 1
    for domain in domains:
        total *= len(domain)
    if total <= _MAX_COMBINATIONS:
        yield from itertools.product(*domains)
        return
    for pick in (0, -2, -1):
        base = [d[pick] if len(d) >= 2 else d[0] for d in domains]
        for index, domain in enumerate(domains):
            for value in domain:
                yield (*base[:index], value, *base[index + 1:])


def _domain(q: Question) -> set[Any] | None:
    unknown = {"unknown"} if q.unknown_allowed else set()
    if q.type == "yes_no":
        return {"yes", "no"} | unknown
    if q.type == "choice":
        return {o.value for o in q.options or []} | unknown
    return None


def _unknown_field(path: str, group: Question | None) -> str:
    import difflib

    valid = drug_paths() if group is not None else findings_paths()
    hint = difflib.get_close_matches(path, valid, n=1)
    where = "a drug" if group is not None else "the findings"
    text = f"{path!r} is not a field of {where}"
    return text + (f" (did you mean {hint[0]!r}?)" if hint else "")


def _refused(sample: dict[str, Any], in_drug: bool) -> str | None:
    data: dict[str, Any] = {"schema": SCHEMA}
    target: dict[str, Any] = data
    if in_drug:
        drug: dict[str, Any] = {"name": "x"}
        data["drugs"] = [drug]
        target = drug
    for path, value in sample.items():
        node = target
        parts = path.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    try:
        Findings.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        return validation.message(first, Findings, {})
    return None
