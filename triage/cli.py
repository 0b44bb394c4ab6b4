"""The command line: argv in, exit status out. A thin layer over the domain core.

The headless commands never import Textual; the assistant is imported only when it starts.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from triage import __version__, collector, formats
from triage.plugins_off import plugins_off

if TYPE_CHECKING:
    from datetime import date

    from triage.store import Location

EXIT_OK = 0
EXIT_INPUT = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="triage",
        description="Guided triage of suspected severe cutaneous adverse drug reactions "
        "(AGEP, DRESS, SJS/TEN): published scores, red flags and next steps. "
        "Decision support, not a diagnosis.",
    )
    parser.add_argument("--version", action="version", version=f"triage {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    score = commands.add_parser(
        "score",
        help="score findings files (YAML or JSON) and print the result",
        description="Score findings files: EuroSCAR AGEP, RegiSCAR DRESS, SCORTEN, and "
        "ALDEN and Naranjo per drug, with the triage level. Invalid files are refused "
        "with one line per problem and exit status 2; nothing is scored from them.",
    )
    score.add_argument("files", nargs="+", metavar="FILE", help="findings file; - reads stdin")
    score.add_argument(
        "--format",
        choices=formats.SUMMARY,
        default="json",
        help="json (default; one object per line for several files), md, text (80 columns) or html",
    )
    score.add_argument(
        "--operator",
        action="append",
        default=[],
        metavar="NAME=OP",
        help="replace a threshold, e.g. eurosar_fever_c='>38.75' (see `triage operators`)",
    )
    commands.add_parser("operators", help="list every threshold with its default operator")

    replay = commands.add_parser(
        "replay",
        help="replay saved interviews (transcripts) headless and print the result",
        description="Answer the dialog with each transcript, step by step, and print the "
        "result. A transcript that does not fit the dialog is refused with exit status 2, "
        "naming the step, the question and the reason.",
    )
    replay.add_argument("files", nargs="+", metavar="FILE", help="transcript file")
    replay.add_argument("--format", choices=formats.SUMMARY, default="json")
    replay.add_argument("--dialog", metavar="DIALOG", help="dialog file (default: built-in)")
    replay.add_argument(
        "--through-ui",
        action="store_true",
        help="answer through the real assistant, headless, by key presses",
    )

    run = commands.add_parser(
        "run", help="open the assistant on a dialog (the built-in one when none is named)",
        description="Open the assistant. Every answer is saved the moment it is given, as a "
        "new session in the store (see `triage sessions`).",
    )
    run.add_argument("dialog", nargs="?", metavar="DIALOG",
                     help="a dialog file (default: the built-in one)")
    run.add_argument("--patient", metavar="REF",
                     help="initials or a record number (optional; can be left out of exports)")
    run.add_argument("--no-store", action="store_true",
                     help="save nothing unless exported (a demonstration, a training case)")
    run.add_argument("--date", metavar="YYYY-MM-DD", type=_day,
                     help="the day the patient presented, for a case entered after the fact "
                     "('today' in the answers means it; default: today)")
    # Set by `triage serve` for each browser visit: bounded, and ended with its server.
    run.add_argument("--served", action="store_true", help=argparse.SUPPRESS)

    sessions = commands.add_parser(
        "sessions", help="list the saved sessions, the most recently changed first"
    )
    sessions.add_argument("--json", action="store_true", help="one JSON object per line")
    sessions.add_argument("--limit", type=int, metavar="N", help="only the newest N")
    sessions.add_argument("--patient", metavar="LABEL",
                          help="only sessions whose patient label holds LABEL (any case)")
    sessions.add_argument("--status", choices=("open", "finished", "follow-up", "followed up"),
                          help="only sessions with this status")
    sessions.add_argument("--since", type=_day, metavar="YYYY-MM-DD",
                          help="only sessions last changed on or after this day (UTC)")
    sessions.add_argument("--until", type=_day, metavar="YYYY-MM-DD",
                          help="only sessions last changed on or before this day (UTC)")

    resume = commands.add_parser(
        "resume", help="open a saved session at its next question",
        description="Open a saved session where it stopped. A session recorded with an "
        "earlier version of the dialog is offered to carry its answers over to this one "
        "(by question id; what cannot be carried is listed with why), or to go on as it "
        "was recorded.",
    )
    resume.add_argument("session", metavar="ID", help="the session id, or its first characters")

    followup = commands.add_parser(
        "followup", help="a new visit of a finished session, on its own day",
        description="A new visit of a finished session (or of its last visit, finished) on "
        "a later day: the follow-up items (course, desquamation, biopsy, patch tests, labs, "
        "the signs at the visit) are asked again, the scores recomputed, and the summary "
        "sets every visit side by side. With --only, a quick visit asks just one score's "
        "questions (the day-3 SCORTEN). A visit not yet finished goes on where it stopped.",
    )
    followup.add_argument("session", metavar="ID", help="the session id, or its first characters")
    followup.add_argument("--date", metavar="YYYY-MM-DD",
                          help="the day of the visit (default: today)")
    followup.add_argument("--only", metavar="SCORE",
                          help="a quick visit for one score of the episode: scorten (the "
                          "day-3 SCORTEN), eurosar_agep or regiscar_dress")

    export = commands.add_parser(
        "export", help="print a saved session: its summary, transcript or event log"
    )
    export.add_argument("session", metavar="ID", help="the session id, or its first characters")
    export.add_argument(
        "--format", choices=formats.EXPORT,
        default="md",
        help="the summary (md, text, html, json), the transcript (replayable) or the events "
        "(the audit trail, JSON lines)",
    )
    export.add_argument("--no-patient", action="store_true",
                        help="leave the patient reference out")
    export.add_argument("-o", "--output", metavar="FILE",
                        help="write to a new file, readable by you alone (never overwritten)")

    import_ = commands.add_parser(
        "import", help="put a session from an events file into the store",
        description="Import an events file: the triage-unsaved-*.events.jsonl file the "
        "assistant wrote when the store failed, or `triage export ID --format events` from "
        "another machine. The events are checked by replaying them, then saved as a new "
        "session with their own times. The file is left as it is.",
    )
    import_.add_argument("file", metavar="FILE", help="an events file (JSON lines)")

    delete = commands.add_parser("delete", help="delete a saved session and its events")
    delete.add_argument("session", metavar="ID", help="the session id, or its first characters")
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    serve = commands.add_parser(
        "serve", help="serve the assistant to browsers (telehealth); loopback only by default",
        description="Serve the assistant through textual-serve: each browser visit is a new "
        "session in the store. It has no login of its own: to reach it from other machines, "
        "put it behind a reverse proxy that authenticates (see the README).",
    )
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1, this machine only)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--public-url", metavar="URL",
                       help="the address browsers use, when behind a proxy "
                       "(e.g. https://triage.example.org)")
    serve.add_argument("--dialog", metavar="DIALOG", help="dialog file (default: built-in)")
    serve.add_argument("--max-visits", type=int, default=8, metavar="N",
                       help="visits served at once, each a process (default 8)")
    serve.add_argument("--user-header", metavar="NAME",
                       help="the header in which the authenticating proxy names the user "
                       "(e.g. X-Forwarded-User), trusted only from this machine: each "
                       "visit's changes are recorded as that user's")

    for command in (resume, followup, export, import_):
        command.add_argument("--dialog", metavar="DIALOG", help="dialog file (default: built-in)")
    for command in (resume, followup):
        moving = command.add_mutually_exclusive_group()
        moving.add_argument("--carry-over", dest="carry_over", action="store_true",
                            default=None, help="a session recorded with an earlier dialog: "
                            "carry its answers over to this one without asking")
        moving.add_argument("--as-recorded", dest="carry_over", action="store_false",
                            help="a session recorded with an earlier dialog: go on with that "
                            "dialog, without asking")
    for command in (run, sessions, resume, followup, export, import_, delete, serve):
        command.add_argument(
            "--store", metavar="PATH|URL",
            help="the session database: a file, or postgresql://... for a store several "
                 "hosts share (default: TRIAGE_STORE, else the user's data folder)",
        )

    check = commands.add_parser(
        "check",
        help="lint dialogs (the built-in one when none is named)",
        description="Check dialogs: syntax, schema, ids, conditions, reachability and which "
        "findings fields they reach. Exit 0 when clean, 2 on errors; with --strict, 1 on "
        "warnings alone.",
    )
    check.add_argument("dialogs", nargs="*", metavar="DIALOG",
                       help="dialog files (default: the built-in one)")
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings")
    check.add_argument(
        "--coverage", action="store_true", help="print which questions reach each findings field"
    )
    return parser


def _refuse(problems: Sequence[object]) -> int:
    """One line per problem on stderr, and the exit status of bad input."""
    for problem in problems:
        print(problem, file=sys.stderr)
    return EXIT_INPUT


def _operators(pairs: Sequence[str]) -> object:
    from triage.scores.operators import DEFAULT

    changes = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise ValueError(
                f"--operator {pair!r}: expected NAME=OP, e.g. eurosar_fever_c='>38.75'"
            )
        changes[name.strip()] = value
    return DEFAULT.with_changes(**changes)


def _score(args: argparse.Namespace) -> int:
    from triage.batch import prepare, score_files, write_lines
    from triage.render import json_line, render

    prepare()
    collector.started()
    try:
        operators = _operators(args.operator)
    except ValueError as exc:
        print(f"triage score: {exc}", file=sys.stderr)
        return EXIT_INPUT
    # Never a partial result: with any invalid file nothing is printed on stdout.
    if args.format == "json" and len(args.files) > 1:
        sys.stdout.flush()
        problems = write_lines(args.files, operators, json_line, sys.stdout.buffer)  # type: ignore[arg-type]
        return _refuse(problems) if problems else EXIT_OK
    outcomes = score_files(args.files, operators)  # type: ignore[arg-type]
    problems = [p for _, _, found in outcomes for p in found]
    if problems:
        return _refuse(problems)
    sys.stdout.write(render([(name, data) for name, data, _ in outcomes], args.format))
    return EXIT_OK


def _load_dialog(path: str | None) -> object:
    """The built-in dialog (checked by the tests), or a named one that `triage check`
    passes: what check rejects is refused here too, in the same words."""
    from triage.dialog.loader import default_dialog_path, load_dialog

    if not path:
        return load_dialog(default_dialog_path())
    from triage.dialog.check import check
    from triage.errors import InputError

    report = check(Path(path), path)
    if report.errors:
        raise InputError(report.errors)
    return report.dialog


def _replay(args: argparse.Namespace) -> int:
    from triage import transcript as transcript_mod
    from triage.errors import InputError
    from triage.render import render
    from triage.summary import summarize_interview

    try:
        dialog = _load_dialog(args.dialog)
    except InputError as exc:
        return _refuse(exc.problems)
    collector.started()
    results, problems = [], []
    for name in args.files:
        try:
            script, doc = transcript_mod.load(Path(name), name)
            engine = transcript_mod.replay(script, dialog, name, doc)  # type: ignore[arg-type]
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        if args.through_ui:
            import asyncio

            from triage.ui.replay import replay_through_ui

            data = asyncio.run(replay_through_ui(script, dialog))  # type: ignore[arg-type]
        else:
            data = summarize_interview(engine)
        results.append((name, data))
    if problems:
        return _refuse(problems)
    sys.stdout.write(render(results, args.format))
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from triage.dialog.check import check
    from triage.dialog.loader import default_dialog_path
    from triage.errors import located

    targets = args.dialogs or [str(default_dialog_path())]
    errors = warnings = 0
    for name in targets:
        report = check(Path(name), name)
        for problem in report.errors:
            print(located(problem, "error"))
        for problem in report.warnings:
            print(located(problem, "warning"))
        errors += len(report.errors)
        warnings += len(report.warnings)
        if args.coverage and report.coverage:
            width = max(len(p) for p in report.coverage)
            print(f"{'findings field':{width}}  reached by")
            for path, sources in report.coverage.items():
                # A choice reaches a field once, however many of its options set it.
                print(f"{path:{width}}  {', '.join(dict.fromkeys(sources)) or '-'}")
        if not report.errors:
            d = report.dialog
            reached = sum(1 for s in report.coverage.values() if s)
            print(
                f"{name}: dialog {d.id} {d.version}, {len(d.questions)} questions, "  # type: ignore[union-attr]
                f"{reached}/{len(report.coverage)} findings fields reached; "
                f"{len(report.errors)} errors, {len(report.warnings)} warnings"
            )
    if errors:
        return EXIT_INPUT
    return 1 if warnings and args.strict else EXIT_OK


def _store_path(args: argparse.Namespace) -> Location:
    from triage.store import default_path, location

    return location(args.store) if getattr(args, "store", None) else default_path()


def _run(args: argparse.Namespace | None) -> int:
    if args is not None and args.served:
        from triage.serve import bound_this_visit

        bound_this_visit()
    if args is not None and args.date is not None:
        import datetime as dt

        if args.date > dt.date.today():
            return _refuse([f"triage run: --date {args.date.isoformat()} is after today; "
                            "give the day the patient presented"])
    app = assistant(args or argparse.Namespace(dialog=None, patient=None, no_store=False,
                                               store=None))
    return app if isinstance(app, int) else _run_app(app)


def assistant(args: argparse.Namespace, today: Any = None) -> Any:
    """The assistant as `triage run` opens it (not yet running); or the exit status after
    saying why a named dialog cannot be used. The benchmark starts it the same way."""
    import datetime as dt

    from triage.ui.app import make_app
    from triage.ui.first_screen import key_of

    today = today or getattr(args, "date", None) or dt.date.today()

    def build() -> tuple[Any, Any]:
        from triage.dialog.engine import Engine
        from triage.session import Recorder

        engine = Engine(_load_dialog(args.dialog), today)  # type: ignore[arg-type]
        recorder = (None if args.no_store
                    else Recorder.start(_store_path(args), engine, args.patient))
        return engine, recorder

    desk = None
    if getattr(args, "served", False) and not args.no_store:
        # A browser visit starts on the start screen: a new interview, or a saved session
        # to go on with, follow up or export (the terminal has commands for those).
        from triage.reopen import Desk

        desk = Desk(_store_path(args), lambda: _load_dialog(args.dialog))  # type: ignore[arg-type, return-value]
    if args.dialog is None:
        # The built-in dialog is checked by the tests: the app shows its opening at once
        # and builds the interview behind it (see triage.ui.screens.startup).
        from triage.paths import default_dialog_path

        return make_app(build=build, opening_key=key_of(default_dialog_path()), desk=desk)
    from triage.errors import InputError

    try:
        engine, recorder = build()  # another dialog: its problems are said before the UI
    except InputError as exc:
        return _refuse(exc.problems)
    return make_app(engine=engine, recorder=recorder)


def _open_app(engine: object, recorder: object) -> int:
    # Textual is imported only where the assistant starts: the headless commands never pay.
    from triage.ui.app import make_app

    return _run_app(make_app(engine=engine, recorder=recorder))  # type: ignore[arg-type]


def _run_app(app: Any) -> int:
    app.run()
    if app.recorder is not None:
        app.recorder.release()
        # stderr: when served, stdout is the browser's channel.
        print(f"triage: answers saved: {app.recorder.where}", file=sys.stderr)
    return app.return_code or EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from triage.errors import InputError
    from triage.serve import is_loopback, serve
    from triage.store import StoreError, open_store

    if not 0 < args.port < 65536:
        return _refuse([f"triage serve: --port {args.port}: a port is 1 to 65535"])
    if args.max_visits < 1:
        return _refuse([f"triage serve: --max-visits {args.max_visits}: at least 1"])
    try:
        # Checked once here, so that a bad dialog or store is said now and not in a browser.
        _load_dialog(args.dialog)
        open_store(_store_path(args)).close()
    except InputError as exc:
        return _refuse(exc.problems)
    except StoreError as exc:
        return _refuse([exc])
    if not is_loopback(args.host):
        # Said, not refused: a proxy on another machine needs it, but nobody should do it
        # unknowingly (every visitor can start and read a session).
        print(f"triage serve: warning: listening on {args.host}, not this machine only. The "
              "assistant has no login: let only an authenticating reverse proxy reach it "
              "(see the README).", file=sys.stderr)
    try:
        serve(_store_path(args), args.host, args.port, args.public_url, args.dialog,
              args.max_visits, args.user_header)
    except OSError as exc:
        import errno

        why = ("the port is in use (another triage serve?); choose another with --port"
               if exc.errno == errno.EADDRINUSE else str(exc.strerror or exc))
        return _refuse([f"triage serve: cannot listen on {args.host}:{args.port}: {why}"])
    return EXIT_OK


def _open_store(args: argparse.Namespace, read_only: bool = False) -> object:
    """The store named by the arguments; commands other than the assistant never create
    one, and read commands open it read-only."""
    from triage.store import open_store

    return open_store(_store_path(args), create=False, read_only=read_only)


def _day(text: str) -> date:
    """A day given on the command line, as YYYY-MM-DD (argparse says the error)."""
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day (YYYY-MM-DD)") from None


def _sessions(args: argparse.Namespace) -> int:
    import json

    from triage.store import MissingStore, StoreError, shown

    try:
        found = _open_store(args, read_only=True).sessions(  # type: ignore[attr-defined]
            args.limit, patient=args.patient, status=args.status, since=args.since,
            until=args.until)
    except MissingStore:
        print(f"no sessions yet (no store at {shown(_store_path(args))})")
        return EXIT_OK
    except StoreError as exc:
        return _refuse([exc])
    if args.json:
        for s in found:
            row = {k: v for k, v in vars(s).items() if k != "patient_ref"}
            print(json.dumps({**row, "patient": s.patient_ref, "today": s.today.isoformat()},
                             ensure_ascii=False))
        return EXIT_OK
    if not found:
        filtered = any(v is not None for v in (args.patient, args.status, args.since,
                                               args.until))
        print("no session matches" if filtered else "no sessions yet")
        return EXIT_OK
    from triage.plain_text import clean

    print(f"{'id':10}  {'patient':12}  {'started (UTC)':16}  {'last change':16}  "
          f"{'status':11}  {'level':9}  {'answers':>7}  leading consideration")
    for s in found:
        # A label is the clinician's text: shown as text, never a terminal escape.
        patient = clean(s.patient_ref or "-")
        print(f"{s.id:10}  {patient:12}  {s.started_utc[:16].replace('T', ' ')}  "
              f"{s.updated_utc[:16].replace('T', ' ')}  {s.status:11}  {s.level or '-':9}  "
              f"{s.answers:7}  {s.leading or '-'}")
    return EXIT_OK


def _saved_engine(args: argparse.Namespace, read_only: bool = False) -> Any:
    """The saved session (`triage.reopen.Saved`), its interview derived from its events
    with its own dialog; or the exit status after saying why it cannot be had."""
    from triage.errors import InputError
    from triage.reopen import open_saved
    from triage.store import StoreError

    try:
        store = _open_store(args, read_only)
        return open_saved(store, args.session, _load_dialog(args.dialog),  # type: ignore[arg-type]
                          read_only)
    except StoreError as exc:
        return _refuse([exc])
    except InputError as exc:
        return _refuse(exc.problems)


def _carry_over(args: argparse.Namespace, session: Any, engine: Any,
                library: Any, recorder: Any) -> Any:
    """A session recorded with another dialog: carry its answers over to this one (asked,
    or as --carry-over / --as-recorded say) and record that; the engine to go on with, or
    the exit status when the choice cannot be asked."""
    from triage.carry_over import carry_over
    from triage.session import migrate_event
    from triage.store import StoreError

    current = library.current
    if engine.dialog.hash == current.hash:
        return engine
    moved = carry_over(engine, current)
    was = f"{engine.dialog.id} {engine.dialog.version}"
    now = f"{current.id} {current.version}"
    if engine.dialog.version == current.version:
        was += f" ({engine.dialog.hash[:19]}...)"
        now += f" ({current.hash[:19]}...)"
    lines = [f"session {session.id} was recorded with dialog {was}; this triage asks {now}.",
             f"Carried over, {moved.carried} answer(s) would keep their values."]
    if moved.left:
        lines.append(f"{len(moved.left)} answer(s) cannot be carried over:")
        lines += [f"  - {left.line()}" for left in moved.left]
    else:
        lines.append("Every answer can be carried over.")
    choice = args.carry_over
    if choice is None and not sys.stdin.isatty():
        return _refuse([f"{lines[0]} Add --carry-over to go on with {now}, or "
                        f"--as-recorded to go on with {was} as it was."])
    print("\n".join(lines))
    if choice is None:
        try:
            reply = input(f"Carry the answers over to {now}? [y/N] ")
        except EOFError:
            reply = ""
        choice = reply.strip().lower() in ("y", "yes")
    if not choice:
        print(f"Going on with {was}, as recorded.")
        return engine
    try:
        library.keep_used(current)
    except StoreError as exc:
        return _refuse([exc])
    recorder.record(migrate_event(engine.dialog, current))
    print(f"Carried over to {now}; recorded in the session's audit trail.")
    return moved.engine


def _held(command: str, session: Any, recorder: Any) -> int | None:
    """Refuse a session another window is writing (one writer per session)."""
    from triage.reopen import held_elsewhere

    refused = held_elsewhere(session, recorder)
    if refused is None:
        return None
    return _refuse([f"triage {command}: {refused}. Meanwhile `triage export "
                    f"{session.id}` reads it without changing it."])


def _reopened(command: str, args: argparse.Namespace) -> tuple[Any, Any, Any] | int:
    """(session, engine, recorder) of a saved session opened to go on: held for this window
    and, if it was recorded with another dialog and the clinician says so, carried over to
    this one; or the exit status after saying why not."""
    saved = _saved_engine(args)
    if isinstance(saved, int):
        return saved
    recorder = saved.writer()
    refused = _held(command, saved.session, recorder)
    if refused is not None:
        return refused
    engine = _carry_over(args, saved.session, saved.engine, saved.library, recorder)
    return engine if isinstance(engine, int) else (saved.session, engine, recorder)


def _resume(args: argparse.Namespace) -> int:
    opened = _reopened("resume", args)
    if isinstance(opened, int):
        return opened
    _, engine, recorder = opened
    return _open_app(engine, recorder)


def _followup(args: argparse.Namespace) -> int:
    import datetime as dt

    from triage.reopen import open_visit

    try:
        on = dt.date.fromisoformat(args.date) if args.date else None
    except ValueError:
        return _refuse([f"triage followup: --date {args.date!r}: expected YYYY-MM-DD"])
    opened = _reopened("followup", args)
    if isinstance(opened, int):
        return opened
    session, engine, recorder = opened
    problem = open_visit(engine, recorder, session.id, on, args.only,
                         f"finish it with `triage resume {session.id}`")
    if problem is not None:
        recorder.release()  # the next command need not wait for a stale hold
        return _refuse([f"triage followup: {problem}"])
    return _open_app(engine, recorder)


def _export(args: argparse.Namespace) -> int:

    from triage import transcript
    from triage.render import render
    from triage.store import StoreError
    from triage.summary import summarize_interview

    if args.format == "events":
        # The audit trail as it is: no dialog is needed to read it out.
        try:
            store = _open_store(args, read_only=True)
            session = store.find(args.session)  # type: ignore[attr-defined]
            events = store.events(session.id)  # type: ignore[attr-defined]
        except StoreError as exc:
            return _refuse([exc])
        sid = session.id
        head = {"session": sid,
                "dialog": {"id": session.dialog_id, "version": session.dialog_version,
                           "hash": session.dialog_hash},
                "today": session.today.isoformat()}
        if not args.no_patient and session.patient_ref:
            head["patient_ref"] = session.patient_ref
        from triage import events_file

        text = events_file.dumps(head, events)
        return _write_export(args, text, sid)
    saved = _saved_engine(args, read_only=True)
    if isinstance(saved, int):
        return saved
    session, engine = saved.session, saved.engine
    sid = session.id
    if args.format == "transcript":
        text = transcript.dumps(transcript.from_engine(engine))
    else:
        name = f"session {sid}"
        if not args.no_patient and session.patient_ref:
            name += f" (patient {session.patient_ref})"
        text = render([(name, summarize_interview(engine))], args.format)
    return _write_export(args, text, sid)


def _write_export(args: argparse.Namespace, text: str, sid: str) -> int:
    """An export to standard output, or to a new private file (never overwritten)."""
    if args.output is None:
        sys.stdout.write(text)
        return EXIT_OK
    from triage.private_file import write_new

    try:
        write_new(args.output, text)
    except FileExistsError:
        return _refuse([f"triage export: {args.output} exists; nothing is overwritten"])
    except OSError as exc:
        return _refuse([f"triage export: {args.output}: {exc.strerror or exc}"])
    print(f"wrote {args.output} ({args.format}, session {sid})")
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from triage import events_file
    from triage.dialog.library import Library
    from triage.errors import InputError
    from triage.session import Recording, engine_from_events, listing
    from triage.store import MissingStore, StoreError, exists, open_store
    from triage.summary import summarize_interview

    path = _store_path(args)
    try:
        found = events_file.read(Path(args.file), args.file)
        # The store's dialogs are read too (it is not created before the file is checked).
        try:
            kept = open_store(path, create=False) if exists(path) else None
        except MissingStore:  # a database without triage's tables yet
            kept = None
        library = Library(_load_dialog(args.dialog), kept)  # type: ignore[arg-type]
        head = found.header
        ref = (head.dialog.id, head.dialog.version, head.dialog.hash)
        # Checked before anything is written: events that do not replay are not imported.
        recorded = Recording(head.today, *ref)
        engine = engine_from_events(library, recorded, found.events, args.file)
    except InputError as exc:
        return _refuse(exc.problems)
    except StoreError as exc:
        return _refuse([exc])
    try:
        store = kept if kept is not None else open_store(path)
        library.store = store
        library.keep_used()
        # The same session imported again is recognised; a fallback file of a session the
        # store holds in part completes it rather than making a second one.
        known = store.match(head.today, ref, found.events)
        if known is not None and known[1] == len(found.events):
            print(f"{args.file}: already in the store as session {known[0]}; nothing "
                  "imported")
            return EXIT_OK
        if known is not None:
            sid = known[0]
            store.add_events(sid, found.events[known[1]:])
        else:
            sid = store.add_session(head.today, ref, head.patient_ref, found.events)
        shown = listing(summarize_interview(engine), engine)
        store.set_listing(sid, shown)
    except StoreError as exc:
        return _refuse([exc])
    if found.cut_line is not None:
        print(f"{args.file}: line {found.cut_line}: cut short while it was written (the "
              "process stopped); left out", file=sys.stderr)
    done = (f"completed session {sid} with the {len(found.events) - known[1]} events it "
            "lacked" if known is not None else f"imported session {sid}")
    print(f"{done}: {len(found.events)} events, {len(engine.answers)} answers "
          f"({shown['status']}); {args.file} is left as it is")
    return EXIT_OK


def _delete(args: argparse.Namespace) -> int:
    from triage.store import StoreError

    try:
        store = _open_store(args)
        session = store.find(args.session)  # type: ignore[attr-defined]
        if not args.yes:
            if not sys.stdin.isatty():
                print(f"triage delete: not deleted: confirm with --yes (session {session.id}, "
                      f"{session.answers} answers)", file=sys.stderr)
                return 1
            reply = input(f"Delete session {session.id} ({session.answers} answers, last "
                          f"changed {session.updated_utc}) and its audit trail? Type its id: ")
            if reply.strip() != session.id:
                print("not deleted")
                return 1
        count = store.delete(session.id)  # type: ignore[attr-defined]
    except StoreError as exc:
        return _refuse([exc])
    print(f"deleted session {session.id} and its {count} events")
    return EXIT_OK


def _list_operators() -> int:
    from triage.scores.operators import DEFAULT, VARIANTS

    for name, cutoff in zip(DEFAULT._fields, DEFAULT, strict=True):
        variant = VARIANTS.get(name)
        extra = f"   (variant {variant[0]}: {variant[1]})" if variant else ""
        print(f"{name:34} {cutoff}{extra}")
    return EXIT_OK


#: Commands that start, work through their inputs and end (see triage.collector).
HEADLESS = ("score", "replay", "check", "operators")
#: Commands that open the assistant (None: no command, in a terminal): its start-up ends
#: when the interview is on screen (see triage.collector).
ASSISTANT = (None, "run", "resume", "followup")
COMMANDS: dict[str, Any] = {
    "score": _score, "operators": lambda _: _list_operators(), "replay": _replay,
    "check": _check, "run": _run, "sessions": _sessions, "resume": _resume,
    "followup": _followup, "export": _export, "import": _import, "delete": _delete,
    "serve": _serve,
}


def main(argv: Sequence[str] | None = None, *, own_process: bool = False) -> int:
    """Run the command line; returns the exit status. `own_process`: this is the process's
    entry point, which may tune the garbage collector for a headless command."""
    # triage uses no pydantic plugin; looking them up scans every installed package's
    # metadata on the first model build (tens of ms of start-up). A user's setting wins.
    plugins_off()
    parser = _parser()
    args = parser.parse_args(argv)
    if own_process and (args.command in HEADLESS or args.command in ASSISTANT):
        collector.pause()
    try:
        if args.command is not None:
            return COMMANDS[args.command](args)
        # No command: the assistant on the built-in dialog, in a terminal; help otherwise.
        if sys.stdin.isatty() and sys.stdout.isatty():
            return _run(None)
        parser.print_help()
        return EXIT_OK
    except BrokenPipeError:
        # `triage score ... | head`: the reader left; not an error worth a traceback.
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    finally:
        if own_process:
            collector.before_exit()


def entry() -> None:
    """The `triage` command (and `python -m triage`)."""
    sys.exit(main(own_process=True))


if __name__ == "__main__":
    entry()
