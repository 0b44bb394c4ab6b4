"""Safe, bounded YAML reading that keeps node positions for error messages."""

from __future__ import annotations

import re
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

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
#: Anything that could be an anchor (`&name`); "Moon & Shin" in a comment is not.
_ANCHOR = re.compile(r"&[^\s,\[\]{}]")


class Document(NamedTuple):
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


def read_text(path: Path, source: str, limit: int = MAX_BYTES, kind: str = "") -> str:
    """Read a UTF-8 text file, refusing huge, binary or undecodable files with a Problem;
    `kind` names the file in the size limit's message ("an events file")."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):
            # A FIFO or a device would block the read or never end.
            raise InputError([Problem(source, "is not a regular file (a pipe or a device); "
                                      "give a file, or - for standard input")])
        size = info.st_size
        if size > limit:
            of = f" for {kind}" if kind else ""
            raise InputError(
                [Problem(source, f"file is {size:,} bytes; the limit{of} is {limit:,} bytes")]
            )
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)
    except FileNotFoundError:
        raise InputError([Problem(source, "no such file")]) from None
    except IsADirectoryError:
        raise InputError([Problem(source, "is a directory, not a file")]) from None
    except PermissionError:
        raise InputError([Problem(source, "cannot be read (permission denied)")]) from None
    except OSError as exc:
        raise InputError([Problem(source, f"cannot be read ({exc.strerror})")]) from None
    if len(raw) > limit:  # it grew after stat
        raise InputError([Problem(source, f"file is larger than {limit:,} bytes")])
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


#: Scalar tags remembered (text, implicit) -> tag; bounded in entries and text length.
_RESOLVED: dict[tuple[str, Any], str] = {}
_MEMO_SIZE = 20_000
_MEMO_TEXT = 64
#: Numbers and dates remembered (tag, text) -> value: a batch reads the same `11` or
#: `38.5` in file after file, and PyYAML builds each in Python. Only immutable values.
_CONSTRUCTED: dict[tuple[str, str], Any] = {}
_IMMUTABLE = frozenset(
    {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"}
)
_UNSEEN = object()


class _StrictLoader(_Loader):
    """The safe loader, noting duplicate keys instead of letting the last one win."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[str, yaml.Node, int]] = []

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        """The tag of a node; a plain scalar's from memory when its text was seen before.

        The parser asks for every scalar, and answering runs the safe loader's regular
        expressions; the same keys and short values (`typical`, `yes`, `38.5`) recur
        across the files of a batch. Without path resolvers (the safe loader has none)
        the tag depends on nothing but the text and how it was quoted."""
        tag = _RESOLVED.get((value, implicit)) if kind is _SCALAR else None
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if kind is _SCALAR and len(value) <= _MEMO_TEXT and len(_RESOLVED) < _MEMO_SIZE:
                _RESOLVED[(value, implicit)] = tag
        return tag

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[str, int] = {}
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    self.duplicates.append((key.value, key, seen[key.value]))
                else:
                    seen[key.value] = key.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)

    def construct_plain(self, node: yaml.Node) -> Any:
        """Build a document without aliases or merge keys, several times faster than the
        general constructor; any other tag goes through the safe constructor as usual."""
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR:
                return node.value
            if node.tag == _NULL:
                return None
            if node.tag == _BOOL:
                return self.bool_values[node.value.lower()]
            key = (node.tag, node.value)
            value = _CONSTRUCTED.get(key, _UNSEEN)
            if value is not _UNSEEN:
                return value
            try:
                value = self.construct_object(node, deep=True)
            except (ValueError, OverflowError) as exc:  # e.g. a timestamp 2026-13-01
                raise yaml.constructor.ConstructorError(
                    None, None, f"cannot read {node.value!r}: {exc}", node.start_mark
                ) from None
            if (node.tag in _IMMUTABLE and len(node.value) <= _MEMO_TEXT
                    and len(_CONSTRUCTED) < _MEMO_SIZE):
                _CONSTRUCTED[key] = value
            return value
        if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
            return [self.construct_plain(child) for child in node.value]
        if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
            result: dict[Any, Any] = {}
            first_line: dict[Any, int] = {}
            for key_node, value_node in node.value:
                # Text keys and values (most of a file) are taken as they are, without a call.
                if type(key_node) is _SCALAR and key_node.tag == _STR:
                    key = key_node.value
                else:
                    key = self.construct_plain(key_node)
                try:
                    seen = key in first_line
                except TypeError:
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping",
                        node.start_mark,
                        "found unhashable key",
                        key_node.start_mark,
                    ) from None
                if seen:
                    self.duplicates.append((str(key), key_node, first_line[key]))
                else:
                    first_line[key] = key_node.start_mark.line + 1
                if type(value_node) is _SCALAR and value_node.tag == _STR:
                    result[key] = value_node.value
                else:
                    result[key] = self.construct_plain(value_node)
            return result
        return self.construct_object(node, deep=True)


_SCALAR = yaml.ScalarNode
_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


def parse(text: str, source: str) -> Document:
    """Parse one YAML document safely; every failure becomes a Problem with line and column."""
    if len(text) > MAX_BYTES:
        raise InputError([Problem(source, f"text is larger than {MAX_BYTES:,} characters")])
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Document(source, None, None)
        # Without an anchor there is no alias, so no expansion to bound: the walk that
        # refuses alias bombs is needed only when something like '&name' appears.
        if _ANCHOR.search(text) or "<<" in text:
            _check_shape(node, source)
            data = loader.construct_document(node)
        else:
            data = loader.construct_plain(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = (
            "YAML syntax error: "
            if isinstance(
                exc,
                yaml.scanner.ScannerError | yaml.parser.ParserError | yaml.composer.ComposerError,
            )
            else "YAML error: "
        )
        message += " ".join(part for part in (exc.context, exc.problem) if part)
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
    except (ValueError, OverflowError) as exc:  # a value PyYAML cannot build, e.g. a date
        raise InputError([Problem(source, f"YAML error: cannot read a value: {exc}")]) from None
    except RecursionError:
        raise InputError([Problem(source, f"nested deeper than {MAX_DEPTH} levels")]) from None
    finally:
        loader.dispose()
    if loader.duplicates:
        raise InputError(
            [
                Problem(
                    source,
                    f"duplicate key {name!r} (first at line {first}); "
                    "each answer may be given once",
                    line=key.start_mark.line + 1,
                    column=key.start_mark.column + 1,
                )
                for name, key, first in loader.duplicates
            ]
        )
    return Document(source, data, node)


def _check_shape(root: yaml.Node, source: str) -> None:
    """Refuse alias bombs, recursive aliases and deep nesting."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

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
            for k, v in node.value:
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


def load_file(path: Path, source: str | None = None) -> Document:
    """Read and parse a YAML (or JSON) file into a Document."""
    name = source if source is not None else str(path)
    return parse(read_text(path, name), name)
