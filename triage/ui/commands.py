"""The command palette's interview commands (ctrl+p): every action, a change of each
answer given, and a jump to each section. A Textual command `Provider` of the interview
screen, so the screen keeps only its bindings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any, NamedTuple

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape

from triage.plain_text import clean


class Command(NamedTuple):
    """One entry of the palette: its title (markup, answers escaped), help and action."""

    title: str
    help: str
    run: Callable[[], Any]


def commands(screen: Any) -> Iterator[Command]:
    """What the palette offers for the interview on `screen`, the interview screen."""
    engine = screen.engine
    yield Command("Unknown", "Answer the current question with unknown", screen.action_unknown)
    yield Command("Back", "Take back the last answer, or the last edit", screen.action_take_back)
    yield Command("Save transcript", "Write the answers to a file", screen.action_save)
    yield Command("Export summary", "Write the summary (Markdown) to a file",
                  screen.action_export)
    yield Command("Copy summary", "Copy the plain-text summary to the clipboard",
                  screen.action_copy)
    yield Command("New case", "Start again with no answers", screen.action_new_case)
    if engine.finished:
        yield Command("Follow-up visit today",
                      "A new visit of this finished case: the follow-up items are asked "
                      "again, and the summary sets the visits side by side",
                      screen.action_follow_up)
        yield Command("SCORTEN today",
                      "A quick visit for the day-3 SCORTEN: only its questions are asked, "
                      "and the summary sets its days side by side",
                      partial(screen.action_follow_up, "scorten"))
    yield Command("Show the whole conversation",
                  "Unfold the earlier messages (only the newest are laid out)",
                  screen.chat.unfold)
    for title, index in screen.summary_sections():
        yield Command(f"Summary: {escape(title)}", "Show this part of the summary",
                      partial(screen.show_summary_section, index))
    yield Command("Help", "The keys and how to answer", screen.app.action_help)
    yield Command("Drugs", "The drug editor: change, add or remove a drug", screen.action_drugs)
    from triage.ui.conversation import said

    for _, answer in engine.iter_answers():  # in interview order
        # The palette reads its titles as markup: an answer is escaped to stay text.
        yield Command(f"Edit: {escape(clean(said(engine, answer)))}", "Change this answer",
                      partial(screen.start_edit, answer.key))
    from triage.dialog.wording import question_label

    for slot in engine.left_out():  # could not change the outcome, but may be known
        yield Command(f"Answer: {escape(clean(question_label(slot.question, slot.repeat)))}",
                      "A drug's detail, asked only when opened" if slot.question.on_request
                      else "Answer a question the interview left out",
                      partial(screen.start_edit, slot.key))
    for section in engine.dialog.dialog.sections:
        yield Command(f"Jump to: {escape(section.title)}",
                      "Continue with the first open question of this section",
                      partial(screen.action_jump, section.id))


class InterviewCommands(Provider):
    """The interview's commands, found by fuzzy search as the app's own are."""

    async def discover(self) -> Hits:
        for command in commands(self.screen):
            yield DiscoveryHit(command.title, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in commands(self.screen):
            if (score := matcher.match(command.title)) > 0:
                yield Hit(score, matcher.highlight(command.title), command.run,
                          help=command.help)
