"""How the assistant asks a question: the prompt, the answers allowed, why it is asked,
and at a follow-up visit the answer it had before, with the day it was given."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

if TYPE_CHECKING:
    from triage.dialog.engine import Slot
    from triage.dialog.loader import LoadedDialog

FOLLOW_UP_NOTE = ("The follow-up items: Enter on an empty answer keeps the answer shown; the "
                  "summary will set the visits side by side.")


def question_text(
    slot: Slot, dialog: LoadedDialog, before: str | None = None, keep: str | None = None,
    before_label: str = "Presentation day",
) -> Text:
    """A question as the assistant asks it: prompt, answers allowed, why we ask; at a
    follow-up visit, the answer before it (`before`, from the day `before_label` says)
    and what Enter keeps."""
    q = slot.question
    text = Text()
    if slot.repeat is not None and slot.group is not None:
        text.append(f"[{slot.group.item_label or 'item'} {slot.repeat + 1}] ", "bold")
    text.append(q.prompt, "bold")
    if q.type == "yes_no":
        text.append("\n1 yes   2 no")
    elif q.options and q.type != "date":
        joiner = "   (several: 1, 3; or none)" if q.type == "multi" else ""
        text.append("\n" + "\n".join(f"{i} {o.label}" for i, o in enumerate(q.options, 1)))
        text.append(joiner)
    elif q.units:
        from triage.dialog.values import typed_unit

        units = ", ".join(u.label if typed_unit(u) == u.label else f"{u.label} ({typed_unit(u)})"
                          for u in q.units)
        example = next((u for u in q.units[1:] if u.example), None)
        from triage.dialog.values import normal_lab

        text.append(f"\nin {units}"
                    + (f"; e.g. '{example.example} {typed_unit(example)}'" if example else "")
                    + ("; or 'normal'" if normal_lab(q) else "")
                    + ("; or a bound: '> 50'" + "".join(f", '{w}'" for w in q.bounds.words)
                       if q.bounds else ""))
        from triage.bsa import applies

        if applies([u.label for u in q.units]):
            text.append("   F9: add up regions (rule of nines) or palms", "dim")
    elif q.type == "date":
        text.append("\nISO date, today, yesterday, '5 days ago', '1 year ago', or days from the "
                    "onset: -9")
        if q.options:
            text.append("; or " + " or ".join(f"'{o.label}'" for o in q.options))
    if before is not None:
        text.append(f"\n{before_label}: {before}", "italic")
    if q.default:
        text.append(f"\n(empty = {q.default})", "dim")
    elif keep is not None:
        text.append(f"\n(empty = keep {keep})", "dim")
    if q.unknown_allowed:
        text.append("   ctrl+n: unknown", "dim")
    if q.id in dialog.questions or q.id in dialog.group_of:
        from triage.dialog.why import why

        text.append(f"\nWhy: {why(dialog, dialog.questions.get(q.id, q))}", "dim italic")
    return text
