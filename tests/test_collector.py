"""The garbage collector is paused while a headless command starts, and only then."""

from __future__ import annotations

import gc
import subprocess
import sys
import textwrap

from tests.conftest import ROOT

SEED = ROOT / "examples" / "seed-agep-ivig.findings.yaml"
TRANSCRIPT = ROOT / "examples" / "seed-agep-ivig.transcript.yaml"


def _after_main(args: list[str], tmp_store: str) -> list[str]:
    """gc.isenabled() when the work began (None if it never did), gc.isenabled() after
    main, and whether anything was frozen, for main(args) as the process's entry point."""
    code = textwrap.dedent(f"""
        import contextlib, gc, io, sys
        from triage import cli, collector
        seen = []
        original = collector.started
        def started():
            original()
            seen.append(gc.isenabled())
        collector.started = started
        with contextlib.redirect_stdout(io.StringIO()):
            status = cli.main({args!r}, own_process=True)
        assert status == 0, status
        print(seen[0] if seen else None, gc.isenabled(), gc.get_freeze_count() > 0)
    """)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False,
        env={"TRIAGE_STORE": tmp_store, "PATH": "/usr/bin:/bin",
             "TRIAGE_CACHE_DIR": tmp_store + "-cache"},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_score_collects_again_once_started_and_freezes_before_exit(tmp_path) -> None:
    assert _after_main(["score", str(SEED)], str(tmp_path / "s.db")) == ["True", "True", "True"]


def test_replay_collects_again_once_the_dialog_is_loaded(tmp_path) -> None:
    assert _after_main(["replay", str(TRANSCRIPT)], str(tmp_path / "s.db")) == [
        "True", "True", "True"
    ]


def test_check_starts_and_ends_without_a_collection(tmp_path) -> None:
    # Nothing after start-up worth collecting: the collector stays paused to the end.
    assert _after_main(["check"], str(tmp_path / "s.db")) == ["None", "False", "True"]


def test_other_commands_keep_the_collector_running(tmp_path) -> None:
    # `sessions` stands for the rest (serve, export, import, delete...): never paused.
    assert _after_main(["sessions"], str(tmp_path / "s.db")) == ["None", "True", "True"]


def test_a_program_calling_main_keeps_its_collector_as_it_was(capsys) -> None:
    from triage.cli import main

    frozen = gc.get_freeze_count()
    assert main(["score", str(SEED), "--format", "json"]) == 0
    assert '"total": 11' in capsys.readouterr().out
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen


