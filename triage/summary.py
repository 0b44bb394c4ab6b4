"""The whole summary of one episode as data: scores, triage, assessment, next steps and
provenance. Every output format (JSON, and the md, text and html templates) renders this.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from triage import __version__
from triage.assessment import LABELS, Assessment, assess
from triage.findings import Findings
from triage.next_steps import Episode, steps
from triage.numbers import fmt_number
from triage.red_flags import ADULT_AGE
from triage.red_flags import assess as assess_level
from triage.result import evaluate
from triage.scores.operators import DEFAULT, Operators
from triage.visit_level import OUTLASTS_THE_SKIN, at_visit

DISCLAIMER = "Decision support, not a diagnosis."


def rendered_at() -> str:
    """Now in UTC; SOURCE_DATE_EPOCH (the reproducible-builds convention) fixes it, so a
    replay can be compared byte for byte."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        moment = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    else:
        moment = dt.datetime.now(tz=dt.UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def case_header(findings: Findings, assessment: Assessment) -> str:
    """One line: who, which day, what is considered, the first suspect."""
    p, er = findings.patient, findings.eruption
    who = (
        ", ".join(
            x
            for x in (
                (p.sex or "").capitalize() or None,
                f"{p.age_years} years" if p.age_years is not None else None,
            )
            if x
        )
        or "Patient"
    )
    when = []
    if er.assessment_day is not None:
        when.append(f"day {er.assessment_day} after onset")
    if er.onset_date is not None:
        when.append(f"onset {er.onset_date.isoformat()}")
    considered = [LABELS[c].split(" (")[0] for c in assessment.considered]
    parts = [who + (f" ({'; '.join(when)})" if when else "")]
    parts.append("considered: " + (", ".join(considered) if considered else "none yet"))
    if assessment.culprits:
        first = assessment.culprits[0]
        latency = first.drug.latency_days
        parts.append(
            f"first suspect: {first.drug.drug.name}"
            + (f" (latency {fmt_number(latency)} days)" if latency is not None else "")
        )
    return "; ".join(parts)


def caveats(findings: Findings) -> list[str]:
    """What a reader must know before trusting the numbers for this patient."""
    age = findings.patient.age_years
    if age is not None and age < ADULT_AGE:
        return [
            f"the patient is {age} years old: SCORTEN and ALDEN were derived in adults, so "
            "read them with care; heart and respiratory rates are judged by the NICE NG51 "
            "age bands, not the adult thresholds."
        ]
    return []


def visit_triage(findings: Findings, only: str | None = None) -> dict[str, Any]:
    """The triage of a follow-up visit, decided by the signs at the visit (the patterns
    stay those of the reaction; the level, and the next steps that read it, are the
    visit's). A quick visit for one score (`only`) records only the signs its score reads
    (SCORTEN: the heart rate and the skin): its level reads the others as last recorded,
    and says so."""
    judged = at_visit(findings)
    visit = assess_level(judged.findings, judged.names).as_json()
    if judged.healed:
        visit["unknown_red_flags"] = [
            u for u in visit["unknown_red_flags"] if u["id"] in OUTLASTS_THE_SKIN
        ]
        basis = (f": the skin had healed by day {findings.eruption.resolution_day}, so only "
                 "the vital signs at the visit, organ involvement and organ injury count")
    elif judged.carried:
        basis = (", from the signs recorded at it; not recorded at the visit and kept as "
                 "on the presentation day: "
                 + ", ".join(judged.carried))
    else:
        basis = ", from the signs recorded at it"
    if only is not None:
        from triage.dialog.engine import score_name

        basis += (f"; this visit recorded the questions of {score_name(only)} only: its "
                  "other signs are as last recorded")
    visit["skin_healed"] = judged.healed
    visit["visit_basis"] = (f"the level of this visit{basis}; the presentation day's "
                            "level is shown beside it")
    return visit


def summarize(
    findings: Findings,
    operators: Operators = DEFAULT,
    *,
    dialog: dict[str, str] | None = None,
    answers: list[dict[str, Any]] | None = None,
    at_visit: bool = False,
    only: str | None = None,
    episode: Episode | None = None,
) -> dict[str, Any]:
    """The summary of one set of findings (and, for a replay, its dialog and answers). At
    a follow-up visit (`at_visit`) the level is the visit's: once the skin has healed, it
    comes from what can outlast it (`only`: a quick visit for that score; `episode`: what
    its next steps need of the visits before it)."""
    result = evaluate(findings, operators)
    data = result.as_json()
    assessment = assess(findings, result, None if episode is None else episode.earlier)
    if at_visit:
        data["triage"] = visit_triage(findings, only)
    rules_version, recommended = steps(findings, result, assessment, data, episode)
    data["case"] = case_header(findings, assessment)
    data["caveats"] = caveats(findings)
    data["assessment"] = assessment.as_json()
    data["next_steps"] = [s.as_json() for s in recommended]
    if dialog is not None:
        data["dialog"] = dialog
    if answers is not None:
        data["answers"] = answers
    data["provenance"].update(
        {
            "next_steps_rules_version": rules_version,
            "dialog": dialog,
            "rendered_at": rendered_at(),
            "disclaimer": DISCLAIMER,
            "triage_version": __version__,
        }
    )
    return data


def summarize_interview(engine: Any, operators: Operators = DEFAULT) -> dict[str, Any]:
    """The summary of an interview (a `dialog.engine.Engine`): its findings, its dialog and
    its answers as entered, in interview order (the order a saved transcript replays them
    in, whatever jumps made them). The same for a headless replay and for the UI."""
    from triage.dialog import relevance
    from triage.dialog.wording import question_label

    loaded = engine.dialog
    onset = engine.findings.eruption.onset_date
    answers = [
        {
            k: v
            for k, v in (
                ("q", a.question),
                ("repeat", a.repeat),
                ("value", a.raw),
                ("unit", a.unit),
                # Given at a follow-up visit: its "today" is that day's.
                ("at_follow_up", a.on.isoformat() if a.on else None),
                # For people: the question and the answer in clinical words.
                ("question", question_label(slot.question, a.repeat)),
                ("answer", as_entered(a, loaded, engine.value, onset)),
            )
            if v is not None
        }
        for slot, a in engine.iter_answers()
    ]
    dialog = {"id": loaded.id, "version": loaded.version, "hash": loaded.hash}
    visit = engine.follow_up_visit
    episode = None if visit is None else episode_before(engine, len(engine.visits))
    data = summarize(engine.findings, operators, dialog=dialog, answers=answers,
                     at_visit=visit is not None, only=None if visit is None else visit.only,
                     episode=episode)
    left_out = engine.left_out()
    # Left unknown, never "no": each said, with the reason it was not asked.
    for key, reason, slots in (
        ("not_asked", relevance.REASON, [s for s in left_out if not s.question.on_request]),
        ("on_request", relevance.ON_REQUEST, [s for s in left_out if s.question.on_request]),
    ):
        if slots:
            data[key] = {"reason": reason,
                         "questions": [question_label(s.question, s.repeat) for s in slots]}
    _name_questions(data, loaded)
    if engine.follow_up_visit is not None:
        data["visits"] = visits_block(engine, data, operators)
    return data


def _figures(data: dict[str, Any]) -> dict[str, Any]:
    """What a visit's column shows: its day, level, patterns, scores and causality."""
    def brief(score: dict[str, Any] | None) -> dict[str, Any] | None:
        if score is None:
            return None
        return {k: score[k] for k in ("total", "min", "max", "category", "complete")}

    return {
        "assessment_day": data["assessment"]["assessment_day"],
        "triage_level": data["triage"]["level"],
        "considered": [p["id"] for p in data["assessment"]["phenotypes"] if p["considered"]],
        "scores": {sid: brief(score) for sid, score in data["scores"].items()},
        "drugs": [{"name": d["name"], "alden": brief(d["alden"]), "naranjo": brief(d["naranjo"])}
                  for d in data["drugs"]],
    }


def visits_block(engine: Any, data: dict[str, Any], operators: Operators) -> list[dict[str, Any]]:
    """Every visit of the episode in order, one column each: its day, triage level,
    patterns, scores and causality, and the answers it changed (the rest of the summary
    is the last visit's). The engine keeps each earlier visit as it ended (`Visit`)."""
    from triage.dialog.engine import score_name

    visits = list(engine.visits)
    current = engine.follow_up_visit
    columns = []
    for number, visit in enumerate(visits):
        figures = summarize(
            visit.findings, operators, at_visit=number > 0, only=visit.only,
            episode=episode_before(engine, number) if number > 0 else None)
        columns.append(_column(number, visit.on, visit.only, _figures(figures)))
    columns.append(_column(len(visits), current.on, current.only, _figures(data)))
    # The presentation's date is the day its answers give (onset + assessment day), not
    # the day the session was entered: a case entered after the fact read "day 14" beside
    # the date it was typed in.
    first = visits[0].findings.eruption
    if first.onset_date is not None and first.assessment_day is not None:
        columns[0]["date"] = (first.onset_date
                              + dt.timedelta(days=first.assessment_day)).isoformat()
    for number, column in enumerate(columns[1:], start=1):
        before = visits[number - 1]
        if number < len(visits):
            after = visits[number]
            given, value, onset = after.given, after.value, after.findings.eruption.onset_date
        else:
            given, value = tuple(engine.visited), engine.value
            onset = engine.findings.eruption.onset_date
        column["answers_changed"] = _changed(engine.dialog, before, given, value, onset)
        if column["only"] is not None:
            column["only_name"] = score_name(column["only"])
    return columns


def episode_before(engine: Any, number: int) -> Episode:
    """What the summary of visit `number` (1: the first follow-up; the visit under way is
    `len(engine.visits)`) needs of the visits before it: the presentation's day, the days
    of the quick SCORTEN visits so far, and the skin signs the earlier follow-ups
    recorded."""
    from triage.assessment import skin_so_far

    visits = list(engine.visits)
    here = (visits[number] if number < len(visits) else engine.follow_up_visit)
    findings = visits[number].findings if number < len(visits) else engine.findings
    scorten_days = [v.findings.eruption.assessment_day for v in visits[1:number]
                    if v.only == "scorten"]
    if here.only == "scorten":
        scorten_days.append(findings.eruption.assessment_day)
    earlier = None
    for visit in visits[1:number]:
        earlier = skin_so_far(visit.findings, earlier)
    return Episode(visits[0].findings.eruption.assessment_day, tuple(scorten_days), earlier)


def _column(number: int, on: dt.date, only: str | None,
            figures: dict[str, Any]) -> dict[str, Any]:
    return {"number": number + 1, "kind": "presentation" if number == 0 else "follow_up",
            "date": on.isoformat(), "only": only, **figures}


def _changed(dialog: Any, before: Any, given: tuple[Any, ...], value: Any,
             onset: Any) -> list[dict[str, Any]]:
    """The answers a visit gave that differ from what the visit before it ended with, in
    the clinician's words (an option's label, a date with its day)."""
    from triage.dialog.wording import question_label, question_of

    was = {a.key: a for a in before.answers}
    changed = []
    for answer in given:
        old = was.get(answer.key)
        meant = value(answer.question, answer.repeat)
        # The same answer, or one that means the same (a date kept as the day "today"
        # meant, a number in another unit), is no change.
        if old is not None and before.value(answer.question, answer.repeat) == meant and (
                meant is not None or (old.raw, old.unit) == (answer.raw, answer.unit)):
            continue
        entry: dict[str, Any] = {"q": answer.question}
        if answer.repeat is not None:
            entry["repeat"] = answer.repeat
        entry["question"] = question_label(question_of(dialog, answer.question), answer.repeat)
        entry["before"] = None if old is None else as_entered(
            old, dialog, before.value, before.findings.eruption.onset_date)
        entry["now"] = as_entered(answer, dialog, value, onset)
        changed.append(entry)
    return changed


def as_entered(answer: Any, dialog: Any, value: Any, onset: Any = None) -> str:
    """An answer in the clinician's words, with its unit; a date with the day it means
    (`value(question, repeat)`: at a follow-up "today" moves with the visit)."""
    from triage.dialog.wording import answer_words, question_of

    day = value(answer.question, answer.repeat)
    return answer_words(question_of(dialog, answer.question), answer,
                        day if isinstance(day, int) and not isinstance(day, bool) else None,
                        onset)


def _name_questions(data: dict[str, Any], loaded: Any) -> None:
    """Name the unknown red flags as the dialog's questions (their prompts) to ask now."""
    from triage.dialog.why import fields_written

    writers: dict[str, list[str]] = {}
    for question in loaded.questions.values():
        if question.id in loaded.group_of:
            continue
        for path in fields_written(loaded, question):
            writers.setdefault(path, []).append(question.prompt)
    for flag in data["triage"]["unknown_red_flags"]:
        prompts: list[str] = []
        for path in flag["ask"]:
            prompts += [p for p in writers.get(path, []) if p not in prompts]
        flag["questions"] = prompts


def changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """What an edit changed, in words: the triage level, each score, the next steps."""
    from triage.labels import words

    out = []
    old, new = before["triage"]["level"], after["triage"]["level"]
    if old != new:
        out.append(f"Triage level: {old} -> {new}")
    for sid, score in after["scores"].items():
        was = before["scores"][sid]
        if (was["total"], was["min"], was["max"]) != (score["total"], score["min"], score["max"]):
            out.append(
                f"{score['name']}: {was['total']} ({words(was['category'])}) -> "
                f"{score['total']} ({words(score['category'])}); reachable {score['min']} "
                f"to {score['max']}"
            )
    steps_before = {s["id"] for s in before["next_steps"]}
    steps_after = {s["id"] for s in after["next_steps"]}
    for step in after["next_steps"]:
        if step["id"] not in steps_before:
            out.append(f"New next step: {step['text']}")
    for step in before["next_steps"]:
        if step["id"] not in steps_after:
            out.append(f"No longer needed: {_headline(step['text'])}")
    return out


def _headline(text: str) -> str:
    """A next step by its opening words ("Safety-netting"), not its whole text."""
    head = text.split(": ", 1)[0]
    return head if len(head) <= 60 else head.split(". ", 1)[0]
