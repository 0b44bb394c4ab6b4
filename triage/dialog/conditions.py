"""Conditions and conversions in dialogs: Jinja2 expressions compiled in a sandbox.

No eval and no parser of our own: `jinja2.sandbox.ImmutableSandboxedEnvironment`
(`triage/dialog/sandbox.py`) compiles each expression once; it cannot reach Python
internals or change its inputs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

#: The names an expression may use.
CONTEXT_NAMES = ("answers", "item", "findings", "drug_info", "repeat", "visit", "x")
#: What `visit` tells a condition: whether this is a follow-up visit of a finished session.
VISIT_FIELDS = ("follow_up",)


@cache
def environment(finalize: Callable[[Any], Any] | None = None) -> Any:
    """The sandboxed environment (built on first use: importing Jinja2 costs start-up);
    `finalize`, if given, filters every value a template prints (one environment each)."""
    from jinja2 import ChainableUndefined

    from triage.dialog.sandbox import Sandbox
    from triage.jinja_cache import QuietBytecodeCache, SourceLoader
    from triage.numbers import fmt_number

    # Chainable: `findings.labs.leukocytes_per_mm3` is undefined, not an error, while
    # the labs are unknown; an undefined value compares unequal to everything.
    env = Sandbox(
        undefined=ChainableUndefined,
        loader=SourceLoader(),
        bytecode_cache=QuietBytecodeCache(),
        **({"finalize": finalize} if finalize else {}),
    )
    env.filters["num"] = fmt_number  # 15 rather than 15.0 in rule texts
    return env


def template(source: str, finalize: Callable[[Any], Any] | None = None) -> Any:
    """A sandboxed template made from text, compiled once per machine (see jinja_cache)."""
    env = environment(finalize)
    return env.get_template(env.loader.register(source))


_NOT_AN_EXPRESSION = ("{%", "%}", "{{", "}}", "{#", "#}")
#: Longer or deeper expressions are refused before Jinja2 parses them (3,000 nested
#: parentheses ended in a RecursionError traceback).
MAX_LENGTH = 4000
MAX_DEPTH = 32


def _depth(expression: str) -> int:
    depth = deepest = 0
    for char in expression:
        if char in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]}":
            depth -= 1
    return deepest


class ExpressionError(ValueError):
    """An expression that does not compile, with Jinja2's reason."""


@cache
def compiled(expression: str) -> Callable[..., Any]:
    """The compiled expression (cached: each distinct text is compiled once per process,
    and its bytecode kept between runs). It is compiled as `{% set result = ... %}` so that
    Jinja2's bytecode cache applies; the text must be one expression and nothing else."""
    from jinja2 import TemplateSyntaxError

    if any(token in expression for token in _NOT_AN_EXPRESSION):
        raise ExpressionError("must be a single expression, without {%, {{ or {# markers")
    if len(expression) > MAX_LENGTH:
        raise ExpressionError(f"is longer than {MAX_LENGTH:,} characters")
    if _depth(expression) > MAX_DEPTH:
        raise ExpressionError(f"nests brackets deeper than {MAX_DEPTH} levels")
    try:
        compiled_template = template("{% set result = (" + expression + ") %}")
    except TemplateSyntaxError as exc:
        raise ExpressionError(exc.message or str(exc)) from None
    except RecursionError:
        raise ExpressionError("is nested too deeply to compile") from None

    def run(**context: Any) -> Any:
        return getattr(compiled_template.make_module(context), "result", None)

    return run


def is_undefined(value: Any) -> bool:
    """True for Jinja2's undefined (an unknown or unanswered name)."""
    from jinja2 import Undefined

    return isinstance(value, Undefined)


def evaluate(expression: str, **context: Any) -> Any:
    """Evaluate an expression; undefined becomes None."""
    from jinja2.exceptions import SecurityError, UndefinedError

    run = compiled(expression)  # ExpressionError as it is: it says what is wrong
    try:
        value = run(**context)
    except (SecurityError, UndefinedError, TypeError, ArithmeticError, ValueError,
            LookupError, AttributeError, RecursionError) as exc:
        raise ExpressionError(f"{type(exc).__name__}: {exc}") from None
    return None if is_undefined(value) else value


def holds(expression: str | None, **context: Any) -> bool:
    """Whether a condition holds; no condition always holds."""
    if expression is None:
        return True
    return bool(evaluate(expression, **context))


