"""The command line: argv in, exit status out. A thin layer over the domain core.

The headless commands never import Textual; the assistant is imported only when it starts.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from triage import __version__

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
        choices=("json", "md", "text", "html"),
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
    replay.add_argument("--format", choices=("json", "md", "text", "html"), default="json")
    replay.add_argument("--dialog", metavar="DIALOG", help="dialog file (default: built-in)")
    replay.add_argument(
        "--through-ui",
        action="store_true",
        help="answer through the real assistant, headless, by key presses",
    )

    run = commands.add_parser(
        "run", help="open the assistant on a dialog (the built-in one when none is named)"
    )
    run.add_argument("dialog", nargs="?", metavar="DIALOG")

    check = commands.add_parser(
        "check",
        help="lint dialogs (the built-in one when none is named)",
        description="Check dialogs: syntax, schema, ids, conditions, reachability and which "
        "findings fields they reach. Exit 0 when clean, 2 on errors; with --strict, 1 on "
        "warnings alone.",
    )
    check.add_argument("dialogs", nargs="*", metavar="DIALOG")
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
    from triage.batch import score_files
    from triage.render import json_line, render

    try:
        operators = _operators(args.operator)
    except ValueError as exc:
        print(f"triage score: {exc}", file=sys.stderr)
        return EXIT_INPUT
    lines = args.format == "json" and len(args.files) > 1
    outcomes = score_files(args.files, operators, json_line if lines else lambda r: r)  # type: ignore[arg-type]
    problems = [p for _, _, found in outcomes for p in found]
    if problems:
        # Never a partial result: with any invalid file nothing is printed on stdout.
        return _refuse(problems)
    if lines:
        sys.stdout.write("".join(line for _, line, _ in outcomes))
    else:
        sys.stdout.write(render([(name, data) for name, data, _ in outcomes], args.format))
    return EXIT_OK


def _load_dialog(path: str | None) -> object:
    from triage.dialog.loader import default_dialog_path, load_dialog

    return load_dialog(Path(path) if path else default_dialog_path(), path if path else None)


def _replay(args: argparse.Namespace) -> int:
    from triage import transcript as transcript_mod
    from triage.errors import InputError
    from triage.render import render
    from triage.summary import summarize_interview

    try:
        dialog = _load_dialog(args.dialog)
    except InputError as exc:
        return _refuse(exc.problems)
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
                print(f"{path:{width}}  {', '.join(sources) or '-'}")
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


def _run(dialog_path: str | None) -> int:
    from triage.errors import InputError

    try:
        dialog = _load_dialog(dialog_path)
    except InputError as exc:
        return _refuse(exc.problems)
    # Textual is imported here and only here: the headless commands never pay for it.
    from triage.ui.app import make_app

    make_app(dialog).run()  # type: ignore[arg-type]
    return EXIT_OK


def _list_operators() -> int:
    from dataclasses import fields

    from triage.scores.operators import DEFAULT, VARIANTS

    for f in fields(DEFAULT):
        variant = VARIANTS.get(f.name)
        extra = f"   (variant {variant[0]}: {variant[1]})" if variant else ""
        print(f"{f.name:34} {getattr(DEFAULT, f.name)}{extra}")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    # triage uses no pydantic plugin; looking them up scans every installed package's
    # metadata on the first model build (tens of ms of start-up). A user's setting wins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "score":
            return _score(args)
        if args.command == "operators":
            return _list_operators()
        if args.command == "replay":
            return _replay(args)
        if args.command == "check":
            return _check(args)
        if args.command == "run":
            return _run(args.dialog)
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


if __name__ == "__main__":
    sys.exit(main())
