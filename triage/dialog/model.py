"""The dialog format: a pydantic model of a question tree file (`schema: triage.dialog/1`).

A dialog has sections of questions. Each question has a stable id, a prompt, an answer
type, an optional condition (`enable_when`, a sandboxed Jinja2 expression) and a mapping
to findings fields (`field`, option `sets`, `on_yes`/`on_no`, unit `field`). A `group` is a
repeating block (the drug list) whose fields are relative to one entry of a list field.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

QuestionType = Literal["choice", "multi", "yes_no", "integer", "decimal", "date", "text", "group"]
Scalar = str | int | float | bool | None


class _Model(BaseModel):
    # Deferred: a dialog read back from the cache (triage.built_cache) is never validated
    # again, so its validators are built only when a dialog file is actually read.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Option(_Model):
    """One answer of a choice or multiple-choice question."""

    value: str
    label: str
    #: Further findings set when this option is chosen (path -> value).
    sets: dict[str, Any] = Field(default_factory=dict)


class Unit(_Model):
    """A unit a number may be entered in, and how it becomes the field's unit."""

    id: str
    label: str
    #: Expression over `x` (the number entered) and `findings`; the default keeps x.
    to_canonical: str = "x"
    #: Another field this unit writes to (e.g. eosinophils in % go to eosinophils_percent).
    field: str | None = None
    #: Findings that must be known before this unit can be used.
    needs: list[str] = Field(default_factory=list)
    #: A plausible number in this unit, for the prompt's "e.g. '101.3 F'".
    example: str | None = None


class Bounds(_Model):
    """A number that may be answered by a bound where only a threshold matters (issue 21
    §5): "> 50", "more than 50", "less than 10", or a word the dialog defines."""

    #: The findings field the bound goes to ("> 50"), when no number is given.
    field: str
    #: Words taken as a bound: {generalized: "> 50"}.
    words: dict[str, str] = Field(default_factory=dict)


class More(_Model):
    """The "another one?" question asked after each entry of a group."""

    id: str
    prompt: str


class Question(_Model):
    """One question of the interview."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    type: QuestionType
    prompt: str
    help: str | None = None
    why: str | None = None
    field: str | None = None
    enable_when: str | None = None
    unknown_allowed: bool = True
    usually_unknown: bool = False
    #: Never asked in turn: answered only when the clinician opens it (a detail that is
    #: nearly always unknown, and whose unknown is scored as the source says).
    on_request: bool = False
    #: Asked again when a finished session is reopened at follow-up (`triage followup`).
    follow_up: bool = False
    default: str | None = None
    role: Literal["onset"] | None = None
    options: list[Option] | None = None
    units: list[Unit] | None = None
    range: tuple[float, float] | None = None
    bounds: Bounds | None = None
    on_yes: dict[str, Any] = Field(default_factory=dict)
    on_no: dict[str, Any] = Field(default_factory=dict)
    #: Further findings a date question sets when answered with a date (not a word).
    on_date: dict[str, Any] = Field(default_factory=dict)
    # group only
    questions: list[Question] | None = None
    more: More | None = None
    item_label: str | None = None

    @model_validator(mode="after")
    def _fits_type(self) -> Question:
        needs_options = self.type in ("choice", "multi")
        if needs_options and not self.options:
            raise ValueError(f"a {self.type} question needs options")
        # A date question may take words in place of a date ("still taking", "not yet").
        if not needs_options and self.type != "date" and self.options:
            raise ValueError(f"a {self.type} question takes no options")
        if self.type == "date" and self.options:
            if self.role == "onset":
                raise ValueError("the onset question takes a date, not words")
            for option in self.options:
                if re.search(r"\d", option.value + option.label):
                    raise ValueError(f"a date question's word {option.value!r} has a digit, "
                                     "which a day number or a date could mean")
        if self.type != "date" and self.on_date:
            raise ValueError("only a date question takes on_date")
        if self.type in ("integer", "decimal") and not self.units:
            raise ValueError(f"an {self.type} question needs units (one is enough)")
        if self.type not in ("integer", "decimal") and (self.units or self.range
                                                         or self.bounds):
            raise ValueError(f"a {self.type} question takes no units, range or bounds")
        if self.bounds is not None and self.range is None:
            raise ValueError("a number with bounds needs a range")
        if self.type == "group":
            if not self.questions or not self.more or not self.field:
                raise ValueError("a group needs questions, more and field")
        elif self.questions or self.more:
            raise ValueError("only a group takes questions and more")
        if self.type != "yes_no" and (self.on_yes or self.on_no):
            raise ValueError("only a yes_no question takes on_yes and on_no")
        if self.on_request and (not self.unknown_allowed or self.default is not None
                                or self.type == "group"):
            raise ValueError("a question asked on request is unknown until answered: it "
                             "takes unknown, and no default")
        if self.role == "onset" and self.type != "date":
            raise ValueError("the onset question must be a date")
        if self.range is not None and self.range[0] > self.range[1]:
            raise ValueError("range must be [low, high]")
        return self


class Section(_Model):
    """A titled run of questions; the UI's progress and "jump to" work by section."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    intro: str | None = None
    #: Every question of the section is asked again at follow-up.
    follow_up: bool = False
    questions: list[Question]


class Derive(_Model):
    """A findings field computed from the answers (e.g. a grade from guided questions)."""

    field: str
    value: str
    when: str | None = None


class Dialog(_Model):
    """A whole question tree."""

    schema_: Literal["triage.dialog/1"] = Field(alias="schema")
    id: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    version: str
    title: str
    sections: list[Section]
    derive: list[Derive] = Field(default_factory=list)
    #: Leave out a question whose answer, whatever it is, could not change a score's
    #: category, the level, the patterns considered or a next step (dialog/relevance.py).
    ask_only_what_matters: bool = False