def test_score_freezes_the_drug_knowledge_and_the_rules_with_start_up(tmp_path) -> None:
    # The batch's workers fork after start-up's freeze: what every file needs must be
    # loaded by then, or the workers inherit it unfrozen (triage.collector's docstring).
    code = textwrap.dedent(f"""
        import contextlib, io
        from triage import cli, collector, next_steps
        from triage.knowledge import knowledge
        loaded = []
        original = collector.started
        def started():
            loaded.append((knowledge.cache_info().currsize,
                           next_steps._combined.cache_info().currsize))
            original()
        collector.started = started
        with contextlib.redirect_stdout(io.StringIO()):
            assert cli.main(["score", {str(SEED)!r}], own_process=True) == 0
        print(loaded)
    """)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False,
        env={"TRIAGE_STORE": str(tmp_path / "s.db"), "PATH": "/usr/bin:/bin",
             "TRIAGE_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[(1, 1)]"


def _assistant_code(start: str) -> str:
    """A process that opens the assistant as `triage run` does (collector paused by main),
    with `start` building it; prints gc.isenabled() while the interview is being built
    and, once it is on screen, gc.isenabled() and whether anything was frozen."""
    return textwrap.dedent(f"""
        import asyncio, gc
        from argparse import Namespace
        from triage import collector
        from triage.cli import assistant
        from triage.ui.app import make_app
        collector.pause()  # what main(own_process=True) does for `run`
        seen = []

        async def go():
            app = {start}
            async with app.run_test(size=(100, 30)) as pilot:
                seen.append(gc.isenabled())
                while not app.loaded:
                    await pilot.pause()
                await pilot.pause()
                seen.append(gc.isenabled())
                seen.append(gc.get_freeze_count() > 0)

        asyncio.run(go())
        print(*seen)
    """)


def _run_code(code: str, tmp_path) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False,
        env={"TRIAGE_STORE": str(tmp_path / "s.db"), "PATH": "/usr/bin:/bin",
             "TRIAGE_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_the_assistant_freezes_start_up_once_the_interview_is_on_screen(tmp_path) -> None:
    # The built-in dialog: the opening is painted first and the interview built after it.
    start = ("assistant(Namespace(dialog=None, patient=None, no_store=True, store=None))")
    assert _run_code(_assistant_code(start), tmp_path) == ["False", "True", "True"]


def test_a_resumed_assistant_freezes_start_up_too(tmp_path) -> None:
    # `resume` and `followup` hand the app an interview already built.
    dialog = repr(str(ROOT / "dialogs" / "scar.yaml"))
    start = (f"make_app(engine=assistant(Namespace(dialog={dialog}, patient=None, "
             "no_store=True, store=None)).engine)")
    assert _run_code(_assistant_code(start), tmp_path) == ["True", "True", "True"]


def test_assistant_commands_pause_the_collector_until_the_app_runs(tmp_path) -> None:
    code = textwrap.dedent("""
        import gc
        from triage import cli
        seen = []
        cli._run_app = lambda app: seen.append(gc.isenabled()) or 0
        assert cli.main(["run", "--no-store"], own_process=True) == 0
        print(*seen)
    """)
    assert _run_code(code, tmp_path) == ["False"]


def test_a_full_pass_waits_for_a_question_and_runs_there_once_due(tmp_path) -> None:
    code = textwrap.dedent("""
        import gc
        from triage import collector
        full = []
        gc.callbacks.append(
            lambda phase, info: phase == "stop" and info["generation"] == 2 and full.append(1))
        due = gc.get_threshold()[2]  # Python's own, before the assistant raises it
        collector.pause()
        collector.started(between_questions=True)
        gc.disable()  # no automatic pass may move the counts while this looks at them
        gc.collect()
        before = len(full)
        for _ in range(due - 1):
            gc.collect(1)  # each younger pass counts towards the full one
        collector.question_shown()
        seen = [len(full) - before, gc.get_threshold()[2] // due]
        gc.collect(1)
        collector.question_shown()
        seen += [len(full) - before, gc.get_count()[2]]
        collector.questions_over()
        seen.append(gc.get_threshold()[2] // due)
        print(*seen)
    """)
    # One short of due: no pass, automatic ones wait for three times the count; due: one
    # pass, its count starts again; after the questions: Python's own threshold.
    assert _run_code(code, tmp_path) == ["0", "3", "1", "0", "1"]


def test_without_the_assistant_a_question_changes_nothing(tmp_path) -> None:
    code = textwrap.dedent("""
        import gc
        from triage import collector
        threshold = gc.get_threshold()
        collector.started(between_questions=True)  # not paused: not triage's own process
        gc.collect()
        for _ in range(threshold[2]):
            gc.collect(1)
        collector.question_shown()
        print(gc.get_count()[2] == threshold[2], gc.get_threshold() == threshold)
        collector.pause()
        collector.started()  # a headless command: its collector as Python runs it
        gc.collect()
        for _ in range(threshold[2]):
            gc.collect(1)
        collector.question_shown()
        print(gc.get_count()[2] == threshold[2], gc.get_threshold() == threshold)
    """)
    assert _run_code(code, tmp_path) == ["True", "True", "True", "True"]


def test_the_assistant_lets_full_passes_wait_for_its_questions(tmp_path) -> None:
    start = ("assistant(Namespace(dialog=None, patient=None, no_store=True, store=None))")
    # Once the first question is painted, automatic full passes wait for three times
    # Python's count (the rest is the test above).
    code = _assistant_code(start).replace(
        "seen.append(gc.get_freeze_count() > 0)",
        "seen.append(gc.get_freeze_count() > 0); "
        "seen.append(gc.get_threshold()[2] // collector._full_pass_due)",
    )
    assert _run_code(code, tmp_path) == ["False", "True", "True", "3"]
    # Started again: the opening the first start saved is shown before the interview is
    # built, and its question counts as shown once the collector is the assistant's.
    assert _run_code(code, tmp_path) == ["False", "True", "True", "3"]
