"""One error family for everything read from outside: file, line, field, given, allowed."""

from __future__ import annotations

from typing import NamedTuple


class Problem(NamedTuple):
    """One thing wrong with an input file, said so that a clinician can fix it."""

    source: str
    message: str
    path: str = ""
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.source
        if self.path:
            where += f": {self.path}"
        elif self.line is not None:
            where += f": line {self.line}"
            if self.column is not None:
                where += f", column {self.column}"
        text = f"{where}: {self.message}"
        if self.path and self.line is not None:
            text += f" (line {self.line})"
        return text


def located(problem: Problem, severity: str) -> str:
    """A problem in compiler style, `file:line:column: severity: path: message`, which
    editors and terminals turn into links."""
    where = problem.source
    if problem.line is not None:
        where += f":{problem.line}"
        if problem.column is not None:
            where += f":{problem.column}"
    path = f"{problem.path}: " if problem.path else ""
    return f"{where}: {severity}: {path}{problem.message}"


class InputError(Exception):
    """Raised with every problem found in one input; nothing from it may be used."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
