"""Which score items and red flags read each findings field: the "why we ask" of a question.

Read off the scores themselves (each item lists the fields it reads) and off the red-flag
triggers, so it can never disagree with what the scores do.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache

_INDEX = re.compile(r"\[\d+\]")


def normalize(path: str) -> str:
    """drugs[3].start_day -> drugs[].start_day."""
    return _INDEX.sub("[]", path)


@cache
def uses() -> dict[str, tuple[str, ...]]:
    """findings path -> what reads it ("EuroSCAR AGEP validation score: Pustules", ...)."""
    from triage.findings import SCHEMA, Findings
    from triage.red_flags import TRIGGERS
    from triage.result import evaluate

    # One drug with a start day, so that ALDEN and Naranjo are scored and list their fields.
    result = evaluate(
        Findings.model_validate({"schema": SCHEMA, "drugs": [{"name": "x", "start_day": -10}]})
    )
    found: dict[str, list[str]] = defaultdict(list)

    def add(path: str, use: str) -> None:
        key = normalize(path)
        if use not in found[key]:
            found[key].append(use)

    scores = list(result.scores)
    for drug in result.drugs:
        scores += [s for s in (drug.alden, drug.naranjo) if s is not None]
    for score in scores:
        for item in score.items:
            for path in item.fields:
                add(path, f"{score.name}: {item.label}")
    for trigger in TRIGGERS:
        for path in trigger.fields:
            add(path, f"red flag ({trigger.level}): {trigger.text}")
    return {path: tuple(values) for path, values in found.items()}
