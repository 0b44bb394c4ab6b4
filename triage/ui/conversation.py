"""What the assistant says, read from the engine: its opening, the conversation so far when
a session is reopened, and each question with its follow-up context. Plain functions over
the engine, so that the screens only place what is said."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich.text import Text

from triage.ui.question import FOLLOW_UP_NOTE, question_text
from triage.ui.widgets.chat import Said

if TYPE_CHECKING:
    from triage.dialog.engine import Answer, Engine, Slot


def label(engine: Engine, answer: Answer) -> str:
    """The question an answer answers, in clinical words ("highest temperature")."""
    from triage.dialog.wording import question_label, question_of

    return question_label(question_of(engine.dialog, answer.question), answer.repeat)


def said(engine: Engine, answer: Answer, with_question: bool = True) -> str:
    """An answer as the clinician reads it back ("highest temperature: 101.3 °F")."""
    from triage.summary import as_entered

    words = as_entered(answer, engine.dialog, engine.value, engine.findings.eruption.onset_date)
    return f"{label(engine, answer)}: {words}" if with_question else words


def echo(engine: Engine, slot: Slot, text: str, raw: str, unit: str | None) -> str:
    """What was typed, with what it means when that says more: "2 (no)", "101.3 °F",
    "today (2026-10-04, day 14)"."""
    from triage.dialog.engine import Answer

    words = said(engine, Answer(slot.question.id, slot.repeat, raw, unit),
                 with_question=False)
    if words == text or words.startswith(text.strip() + " "):
        return words
    return f"{text} ({words})"


def kept(slot: Slot, suggestion: tuple[str, str | None]) -> str:
    """What an empty answer keeps (the engine's suggestion), in words ("16.8 x10⁹/L")."""
    from triage.dialog.engine import Answer
    from triage.dialog.wording import answer_words

    return answer_words(slot.question, Answer(slot.question.id, slot.repeat, *suggestion))


def title(engine: Engine) -> Said:
    """The line that opens every conversation."""
    return Said(f"{engine.dialog.dialog.title}. Red flags first; then the timeline, "
                "the drugs, the skin, labs and histology. F1: keys.", "note")


def opening(engine: Engine) -> list[Said]:
    """What a new interview says before its first answer."""
    said = [title(engine)]
    slot = engine.current()
    if slot is not None:
        said.append(Said(slot.section.title, "section"))
        if slot.section.intro:
            said.append(Said(slot.section.intro, "note"))
        said.append(Said(asked(engine, slot), "question"))
    return said


def asked(engine: Engine, slot: Slot) -> Text:
    """The question at `slot`; at a follow-up visit with the answer it had before the visit
    and what an empty answer keeps."""
    if engine.follow_up_visit is None:
        return question_text(slot, engine.dialog)
    from triage.summary import as_entered

    visit = engine.follow_up_visit
    was = engine.answer_before(slot.question.id, slot.repeat)
    keeps = engine.suggestion(slot)
    onset = None if visit.findings is None else visit.findings.eruption.onset_date
    return question_text(
        slot, engine.dialog,
        # The answer before the visit, with the date it meant then.
        before=None if was is None else as_entered(was, engine.dialog, visit.value, onset),
        keep=None if keeps is None else kept(slot, keeps),
        before_label="Presentation day" if was is None else given_on(was),
    )


def given_on(answer: Any) -> str:
    """The day an earlier answer was given, as it is shown beside its question: the
    presentation day's, or the visit's that gave it (an answer kept at a quick visit
    that did not ask it is still the day's that did)."""
    return "Presentation day" if answer.on is None else f"Visit of {answer.on.isoformat()}"


def follow_up_intro(engine: Engine, number: int | None = None) -> str:
    """The heading of a follow-up visit (the one under way, or the `number`th visit)."""
    from triage.dialog.engine import score_name

    number = len(engine.visits) if number is None else number
    visit = (engine.follow_up_visit if number == len(engine.visits)
             else engine.visits[number])
    assert visit is not None
    quick = "" if visit.only is None else f", {score_name(visit.only)} only"
    return (f"Follow-up visit {number}, {visit.on.isoformat()}{quick} (presentation day "
            f"{engine.today.isoformat()})")


def earlier(engine: Engine) -> tuple[list[Said], str | None]:
    """A reopened session's conversation so far, each question with its answer, and the
    section it ended in. Presentation-day answers replaced at a follow-up are history: they
    are shown, but cannot be chosen for an edit."""
    shown: list[Said] = []
    section: str | None = None
    visit = engine.follow_up_visit
    current = set(engine.answers)

    def conversation(answers: Iterable[Any], live: bool) -> None:
        nonlocal section
        for answer in answers:
            slot = engine.slot(answer.question, answer.repeat)
            if slot is None:
                continue
            if slot.section.id != section:
                section = slot.section.id
                shown.append(Said(slot.section.title, "section"))
            shown.append(Said(question_text(slot, engine.dialog), "question"))
            key = answer.key if live or answer in current else None
            # As the clinician reads it back: the option's words, the unit as printed.
            shown.append(Said(said(engine, answer, with_question=False), "answer", key))

    if visit is None:
        conversation(engine.answers, True)
        shown.append(Said(f"{len(engine.answers)} answers so far; going on.", "note"))
        return shown, section
    conversation(engine.visits[0].given, False)
    for number, earlier_visit in enumerate(engine.visits[1:], start=1):
        shown.append(Said(follow_up_intro(engine, number), "section"))
        section = None
        conversation(earlier_visit.given, False)
    shown.append(Said(follow_up_intro(engine), "section"))
    section = None
    conversation(engine.visited, True)
    shown.append(Said(FOLLOW_UP_NOTE, "note"))
    return shown, section


def emergencies(summary: dict[str, Any]) -> list[str]:
    """The emergency red flags of a summary, as said."""
    return [f["text"] for f in summary["triage"]["red_flags"] if f["level"] == "emergency"]
