"""The episode scores, declared once: the result computes them in this order, and the
assistant's panel and the summaries name and draw them from here."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import NamedTuple

from triage.findings import Findings
from triage.scores import eurosar, regiscar, scorten
from triage.scores.base import ScoreResult
from triage.scores.operators import Operators


class EpisodeScore(NamedTuple):
    """A score of the whole episode (ALDEN and Naranjo are per drug)."""

    id: str
    name: str
    short: str
    #: The published range: the panel draws the reachable range on it.
    scale: tuple[int, int]
    score: Callable[[Findings, Operators], ScoreResult]
    #: Reaction fields the score reads from the visit's sign instead, at a visit.
    at_a_visit: Mapping[str, str] = MappingProxyType({})


EPISODE_SCORES: tuple[EpisodeScore, ...] = tuple(
    EpisodeScore(m.ID, m.NAME, m.SHORT, m.SCALE, m.score,
                 MappingProxyType(getattr(m, "AT_A_VISIT", {})))
    for m in (eurosar, regiscar, scorten)
)
BY_ID = {s.id: s for s in EPISODE_SCORES}
