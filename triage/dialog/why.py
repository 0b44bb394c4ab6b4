""" "Why we ask": what a question's answer feeds, derived from the dialog's mapping."""

from __future__ import annotations

from triage.dialog.conditions import reads
from triage.dialog.loader import LoadedDialog
from triage.dialog.model import Question
from triage.field_uses import uses


def _derive_reads(dialog: LoadedDialog) -> list[tuple[str, set[str]]]:
    """(derived field, the answers its rule reads) for each derive rule."""
    out = []
    for rule in dialog.dialog.derive:
        read: set[str] = set()
        for text in (rule.when, rule.value):
            if text:
                read |= {attr for name, attr in reads(text) if name == "answers"}
        out.append((rule.field, read))
    return out


def fields_written(dialog: LoadedDialog, question: Question) -> list[str]:
    """The findings paths an answer to `question` can write (drug fields as drugs[].x)."""
    paths: list[str] = []
    if question.field:
        paths.append(question.field)
    paths += list(question.on_yes) + list(question.on_no) + list(question.on_date)
    for option in question.options or []:
        paths += list(option.sets)
    for unit in question.units or []:
        if unit.field:
            paths.append(unit.field)
    if question.bounds is not None:
        paths.append(question.bounds.field)
    if question.field and question.units:
        from triage.dialog.values import normal_lab

        if normal_lab(question) is not None:
            paths.append("labs.reported_normal")
    for derived, read in _derive_reads(dialog):
        if question.id in read:
            paths.append(derived)
    if question.id in dialog.group_of:
        paths = [f"drugs[].{p}" for p in paths]
    return list(dict.fromkeys(paths))


def why(dialog: LoadedDialog, question: Question) -> str:
    """One short line: the dialog's own `why`, else the scores and red flags it feeds."""
    if question.why:
        return question.why
    feeds: list[str] = []
    for path in fields_written(dialog, question):
        feeds += [u for u in uses().get(path, ()) if u not in feeds]
    if feeds:
        text = "Feeds " + "; ".join(feeds)
        return text if text.endswith((".", "?")) else text + "."
    gated = [
        q
        for q in dialog.questions.values()
        if q.enable_when and any(attr == question.id for _, attr in reads(q.enable_when))
    ]
    if gated:
        from triage.dialog.wording import field_label

        # By what they ask, in clinical words: a field's label, else the prompt.
        asked = list(dict.fromkeys(
            q.prompt if not q.field
            else field_label(("drugs[]." if q.id in dialog.group_of else "") + q.field)
            for q in gated))
        return "Decides whether to ask: " + "; ".join(asked) + ("" if asked[-1].endswith(
            ("?", ".")) else ".")
    if question.role == "onset":
        return "Day 0: every other date is counted from it."
    return "Kept in the record and the summary; no score uses it."
