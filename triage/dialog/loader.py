"""Reading a dialog file: YAML with line numbers, the model, the structure the engine needs."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from triage import validation
from triage.dialog.model import Dialog, Question, Section
from triage.errors import InputError, Problem
from triage.paths import default_dialog_path as default_dialog_path  # for callers
from triage.yamlio import Document, parse, read_text


@dataclass(frozen=True)
class LoadedDialog:
    """A dialog with its content hash and lookup tables for the engine."""

    dialog: Dialog
    source: str
    hash: str
    document: Document | None = field(repr=False, default=None)

    @property
    def id(self) -> str:
        return self.dialog.id

    @property
    def version(self) -> str:
        return self.dialog.version

    def __post_init__(self) -> None:
        questions: dict[str, Question] = {}
        section_of: dict[str, Section] = {}
        group_of: dict[str, Question] = {}
        for section in self.dialog.sections:
            for q in section.questions:
                questions[q.id] = q
                section_of[q.id] = section
                if q.type == "group":
                    assert q.questions is not None and q.more is not None
                    for child in q.questions:
                        questions[child.id] = child
                        section_of[child.id] = section
                        group_of[child.id] = q
                    section_of[q.more.id] = section
                    group_of[q.more.id] = q
        object.__setattr__(self, "questions", questions)
        object.__setattr__(self, "section_of", section_of)
        object.__setattr__(self, "group_of", group_of)
        object.__setattr__(
            self, "section_index", {s.id: i for i, s in enumerate(self.dialog.sections)}
        )
        onset = [q.id for q in questions.values() if q.role == "onset"]
        object.__setattr__(self, "onset_id", onset[0] if onset else None)
        object.__setattr__(self, "_more", {})

    questions: dict[str, Question] = field(init=False, repr=False)
    section_of: dict[str, Section] = field(init=False, repr=False)
    group_of: dict[str, Question] = field(init=False, repr=False)
    #: Each section's place in the interview, by id.
    section_index: dict[str, int] = field(init=False, repr=False)
    onset_id: str | None = field(init=False)
    _more: dict[str, Question] = field(init=False, repr=False)

    def more_question(self, group: Question) -> Question:
        """The "another one?" question of a group, as a yes/no question."""
        assert group.more is not None
        cached = self._more.get(group.id)
        if cached is None:
            # Built from a checked dialog's values: nothing to validate (and no validator
            # to build for a dialog that came from the cache).
            cached = Question.model_construct(
                id=group.more.id, type="yes_no", prompt=group.more.prompt, unknown_allowed=False
            )
            self._more[group.id] = cached
        return cached


def canonical_text(dialog: Dialog) -> str:
    """What the dialog says, as one line of JSON (itself a valid dialog file): without its
    comments, layout, or the defaults it leaves unsaid, so that a new optional key in the
    format does not change what an old dialog says. The store keeps this text."""
    data = dialog.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(dialog: Dialog) -> str:
    """The hash of the dialog's canonical text: sessions name their dialog by it."""
    return text_hash(canonical_text(dialog))


def text_hash(text: str) -> str:
    """`sha256:` and the hex digest of a dialog's canonical text."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def structural_problems(dialog: Dialog, doc: Document | None, source: str) -> list[Problem]:
    """The problems that stop the engine: duplicate ids, nested groups, two onsets."""
    problems: list[Problem] = []
    seen: dict[str, str] = {}

    def where(loc: tuple[str | int, ...]) -> int | None:
        return doc.line_of(loc) if doc else None

    def note(identifier: str, loc: tuple[str | int, ...]) -> None:
        path = validation.path_text(loc)
        if identifier in seen:
            problems.append(
                Problem(
                    source,
                    f"duplicate id {identifier!r} (first at {seen[identifier]})",
                    path=path,
                    line=where(loc),
                )
            )
        else:
            seen[identifier] = path

    onsets = []
    for s_index, section in enumerate(dialog.sections):
        note(section.id, ("sections", s_index, "id"))
        for q_index, q in enumerate(section.questions):
            loc: tuple[str | int, ...] = ("sections", s_index, "questions", q_index)
            note(q.id, (*loc, "id"))
            if q.role == "onset":
                onsets.append(validation.path_text(loc))
            for c_index, child in enumerate(q.questions or []):
                child_loc = (*loc, "questions", c_index)
                note(child.id, (*child_loc, "id"))
                if child.type == "group":
                    problems.append(
                        Problem(
                            source,
                            "a group cannot contain a group",
                            path=validation.path_text(child_loc),
                            line=where(child_loc),
                        )
                    )
                if child.role == "onset":
                    problems.append(
                        Problem(
                            source,
                            "the onset question cannot be in a group",
                            path=validation.path_text(child_loc),
                            line=where(child_loc),
                        )
                    )
            if q.more is not None:
                note(q.more.id, (*loc, "more", "id"))
    if len(onsets) > 1:
        problems.append(
            Problem(source, "more than one question has role: onset (" + ", ".join(onsets) + ")")
        )
    return problems


def from_document(doc: Document) -> LoadedDialog:
    """Validate a parsed dialog document, or raise InputError with every problem."""
    dialog = validation.validate_document(doc, Dialog, "a dialog file", "triage.dialog/1")
    problems = structural_problems(dialog, doc, doc.source)
    if problems:
        raise InputError(problems)
    return LoadedDialog(dialog, doc.source, content_hash(dialog), doc)


def load_dialog(path: Path, source: str | None = None) -> LoadedDialog:
    """Read and check a dialog file; a file checked before comes from the cache (without
    its node tree: `triage check`, which reports line numbers, reads with from_document)."""
    from pydantic.version import VERSION

    from triage import built_cache

    name = source if source is not None else str(path)
    text = read_text(path, name)
    fresh: list[LoadedDialog] = []

    def build() -> tuple[Dialog, str]:
        fresh.append(from_document(parse(text, name)))
        return fresh[0].dialog, fresh[0].hash

    dialog, digest = built_cache.built(
        "dialog", text.encode("utf-8"), build, VERSION,
        code=("triage.dialog.model", "triage.dialog.loader"),
    )
    return fresh[0] if fresh else LoadedDialog(dialog, name, digest)


def loads_dialog(text: str, source: str = "<dialog>") -> LoadedDialog:
    """Read and check a dialog from text."""
    return from_document(parse(text, source))
