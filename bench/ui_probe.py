"""Helpers for bench/run.py that run in their own process (cold start) or in-process.

    python bench/ui_probe.py first triage    # ms until the assistant shows its first question
    python bench/ui_probe.py first minimal   # ms until a minimal app (Static, Input) shows
    python bench/ui_probe.py latency         # ms from Enter to the next question, at 5 and 150
"""

from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import sys
import time

START = time.perf_counter()  # before Textual or triage is imported


async def first(kind: str) -> None:
    if kind == "minimal":
        from textual.app import App, ComposeResult
        from textual.widgets import Input, Static

        class Minimal(App[None]):
            def compose(self) -> ComposeResult:
                yield Static("Is any epidermis detached?")
                yield Input()

        app: object = Minimal()
        async with app.run_test(size=(100, 30)) as pilot:  # type: ignore[attr-defined]
            await pilot.pause()
            shown = time.perf_counter()  # the Static and the Input are on screen
        print(f"{(shown - START) * 1000:.1f}")
        return
    from triage.dialog.loader import default_dialog_path, load_dialog
    from triage.ui.app import make_app
    from triage.ui.widgets.chat import Bubble

    app = make_app(load_dialog(default_dialog_path()), dt.date(2026, 11, 25))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert any(b.kind == "question" for b in app.query(Bubble))
    print(f"{(app.first_question_at - START) * 1000:.1f}")


async def latency() -> dict[str, float]:
    """Enter-to-next-question time after 5 answers and after 150 (a long drug list)."""
    from textual.widgets import Input

    from triage.dialog.engine import Engine
    from triage.dialog.loader import default_dialog_path, load_dialog
    from triage.ui.app import TriageApp

    dialog = load_dialog(default_dialog_path())
    out = {}
    for target in (5, 150):
        engine = Engine(dialog, dt.date(2026, 11, 25))
        drug = 0
        while len(engine.answers) < target:
            slot = engine.current()
            q = slot.question
            if q.id in ("drugs_any", "drug_more"):
                raw = "yes"
            elif q.id == "drug_name":
                drug += 1
                raw = f"drug{drug}"
            elif q.id == "onset_date":
                raw = "2026-11-20"
            elif q.unknown_allowed:
                raw = "unknown"
            else:
                raw = q.options[0].value if q.options else "no"
            assert engine.answer(raw).accepted, (slot.label(), raw)
        app = TriageApp(engine)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            times = []
            for _ in range(5):
                field = app.query_one("#answer", Input)
                start = time.perf_counter()
                field.value = "unknown"
                await field.action_submit()
                await pilot.pause()
                times.append(time.perf_counter() - start)
                app.engine.back()
            out[f"answer_{target}_ms"] = statistics.median(times) * 1000
    return out


if __name__ == "__main__":
    if sys.argv[1] == "first":
        asyncio.run(first(sys.argv[2]))
    else:
        import json

        print(json.dumps(asyncio.run(latency())))
