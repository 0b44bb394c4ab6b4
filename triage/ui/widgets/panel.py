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

    _last: tuple[dict[str, Any], list[tuple[str, int, int]]] | None = None

    def show(self, summary: dict[str, Any], progress: list[tuple[str, int, int]]) -> None:
        """Redraw from a summary (`triage.summary.summarize`) and the progress by section.
        What does not fit the panel's height gives way in this order (issue 21 §3, 80x24):
        the "could be" line under each score, then the drugs beyond those that fit (the
        drug editor lists them all); the level, the scores and the progress always show."""
        # Here, not at the top: the panel is on screen before the scoring code is loaded.
        from triage.scores.registry import BY_ID as EPISODE_BY_ID

        self._last = (summary, progress)
        t = summary["triage"]
        head = Text()
        head.append(f" {t['level'].upper()} ", LEVEL_STYLE[t["level"]])
        head.append(f"  {len(t['red_flags'])} red flag(s)")
        lines: list[tuple[Text, bool]] = [(head, True)]  # (line, kept whatever the height)
        if t["unknown_red_flags"]:
            lines.append((Text(f"{len(t['unknown_red_flags'])} unknown could raise it", "dim"),
                          True))
        lines.append((Text(), True))
        for sid, score in summary["scores"].items():
            declared = EPISODE_BY_ID[sid]
            floor, ceiling = declared.scale
            line = Text()
            line.append(f"{declared.short} {score['total']}", "bold")
            line.append(f" {score['category'].replace('_', ' ')}")
            lines.append((line, True))
            bar = range_bar(score["min"], score["total"], score["max"], floor, ceiling)
            lines.append((Text(f"{bar} {score['min']}..{score['max']}"), True))
            possible = score["categories_possible"]
            if len(possible) > 1:
                lines.append((Text(f"  could be {possible[0]} .. {possible[-1]}", "dim"), False))
        lines.append((Text(), True))
        lines.append((Text("Progress", "bold"), True))
        rows = self._progress(progress, collapse=False)
        height = self.content_size.height or 10_000
        drug_lines = sum(len(d) for d in self._drugs(summary)) + 2 * bool(
            summary["assessment"]["culprits"])
        if len(lines) + len(rows) + drug_lines > height:
            lines = [(line, kept) for line, kept in lines if kept]
            # Room for the progress, and at least a line saying where the drugs are.
            if len(lines) + len(rows) + bool(drug_lines) > height:
                rows = self._progress(progress, collapse=True)
        lines += [(row, True) for row in rows]
        drugs = self._drugs(summary)
        room = height - len(lines)
        if drugs and room < 3 + len(drugs[0]) - 1:
            # No room for a name: how many, and where they are.
            count = f"{len(drugs)} drug" + ("s" if len(drugs) > 1 else "")
            said = Text(f"{count}: see the drug editor", "dim")
            lines += [(Text(), True), (said, True)][-max(min(room, 2), 0):] if room > 0 else []
        elif drugs:
            lines += [(Text(), True), (Text("Drugs", "bold"), True)]
            room -= 2
            for index, drug in enumerate(drugs):
                left = len(drugs) - index
                if len(drug) > room - (1 if left > 1 else 0):
                    lines.append((Text(f"+{left} more: see the drug editor", "dim"), True))
                    break
                lines += [(line, True) for line in drug]
                room -= len(drug)
        # The panel's size is fixed by its CSS: no layout pass for new content.
        self.update(Text("\n").join(line for line, _ in lines), layout=False)

    @staticmethod
    def _progress(progress: list[tuple[str, int, int]], collapse: bool) -> list[Text]:
        """A row per section (titles wrapped); collapsed, the finished sections are one
        row, and each open one a row with its title cut."""
        rows: list[Text] = []
        finished = [p for p in progress if p[2] and p[1] == p[2]]
        if collapse and finished:
            rows.append(Text(f"✓ {len(finished)} section(s) done"))
        for title, done, total in progress:
            mark = "✓" if total and done == total else " "
            if collapse:
                if mark == " ":
                    short = title if len(title) <= 22 else title[:21] + "…"
                    rows.append(Text(f"  {short:22} {done}/{total}"))
                continue
            *first, last = textwrap.wrap(title, 22) or [""]
            for part in first:
                rows.append(Text(f"{mark} {part}"))
                mark = " "
            rows.append(Text(f"{mark} {last:22} {done}/{total}"))
        return rows

    @staticmethod
    def _drugs(summary: dict[str, Any]) -> list[list[Text]]:
        """Each suspect drug's rows: rank, name in full (wrapped, never cut: issue 21 §3),
        latency."""
        drugs: list[list[Text]] = []
        for c in summary["assessment"]["culprits"]:
            latency = "?" if c["latency_days"] is None else f"{c['latency_days']} d"
            *first, last = textwrap.wrap(f"{c['rank']}. {c['name']}", 24,
                                         subsequent_indent="   ") or [""]
            drugs.append([*(Text(part) for part in first), Text(f"{last} ({latency})")])
        return drugs

    def on_resize(self) -> None:
        if self._last is not None:
            self.show(*self._last)