_READ = re.compile(r"\b(answers|item|drug_info|visit)\.([A-Za-z_][A-Za-z0-9_]*)\b")
_STRING = re.compile(r"'[^']*'|\"[^\"]*\"")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
_PLAIN_WORDS = {
    "and",
    "or",
    "not",
    "in",
    "is",
    "if",
    "else",
    "none",
    "true",
    "false",
    "None",
    "True",
    "False",
}


@cache
def plan_of(expression: str) -> tuple[tuple[str, str], ...] | None:
    """The (name, attribute) pairs a condition reads, when that is all it reads; None when
    it reads anything else (findings, a whole name, a call), so its result is not memoized.

    Read off the text rather than Jinja2's parser, which costs a millisecond per expression
    at start-up: every word outside quotes must be a plain operator, a literal or one of
    `answers.x`, `item.x`, `drug_info.x`, `visit.x`."""
    code = _STRING.sub(" ", expression)
    callers = re.findall(r"([A-Za-z0-9_.]+)\s*\(", code)
    if any(c not in _PLAIN_WORDS for c in callers):
        return None  # a call: what it reads cannot be told from the text
    reads = set(_READ.findall(code))
    for word in _NAME.findall(code):
        if word in _PLAIN_WORDS:
            continue
        name, _, attr = word.partition(".")
        if (name, attr) not in reads or "." in attr:
            return None
    return tuple(sorted(reads))


def hashable(value: Any) -> Any:
    """An answer as part of a memo key: a multiple choice's list as a tuple."""
    return tuple(value) if isinstance(value, list) else value


class Memo:
    """Condition results remembered by the values they read: an interview re-evaluates the
    same conditions on the same answers after every answer, and Jinja2 calls are slow."""

    def __init__(self) -> None:
        self._results: dict[tuple[Any, ...], bool] = {}

    def holds(self, expression: str | None, **context: Any) -> bool:
        """Like `holds`, answered from memory when the inputs are the same."""
        if expression is None:
            return True
        plan = plan_of(expression)
        if plan is None:
            return holds(expression, **context)
        key = (expression, *(hashable(context.get(n, {}).get(a)) for n, a in plan))
        result = self._results.get(key)
        if result is None:
            result = self._results[key] = holds(expression, **context)
        return result


def reads(expression: str) -> frozenset[tuple[str, str]]:
    """The (name, attribute) pairs an expression reads: read off its text when it is plain
    (see plan_of), else from Jinja2's parse, which costs a millisecond per expression."""
    plan = plan_of(expression)
    return frozenset(plan) if plan else references(expression)[1]


@cache
def references(expression: str) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    """The names an expression uses, and the (name, attribute) pairs it reads.

    `answers.fever == 'yes'` gives ({"answers"}, {("answers", "fever")}).
    """
    from jinja2 import nodes

    try:
        tree = environment().parse("{{ " + expression + " }}")
    except Exception as exc:  # TemplateSyntaxError and friends
        raise ExpressionError(str(exc)) from None
    names = {n.name for n in tree.find_all(nodes.Name)}
    reads: set[tuple[str, str]] = set()
    for node in tree.find_all(nodes.Getattr):
        if isinstance(node.node, nodes.Name):
            reads.add((node.node.name, node.attr))
    for node in tree.find_all(nodes.Getitem):
        if isinstance(node.node, nodes.Name) and isinstance(node.arg, nodes.Const):
            reads.add((node.node.name, str(node.arg.value)))
    return frozenset(names), frozenset(reads)


def compared_values(expression: str) -> list[tuple[str, str, Any]]:
    """(name, attribute, literal) for every `name.attr == literal` or `in [...]` test."""
    from jinja2 import nodes

    tree = environment().parse("{{ " + expression + " }}")
    found: list[tuple[str, str, Any]] = []
    for compare in tree.find_all(nodes.Compare):
        left = compare.expr
        if not (isinstance(left, nodes.Getattr) and isinstance(left.node, nodes.Name)):
            continue
        for operand in compare.ops:
            if operand.op in ("eq", "ne") and isinstance(operand.expr, nodes.Const):
                found.append((left.node.name, left.attr, operand.expr.value))
            elif operand.op in ("in", "notin") and isinstance(operand.expr, nodes.List):
                for element in operand.expr.items:
                    if isinstance(element, nodes.Const):
                        found.append((left.node.name, left.attr, element.value))
    return found
