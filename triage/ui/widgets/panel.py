"""The side panel: triage level, each score with its reachable range, progress."""

from __future__ import annotations

import textwrap
from typing import Any

from rich.text import Text
from textual.widgets import Static

LEVEL_STYLE = {
    "emergency": "bold white on red",
    "urgent": "bold black on yellow",
    "routine": "bold black on green",
}


def range_bar(low: int, total: int, high: int, floor: int, ceiling: int, width: int = 20) -> str:
    """The reachable range drawn on the score's scale: ─ outside, ═ reachable, ● the total."""
    span = max(ceiling - floor, 1)

    def pos(value: int) -> int:
        return round((min(max(value, floor), ceiling) - floor) / span * (width - 1))

    cells = ["─"] * width
    for i in range(pos(low), pos(high) + 1):
        cells[i] = "═"
    cells[pos(total)] = "●"
    return "".join(cells)




class SidePanel(Static):
    """Always in view: what the answers mean so far."""

    DEFAULT_CSS = """
    SidePanel { width: 34; padding: 0 1; border-left: solid $primary; height: 1fr; }
    """

    def show(self, summary: dict[str, Any], progress: list[tuple[str, int, int]]) -> None:
        """Redraw from a summary (`triage.summary.summarize`) and the progress by section."""
        # Here, not at the top: the panel is on screen before the scoring code is loaded.
        from triage.scores.registry import BY_ID as EPISODE_BY_ID

        t = summary["triage"]
        text = Text()
        text.append(f" {t['level'].upper()} ", LEVEL_STYLE[t["level"]])
        text.append(f"  {len(t['red_flags'])} red flag(s)\n")
        if t["unknown_red_flags"]:
            text.append(f"{len(t['unknown_red_flags'])} unknown could raise it\n", "dim")
        text.append("\n")
        for sid, score in summary["scores"].items():
            declared = EPISODE_BY_ID[sid]
            floor, ceiling = declared.scale
            text.append(f"{declared.short} {score['total']}", "bold")
            text.append(f" {score['category'].replace('_', ' ')}\n")
            text.append(range_bar(score["min"], score["total"], score["max"], floor, ceiling))
            text.append(f" {score['min']}..{score['max']}\n")
            possible = score["categories_possible"]
            if len(possible) > 1:
                text.append(f"  could be {possible[0]} .. {possible[-1]}\n", "dim")
        drugs = summary["assessment"]["culprits"]
        if drugs:
            text.append("\nDrugs\n", "bold")
            for c in drugs[:6]:
                latency = "?" if c["latency_days"] is None else f"{c['latency_days']} d"
                # Names in full (issue 21 §3): wrapped, never cut.
                *first, last = textwrap.wrap(f"{c['rank']}. {c['name']}", 24,
                                             subsequent_indent="   ") or [""]
                for line in first:
                    text.append(f"{line}\n")
                text.append(f"{last} ({latency})\n")
        text.append("\nProgress\n", "bold")
        for title, done, total in progress:
            mark = "✓" if total and done == total else " "
            *first, last = textwrap.wrap(title, 22) or [""]
            for line in first:
                text.append(f"{mark} {line}\n")
                mark = " "
            text.append(f"{mark} {last:22} {done}/{total}\n")
        # The panel's size is fixed by its CSS: no layout pass for new content.
        self.update(text, layout=False)
