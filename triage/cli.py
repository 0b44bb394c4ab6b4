"""The command line: argv in, exit status out. A thin layer over the domain core.

The headless commands never import Textual; the assistant is imported only when it starts.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

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
    return parser


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
        for problem in problems:
            print(problem, file=sys.stderr)
        return EXIT_INPUT
    if lines:
        sys.stdout.write("".join(line for _, line, _ in outcomes))
    else:
        sys.stdout.write(render([(name, data) for name, data, _ in outcomes], args.format))
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
