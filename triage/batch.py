"""Scoring many findings files at once: every file checked before anything is printed.

Large batches are split over the machine's cores (fork, after the imports are paid once);
the output order is the order of the files either way.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from triage import findings as findings_mod
from triage.errors import InputError, Problem
from triage.scores.operators import Operators
from triage.summary import summarize
from triage.yamlio import decode_text, parse

#: Below this many files a worker process costs more than it saves.
PARALLEL_FROM = 64

Outcome = tuple[str, Any, list[Problem]]
Encode = Callable[[dict[str, Any]], Any]


def _same(result: dict[str, Any]) -> dict[str, Any]:
    return result


def score_one(
    name: str, operators: Operators, stdin: bytes | None = None, encode: Encode = _same
) -> Outcome:
    """Load, validate and score one file: its encoded JSON result, or the problems found."""
    try:
        if stdin is not None:
            doc = parse(decode_text(stdin, name), name)
            data = findings_mod.from_document(doc)
        else:
            data = findings_mod.load(Path(name), name)
    except InputError as exc:
        return name, None, exc.problems
    return name, encode(summarize(data, operators)), []


def _chunk(args: tuple[Sequence[str], Operators, Encode]) -> list[Outcome]:
    names, operators, encode = args
    return [score_one(n, operators, encode=encode) for n in names]


def score_files(
    names: Sequence[str], operators: Operators, encode: Encode = _same
) -> list[Outcome]:
    """Score every file (`-` is stdin), in order; parallel for large batches.

    `encode` turns each result into what the caller prints (in the worker, so that a
    batch sends text back rather than large dictionaries)."""
    workers = min(len(os.sched_getaffinity(0)) if sys.platform == "linux" else 1, 8)
    if len(names) < PARALLEL_FROM or workers < 2 or "-" in names:
        stdin = sys.stdin.buffer.read() if "-" in names else None
        return [
            score_one("<stdin>", operators, stdin, encode)
            if n == "-"
            else score_one(n, operators, encode=encode)
            for n in names
        ]
    import multiprocessing

    size = -(-len(names) // workers)
    chunks = [(names[i : i + size], operators, encode) for i in range(0, len(names), size)]
    # fork: the workers inherit the imported modules instead of importing them again.
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return [outcome for part in pool.map(_chunk, chunks) for outcome in part]
