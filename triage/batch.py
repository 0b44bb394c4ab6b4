"""Scoring many findings files at once: every file checked before anything is printed.

Large batches are split over the machine's cores (fork, after the imports are paid once);
the output order is the order of the files either way. For JSON lines, each worker writes
its part to a file of its own and the parent copies the parts out in order: sending 26 KB
of JSON per result back through the pool's pipes cost a fifth of a 2,000-file batch.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from triage import findings as findings_mod
from triage.errors import InputError, Problem
from triage.scores.operators import Operators
from triage.summary import summarize
from triage.yamlio import MAX_BYTES, decode_text, parse

#: Below this many files a worker process costs more than it saves.
PARALLEL_FROM = 64
#: Files scored between two collections of the youngest objects (see _outcomes).
COLLECT_EVERY = 250

Outcome = tuple[str, Any, list[Problem]]
Encode = Callable[[dict[str, Any]], Any]
EncodeLine = Callable[[dict[str, Any]], bytes]


def _same(result: dict[str, Any]) -> dict[str, Any]:
    return result


def score_one(
    name: str, operators: Operators, stdin: bytes | None = None, encode: Encode = _same
) -> Outcome:
    """Load, validate and score one file: its encoded JSON result, or the problems found."""
    try:
        if stdin is not None:
            if len(stdin) > MAX_BYTES:  # read one byte past the limit, never the whole
                raise InputError([Problem(name, f"is larger than {MAX_BYTES:,} bytes, the "
                                          "limit for a findings file")])
            doc = parse(decode_text(stdin, name), name)
            data = findings_mod.from_document(doc)
        else:
            data = findings_mod.load(Path(name), name)
    except InputError as exc:
        return name, None, exc.problems
    summary = summarize(data, operators)
    for line in near_miss_warnings(summary, name):
        print(line, file=sys.stderr)
    return name, encode(summary), []


def near_miss_warnings(summary: dict[str, Any], source: str) -> list[str]:
    """One warning per drug named on no list whose name is a near miss of a listed one: a
    misspelt drug would otherwise lose its notoriety and its allergy advice unnoticed."""
    return [
        f"{source}: warning: drugs[{i}].name: {drug['name']!r} is on no drug list; "
        f"did you mean {drug['knowledge']['did_you_mean']}?"
        for i, drug in enumerate(summary["drugs"])
        if drug["knowledge"].get("did_you_mean")
    ]


def _workers(names: Sequence[str]) -> int:
    """How many processes to score `names` with (1: in this one)."""
    if len(names) < PARALLEL_FROM or "-" in names or sys.platform != "linux":
        return 1
    return min(len(os.sched_getaffinity(0)), 8)


#: Parts per worker. A worker that finishes its part takes the next one, so a worker on a
#: slower core (another program on it, or a shared VM's slow spell) does fewer of them:
#: with one half per worker, the batch waited for the slower half.
PARTS_PER_WORKER = 8


def _parts(names: Sequence[str], workers: int) -> list[Sequence[str]]:
    size = -(-len(names) // (workers * PARTS_PER_WORKER))
    return [names[i : i + size] for i in range(0, len(names), size)]


def prepare() -> None:
    """Load what scoring any file needs (the drug knowledge, the next-step rules) now, as
    part of start-up rather than with the first file: the batch's workers then inherit it,
    and the command freezes it with the rest of start-up (see triage.collector)."""
    from triage import next_steps
    from triage.knowledge import knowledge

    knowledge()
    next_steps.load()


def _pool(workers: int) -> Any:
    import multiprocessing

    prepare()  # loaded once here, whoever calls: the workers inherit it
    # fork: the workers inherit the imported modules instead of importing them again.
    return multiprocessing.get_context("fork").Pool(workers)


def _outcomes(names: Sequence[str], operators: Operators, encode: Encode) -> Iterator[Outcome]:
    """Each file's outcome in turn, as it is scored (`-` reads stdin once).

    Scoring a file leaves no reference cycles (a collection after 1,000 files finds
    nothing), so the collector's passes while a batch runs were pure cost: 5-10 % of it.
    The collector is paused here and collects the youngest objects once every
    COLLECT_EVERY files instead, in case some input ever does leave a cycle."""
    # Bounded like a file: `yes | triage score -` must not fill the memory.
    stdin = sys.stdin.buffer.read(MAX_BYTES + 1) if "-" in names else None
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for count, n in enumerate(names, 1):
            yield score_one("<stdin>", operators, stdin, encode) if n == "-" else score_one(
                n, operators, encode=encode
            )
            if count % COLLECT_EVERY == 0:
                gc.collect(0)
    finally:
        if was_enabled:
            gc.enable()


def _serial(names: Sequence[str], operators: Operators, encode: Encode) -> list[Outcome]:
    return list(_outcomes(names, operators, encode))


def _part(args: tuple[Sequence[str], Operators]) -> list[Outcome]:
    names, operators = args
    return _serial(names, operators, _same)


def score_files(names: Sequence[str], operators: Operators) -> list[Outcome]:
    """Score every file (`-` is stdin), in order, each to its JSON result or its problems;
    parallel for large batches."""
    workers = _workers(names)
    if workers < 2:
        return _serial(names, operators, _same)
    with _pool(workers) as pool:
        parts = pool.map(_part, [(p, operators) for p in _parts(names, workers)], chunksize=1)
    return [outcome for part in parts for outcome in part]


def _lines_to(
    names: Sequence[str], operators: Operators, encode: EncodeLine, out: BinaryIO
) -> list[Problem]:
    """Write the lines of `names` to `out` in order; the problems of those that fail."""
    problems: list[Problem] = []
    for _, line, found in _outcomes(names, operators, encode):  # written as they come
        if found:
            problems.extend(found)
        elif not problems:  # once a file fails, its part is never printed: stop writing
            out.write(line)
    return problems


def _part_to_file(
    args: tuple[Sequence[str], Operators, EncodeLine, str],
) -> list[Problem]:
    names, operators, encode, path = args
    with open(path, "wb") as out:
        return _lines_to(names, operators, encode, out)


def write_lines(
    names: Sequence[str], operators: Operators, encode: EncodeLine, out: BinaryIO
) -> list[Problem]:
    """Score every file and write one encoded line per file to `out`, in the order of
    `names`; when any file has a problem, write nothing and return every problem."""
    workers = _workers(names)
    folder = None
    if workers >= 2:
        # No folder for the workers' parts (an unwritable TMPDIR): score in this process.
        with contextlib.suppress(OSError):
            folder = tempfile.mkdtemp(prefix="triage-batch-")
    if folder is None:
        return _in_process(names, operators, encode, out)
    try:
        jobs = [(part, operators, encode, os.path.join(folder, f"{k:03}.jsonl"))
                for k, part in enumerate(_parts(names, workers))]
        try:
            with _pool(workers) as pool:
                found = pool.map(_part_to_file, jobs, chunksize=1)
        except OSError:  # a part could not be written (a full disk): nothing printed yet
            return _in_process(names, operators, encode, out)
        problems = [p for part in found for p in part]
        if not problems:
            out.flush()
            for *_, path in jobs:
                _copy(path, out)
        return problems
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _in_process(
    names: Sequence[str], operators: Operators, encode: EncodeLine, out: BinaryIO
) -> list[Problem]:
    # Kept until every file has been checked: nothing is printed if one fails.
    problems = _lines_to(names, operators, encode, buffer := io.BytesIO())
    if not problems:
        out.write(buffer.getvalue())
    return problems


def _copy(path: str, out: BinaryIO) -> None:
    """Copy a worker's part to `out`: by the kernel when `out` is a descriptor that
    sendfile accepts, else through this process."""
    with open(path, "rb") as part:
        size = os.fstat(part.fileno()).st_size
        offset = 0
        try:
            target = out.fileno()
            while offset < size:
                sent = os.sendfile(target, part.fileno(), offset, size - offset)
                if sent == 0:
                    break
                offset += sent
        except (AttributeError, OSError, ValueError):  # captured output, or no sendfile
            part.seek(offset)
            shutil.copyfileobj(part, out, 1 << 20)
