"""Safe, bounded YAML reading that keeps node positions for error messages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from triage.errors import InputError, Problem

# The C loader is many times faster; both are safe (no Python tags are ever constructed).
_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Largest input read at all. A findings file is a few kilobytes; a transcript with a long
#: drug list well under 100 KiB. Anything near this limit is a mistake or an attack.
MAX_BYTES = 1024 * 1024
#: Largest number of YAML nodes after expanding aliases: refuses "billion laughs" before
#: anything walks the expanded structure.
MAX_NODES = 100_000
#: Deepest nesting accepted; our formats need fewer than ten levels.
MAX_DEPTH = 64


@dataclass(frozen=True)
class Document:
    """A parsed YAML document with its composed node tree (for line numbers)."""

    source: str
    data: Any
    node: yaml.Node | None

    def line_of(self, loc: Sequence[str | int]) -> int | None:
        """1-based line of the value (or key) at `loc`; None when the path leaves the file."""
        node = self.node
        line = None if node is None else node.start_mark.line + 1
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                        line = value.start_mark.line + 1 if value is not None else None
                        node = value
                        break
                else:
                    return line
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if 0 <= part < len(node.value):
                    node = node.value[part]
                    line = node.start_mark.line + 1
                else:
                    return line
            else:
                return line
        return line

    def key_line(self, loc: Sequence[str | int]) -> int | None:
        """1-based line of the key named by the last part of `loc` (for unknown keys)."""
        *parents, last = loc
        node = self.node
        for part in parents:
            node = _child(node, part)
            if node is None:
                return None
        if isinstance(node, yaml.MappingNode):
            for key, _ in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == str(last):
                    return key.start_mark.line + 1
        return None


def _child(node: yaml.Node | None, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                return value
    elif (
        isinstance(node, yaml.SequenceNode)
        and isinstance(part, int)
        and 0 <= part < len(node.value)
    ):
        return node.value[part]
    return None


def read_text(path: Path, source: str) -> str:
    """Read a UTF-8 text file, refusing huge, binary or undecodable files with a Problem."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                [Problem(source, f"file is {size:,} bytes; the limit is {MAX_BYTES:,} bytes")]
            )
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError([Problem(source, "no such file")]) from None
    except IsADirectoryError:
        raise InputError([Problem(source, "is a directory, not a file")]) from None
    except PermissionError:
        raise InputError([Problem(source, "cannot be read (permission denied)")]) from None
    except OSError as exc:
        raise InputError([Problem(source, f"cannot be read ({exc.strerror})")]) from None
    if len(raw) > MAX_BYTES:
        raise InputError([Problem(source, f"file is larger than {MAX_BYTES:,} bytes")])
    return decode_text(raw, source)


def decode_text(raw: bytes, source: str) -> str:
    """Decode bytes as UTF-8 text; a NUL byte or invalid UTF-8 means it is not a text file."""
    if b"\x00" in raw:
        raise InputError([Problem(source, "is not a text file (it contains NUL bytes)")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            [
                Problem(
                    source,
                    f"is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
                )
            ]
        ) from None


def parse(text: str, source: str) -> Document:
    """Parse one YAML document safely; every failure becomes a Problem with line and column."""
    if len(text) > MAX_BYTES:
        raise InputError([Problem(source, f"text is larger than {MAX_BYTES:,} characters")])
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = "YAML syntax error: " + " ".join(
            part for part in (exc.context, exc.problem) if part
        )
        raise InputError(
            [
                Problem(
                    source,
                    message,
                    line=mark.line + 1 if mark else None,
                    column=mark.column + 1 if mark else None,
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(source, f"YAML error: {exc}")]) from None
    except RecursionError:
        raise InputError([Problem(source, f"nested deeper than {MAX_DEPTH} levels")]) from None
    finally:
        loader.dispose()
    if node is None:
        return Document(source, None, None)
    _check_shape(node, source)
    constructor = _Loader("")
    try:
        data = constructor.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise InputError(
            [
                Problem(
                    source,
                    f"YAML error: {exc.problem}",
                    line=mark.line + 1 if mark else None,
                    column=mark.column + 1 if mark else None,
                )
            ]
        ) from None
    finally:
        constructor.dispose()
    return Document(source, data, node)


def _check_shape(root: yaml.Node, source: str) -> None:
    """Refuse alias bombs, recursive aliases, deep nesting and duplicate keys."""
    sizes: dict[int, int] = {}
    active: set[int] = set()
    problems: list[Problem] = []

    def size(node: yaml.Node, depth: int) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise InputError(
                [Problem(source, "recursive YAML alias", line=node.start_mark.line + 1)]
            )
        if depth > MAX_DEPTH:
            raise InputError(
                [
                    Problem(
                        source,
                        f"nested deeper than {MAX_DEPTH} levels",
                        line=node.start_mark.line + 1,
                    )
                ]
            )
        active.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            for child in node.value:
                total += size(child, depth + 1)
        elif isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode):
                    if k.value in seen:
                        problems.append(
                            Problem(
                                source,
                                f"duplicate key {k.value!r} (first at line {seen[k.value]}); "
                                "each answer may be given once",
                                line=k.start_mark.line + 1,
                                column=k.start_mark.column + 1,
                            )
                        )
                    else:
                        seen[k.value] = k.start_mark.line + 1
                total += size(k, depth + 1) + size(v, depth + 1)
        active.discard(key)
        sizes[key] = total
        if total > MAX_NODES:
            raise InputError(
                [
                    Problem(
                        source,
                        f"YAML expands to more than {MAX_NODES:,} nodes "
                        "(aliases are expanded); refused",
                        line=node.start_mark.line + 1,
                    )
                ]
            )
        return total

    size(root, 0)
    if problems:
        raise InputError(problems)


def load_file(path: Path, source: str | None = None) -> Document:
    """Read and parse a YAML (or JSON) file into a Document."""
    name = source if source is not None else str(path)
    return parse(read_text(path, name), name)
