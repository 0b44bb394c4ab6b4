"""Helpers for bench/run.py that run in their own process (cold start) or in-process.

    python bench/ui_probe.py first triage    # ms until the assistant shows its first question
    python bench/ui_probe.py first minimal   # ms until a minimal app (Static, Input) shows
    python bench/ui_probe.py latency         # ms from Enter to the next question, at 5 and 150
                                             # (and every sample, as JSON)
    python bench/ui_probe.py hold N          # one end of `latency` (reads waits on stdin)
    python bench/ui_probe.py memory triage   # peak RSS (kB) of the assistant at the summary
    python bench/ui_probe.py memory minimal  # peak RSS (kB) of the minimal app, shown
    python bench/ui_probe.py memory libraries  # the same, in a process that has used the
                                               # core's libraries (a second, informative floor)
"""

from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import sys
import time

START = time.perf_counter()  # before Textual or triage is imported


def minimal_app() -> object:
    """The floor: a Textual app with one Static and one Input."""
    from textual.app import App, ComposeResult
    from textual.widgets import Input, Static

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("Is any epidermis detached?")
            yield Input()

    return Minimal()


def _use_the_libraries() -> None:
    """Load what pydantic, Jinja2 and PyYAML load when they do any work at all: validate
    one model, render one template, parse one document. (`import pydantic` alone is lazy:
    its model machinery, some 7 MB, comes with the first model.)"""
    import jinja2
    import pydantic
    import yaml

    class One(pydantic.BaseModel):
        value: int

    One.model_validate({"value": 1})
    jinja2.Environment(autoescape=True).from_string("{{ value }}").render(value=1)
    yaml.load("value: 1", Loader=yaml.CSafeLoader)


async def first(kind: str) -> None:
    if kind == "minimal":
        app: object = minimal_app()
        async with app.run_test(size=(100, 30)) as pilot:  # type: ignore[attr-defined]
            await pilot.pause()
            shown = time.perf_counter()  # the Static and the Input are on screen
        print(f"{(shown - START) * 1000:.1f}")
        return
    from argparse import Namespace

    _as_the_command_line()
    from triage.cli import assistant
    from triage.ui.widgets.chat import Bubble

    # Started as `triage run --no-store` starts it (the opening shown before the engine).
    app = assistant(Namespace(dialog=None, patient=None, no_store=True, store=None),
                    dt.date(2026, 11, 25))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert any(b.kind == "question" for b in app.screen.query(Bubble))
        assert app.engine.current().question.id == "detachment_any"
    print(f"{(app.first_question_at - START) * 1000:.1f}")


def _as_the_command_line() -> None:
    """What `triage.cli.main` does before `triage run`: pydantic's plugin lookup off (its
    loader alone imports importlib.metadata and email, 1.6 MB), and the collector paused
    until the interview is on screen (triage.collector). The probes start the app
    directly, and would otherwise measure a start-up no user gets."""
    from triage import collector
    from triage.plugins_off import plugins_off

    plugins_off()
    collector.pause()


#: Enter presses timed at each end, interleaved (after WARM_UP untimed ones at each end).
SAMPLES = 80
WARM_UP = 3
#: Seconds between the answer painted in the box and its Enter (plus up to a frame).
GAP = 0.05


def _next_answer(engine, drugs: int) -> str:  # type: ignore[no-untyped-def]
    """An answer that keeps the interview going through a long drug list."""
    q = engine.current().question
    if q.id in ("drugs_any", "drug_more"):
        return "yes"
    if q.id == "drug_name":
        return f"drug{drugs + 1}"
    if q.id == "onset_date":
        return "2026-11-20"
    if q.unknown_allowed:
        return "unknown"
    return q.options[0].value if q.options else "no"


def latency() -> dict[str, float]:
    """Enter-to-next-question time after 5 answers and after 150 (a long drug list): from
    the key press until the screen has been refreshed with the next question.

    Each end is an assistant of its own, in a process of its own (`hold 5`, `hold 150`),
    with the earlier answers typed into it so that the conversation holds all of them as
    it would for a resident. Their samples are taken in turn, one at 5 then one at 150
    (the first of each pair alternating), so that both ends see the same machine.

    Why interleaved: the development VM's speed shifts in windows of tens of seconds (a
    fixed loop of Python took 13.7 ms for a while, then 22-26 ms for half a minute, then
    13.7 again). Rounds taken one after the other (5, then 150, then 5, as this probe did)
    landed in different windows: whole rounds came out at 12 ms or at 20 ms whatever the
    answer count, and one run's ratio went from 0.92x to 1.38x. The windows belong to
    each virtual CPU (a loop pinned to one CPU, then the other, showed each switching
    between 13.5 and 25 ms on its own), so both ends are pinned to the same one as well.

    Each Enter comes 50-67 ms after the answer was put in the box and painted (the same
    wait at both ends of a pair), as a resident's Enter comes well after the last letter
    (fast typing is 100 ms and more between keys). Textual paints on a fixed 60-per-second
    grid: an Enter within a frame of the last paint waits for the next frame, which put
    Pilot's back-to-back presses a frame fast or slow by chance. After such a pause, an
    answer runs slower on this VM than one straight after another (about 15 ms against 12
    at answer 5), at both ends alike.

    Each end's figure is the mean of the middle of its samples (see _middle_mean); the
    samples themselves are returned too, for a look at a run by hand."""
    import os
    import random
    import subprocess

    ends = {
        n: subprocess.Popen([sys.executable, __file__, "hold", str(n)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
        for n in (5, 150)
    }
    try:
        for proc in ends.values():  # both built (in parallel), neither timed yet
            if proc.stdout.readline().strip() != "ready":  # type: ignore[union-attr]
                raise RuntimeError("a latency probe did not start")
        if hasattr(os, "sched_setaffinity"):  # both ends on one CPU: see above
            cpu = {min(os.sched_getaffinity(0))}
            for proc in ends.values():
                os.sched_setaffinity(proc.pid, cpu)
        phase = random.Random(150)
        samples: dict[int, list[float]] = {5: [], 150: []}
        for i in range(WARM_UP + SAMPLES):
            wait = GAP + phase.uniform(0, 1 / 60)
            for n in (5, 150) if i % 2 == 0 else (150, 5):
                proc = ends[n]
                proc.stdin.write(f"{wait}\n")  # type: ignore[union-attr]
                proc.stdin.flush()  # type: ignore[union-attr]
                took = float(proc.stdout.readline())  # type: ignore[union-attr]
                if i >= WARM_UP:
                    samples[n].append(took)
    finally:
        for proc in ends.values():
            proc.stdin.close()  # type: ignore[union-attr]
            proc.wait(timeout=60)
    return {
        **{f"answer_{n}_ms": _middle_mean(t) * 1000 for n, t in samples.items()},
        **{f"answer_{n}_samples_ms": [round(x * 1000, 2) for x in t]
           for n, t in samples.items()},
    }


def _middle_mean(times: list[float]) -> float:
    """The mean of the middle 80 % of `times`.

    Not the median: each end's answers fall in two clusters some 6 ms apart (on this VM,
    a slow and a fast state of the CPU: in the slow one both the work before the paint
    and the paint itself take about half as long again), in proportions that vary from
    run to run. With both near half, a median lands in either cluster by chance (one
    run's ratio: 0.97x, the next 1.22x); a mean moves with the proportion. The top and
    bottom tenth are left out, as the median left them out. The top tenth was where the
    collector's full passes fell (20-95 ms), until they waited for the question to be
    painted (triage.collector); bench/run.py reports each run's slowest answer apart."""
    ordered = sorted(times)
    cut = len(ordered) // 10
    return statistics.fmean(ordered[cut:len(ordered) - cut])


async def hold(target: int) -> None:
    """One end of `latency`: the assistant after `target` answers, then one timed Enter
    (an "unknown", taken back afterwards) for each wait read from stdin, its seconds
    written to stdout. Ends at the end of stdin."""
    from textual.widgets import Input

    _as_the_command_line()
    from triage.dialog.loader import default_dialog_path, load_dialog
    from triage.ui.app import make_app
    from triage.ui.replay import type_answer

    app = make_app(load_dialog(default_dialog_path()), dt.date(2026, 11, 25))
    loop = asyncio.get_running_loop()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        answer = app.query_one("#answer", Input)
        answer.cursor_blink = False
        drugs = 0
        while len(app.engine.answers) < target:
            raw = _next_answer(app.engine, drugs)
            drugs += app.engine.current().question.id == "drug_name"
            await type_answer(pilot, raw)
        print("ready", flush=True)
        while line := await loop.run_in_executor(None, sys.stdin.readline):
            answer.value = "unknown"  # as if typed (a key press per letter took 0.3 s)
            await pilot.pause()
            await asyncio.sleep(float(line))
            app.question_painted_at = None
            start = time.perf_counter()
            await pilot.press("enter")
            while app.question_painted_at is None:
                await pilot.pause()
            # Until the next question is on screen, not until Pilot sees the app idle.
            took = app.question_painted_at - start
            await pilot.press("ctrl+z")
            await pilot.pause()
            # Said only now: the other end shares this CPU, and its next Enter must not
            # fall on this one's side panel redraw or the taking back.
            print(took, flush=True)


async def memory(kind: str) -> None:
    """Peak resident memory of the process: the minimal app once shown, or the assistant
    after the whole seed interview typed into it, at its summary."""
    if kind in ("minimal", "libraries"):
        if kind == "libraries":
            _use_the_libraries()
        app: object = minimal_app()
        async with app.run_test(size=(120, 40)) as pilot:  # type: ignore[attr-defined]
            await pilot.pause()
    else:
        from pathlib import Path

        _as_the_command_line()
        from triage import transcript
        from triage.dialog.loader import default_dialog_path, load_dialog
        from triage.ui.replay import replay_through_ui

        seed = Path(__file__).resolve().parents[1] / "examples" / "seed-agep-ivig.transcript.yaml"
        script, _ = transcript.load(seed)
        await replay_through_ui(script, load_dialog(default_dialog_path()))
    print(_peak_kb())


def _peak_kb() -> int:
    """This program's peak resident memory, in kB: the kernel's high-water mark of its
    address space. Not getrusage's ru_maxrss, which survives exec: a probe started from a
    larger process (pytest, 57 MB) reported its parent's peak instead of its own."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource  # not Linux: the closest figure there is (macOS counts it in bytes)

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak


if __name__ == "__main__":
    if sys.argv[1] == "first":
        asyncio.run(first(sys.argv[2]))
    elif sys.argv[1] == "memory":
        asyncio.run(memory(sys.argv[2]))
    elif sys.argv[1] == "hold":
        asyncio.run(hold(int(sys.argv[2])))
    else:
        import json

        print(json.dumps(latency()))
