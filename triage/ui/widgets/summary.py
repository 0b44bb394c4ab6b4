"""The summary on screen: Textual's Markdown, with each table and list drawn by one widget.

Textual's Markdown makes a widget per table cell and four per list item. A summary has
six tables with some three hundred cells (every score item with its rule and source) and
fifty list items: 540 widgets made and 520 mounted, which cost 28 MB and a second when the
interview ended. Here a table is one widget that lays its columns out for the width it
has, wraps each cell in its column, and draws the header in the theme's primary colour
and the rules in a muted one, as the stock table does; a list of plain paragraphs is one
widget that hangs each item from its bullet or number. Both are built from markdown-it's
tokens, so the summary makes 76 widgets (peak memory 9 MB over the interview's).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, ClassVar

from markdown_it import MarkdownIt
from markdown_it.token import Token
from textual.app import ComposeResult
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Markdown
from textual.widgets._markdown import (  # the block classes Markdown builds its widgets from
    MarkdownBlock,
    MarkdownList,
    MarkdownParagraph,
    MarkdownTable,
)

#: Between two columns: a space, a vertical rule, a space.
GAP = 3
#: The narrowest a column is made while another is wider (a short column keeps its width).
FLOOR = 10
#: A column is kept as wide as its longest word up to this many cells, so that a word is
#: never broken ("Distributi/on"); a longer word (a path) may be.
WORD = 20


def floors_of(natural: Sequence[int], words: Sequence[int] | None = None) -> list[int]:
    """The narrowest each column may be made: FLOOR cells, or its longest word (up to
    WORD cells), and never more than its natural width."""
    words = words or [0] * len(natural)
    return [min(n, max(FLOOR, min(w, WORD))) for n, w in zip(natural, words, strict=True)]


def column_widths(natural: Sequence[int], available: int,
                  words: Sequence[int] | None = None) -> list[int]:
    """Each column's width in `available` cells: its natural width when all fit;
    otherwise every column keeps its floor (`floors_of`) and the rest of the room goes to
    the columns in proportion to how much wider they would be, so that the long rule text
    gets most of it and a short answer is not squeezed."""
    if sum(natural) <= available:
        return list(natural)
    floors = floors_of(natural, words)
    if sum(floors) >= available:
        widths = [max(available * f // sum(floors), 1) for f in floors]
    else:
        room = available - sum(floors)
        slack = [n - f for n, f in zip(natural, floors, strict=True)]
        widths = [f + room * s // sum(slack) for f, s in zip(floors, slack, strict=True)]
    # What the rounding left goes to the columns with the most text still folded.
    by_need = sorted(range(len(widths)), key=lambda i: widths[i] - natural[i])
    for i in by_need[: max(available - sum(widths), 0)]:
        widths[i] += 1
    return widths


class _Drawn(Widget):
    """A block drawn as lines of text for the width it has (kept until the width or the
    theme changes)."""

    def __init__(self) -> None:
        super().__init__()
        self._lines: tuple[int, list[Content]] | None = None

    def draw(self, width: int) -> list[Content]:
        raise NotImplementedError

    def lines(self, width: int) -> list[Content]:
        """The block drawn for `width` cells."""
        if self._lines is None or self._lines[0] != width:
            self._lines = (width, self.draw(width))
        return self._lines[1]

    def render(self) -> Content:
        return Content("\n").join(self.lines(self.content_size.width))

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return len(self.lines(width))

    def notify_style_update(self) -> None:
        # A new theme: the colours come from it.
        self._lines = None
        super().notify_style_update()


class TableText(_Drawn):
    """A Markdown table in one widget."""

    DEFAULT_CSS = """
    TableText { width: 1fr; height: auto; }
    TableText > .table-text--header { color: $primary; text-style: bold; }
    TableText > .table-text--rule { color: $foreground 30%; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"table-text--header", "table-text--rule"}

    def __init__(self, headers: list[Content], rows: list[list[Content]],
                 right: Sequence[bool]) -> None:
        super().__init__()
        columns = len(headers)
        self.headers = headers
        # Ragged rows (a row with fewer cells than the header) are padded with empty cells.
        self.rows = [[*row, *[Content()] * (columns - len(row))][:columns] for row in rows]
        self.right = [*right, *[False] * (columns - len(right))][:columns]

    def draw(self, width: int) -> list[Content]:
        columns = len(self.headers)
        natural = [max([self.headers[c].cell_length] + [r[c].cell_length for r in self.rows])
                   for c in range(columns)]
        words = [max(_longest_word(cell) for cell in (self.headers[c], *(r[c] for r in self.rows)))
                 for c in range(columns)]
        available = width - GAP * (columns - 1)
        header = self.get_visual_style("table-text--header")
        rule = self.get_visual_style("table-text--rule")
        if sum(floors_of(natural, words)) > available:
            return self._stacked(width, header, rule)
        widths = column_widths(natural, available, words)
        bar = Content.styled(" │ ", rule)
        lines = list(self._row(self.headers, widths, bar, header))
        lines.append(Content.styled("─┼─".join("─" * w for w in widths), rule))
        for row in self.rows:
            lines.extend(self._row(row, widths, bar, None))
        return lines

    def _stacked(self, width: int, header: object, rule: object) -> list[Content]:
        """Too narrow for the columns (a small terminal): each row as its first cell, then
        one `Header: value` line per other column, indented, rows divided by a rule."""
        lines: list[Content] = []
        for index, row in enumerate(self.rows):
            if index:
                lines.append(Content.styled("─" * max(width, 1), rule))  # type: ignore[arg-type]
            lines.extend(row[0].wrap(max(width, 1)))
            for name, cell in zip(self.headers[1:], row[1:], strict=True):
                if not cell.plain.strip():
                    continue
                text = Content.styled(f"{name.plain}: ", header) + cell  # type: ignore[arg-type]
                lines.extend(Content("  ") + line for line in text.wrap(max(width - 2, 1)))
        return lines

    def _row(self, cells: Sequence[Content], widths: Sequence[int], bar: Content,
             style: object) -> Iterable[Content]:
        wrapped = [cell.wrap(w) for cell, w in zip(cells, widths, strict=True)]
        for y in range(max(len(lines) for lines in wrapped)):
            parts = []
            for lines, w, right in zip(wrapped, widths, self.right, strict=True):
                part = lines[y] if y < len(lines) else Content()
                room = max(w - part.cell_length, 0)
                parts.append(part.pad_left(room) if right else part.pad_right(room))
            line = bar.join(parts)
            yield line.stylize_before(style) if style is not None else line  # type: ignore[arg-type]


def _longest_word(cell: Content) -> int:
    return max((len(word) for word in cell.plain.split()), default=0)


class ListText(_Drawn):
    """A bulleted list of paragraphs in one widget, each item hanging from its bullet."""

    DEFAULT_CSS = """
    ListText { width: 1fr; height: auto; }
    ListText > .list-text--bullet { color: $text-primary; }
    ListText:light > .list-text--bullet { color: $text-secondary; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"list-text--bullet"}

    def __init__(self, items: list[tuple[str, list[Content]]]) -> None:
        super().__init__()
        self.items = items

    def draw(self, width: int) -> list[Content]:
        bullet_style = self.get_visual_style("list-text--bullet")
        lines: list[Content] = []
        for symbol, paragraphs in self.items:
            symbol = symbol if symbol.endswith(" ") else symbol + " "  # Textual's has one
            indent = len(symbol)
            first = True
            for index, paragraph in enumerate(paragraphs):
                if index:
                    lines.append(Content())
                for line in paragraph.wrap(max(width - indent, 1)):
                    prefix = (Content.styled(symbol, bullet_style) if first
                              else Content(" " * indent))
                    lines.append(prefix + line)
                    first = False
            if first:  # an empty item still shows its bullet
                lines.append(Content.styled(symbol, bullet_style))
        return lines


#: The token type a collapsed table or list travels as: the stock parser hands a type it
#: does not know to `unhandled_token`, which adds the block where the token stood.
COLLAPSED = "summary_one_widget_block"
#: The tokens a plain list holds: items of paragraphs and nothing else.
PLAIN_LIST = frozenset({"list_item_open", "list_item_close", "paragraph_open",
                        "paragraph_close", "inline"})


class TableBlock(MarkdownTable):
    """A Markdown table drawn by one TableText."""

    def __init__(self, markdown: Markdown, token: Token, headers: list[Content],
                 rows: list[list[Content]], right: list[bool]) -> None:
        super().__init__(markdown, token)
        self._headers, self._rows, self._right = headers, rows, right

    def compose(self) -> ComposeResult:
        yield TableText(self._headers, self._rows, self._right)


class ListBlock(MarkdownList):
    """A bulleted or numbered list of plain paragraphs drawn by one ListText."""

    DEFAULT_CSS = "ListBlock { margin: 0 0 1 0; padding: 0 0; }"  # as the stock lists

    def __init__(self, markdown: Markdown, token: Token,
                 items: list[tuple[str, list[Content]]]) -> None:
        super().__init__(markdown, token)
        self._items = items

    def compose(self) -> ComposeResult:
        yield ListText(self._items)


def summary_parser() -> MarkdownIt:
    """CommonMark with tables and strikethrough: the stock "gfm-like" parser without its
    linkify rule and raw HTML. The summary's Markdown is ours and holds neither; a typed
    drug name that looks like a web address stays text instead of becoming a link, and
    linkify's module and patterns (half a megabyte) are not loaded at the summary."""
    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def _close_of(tokens: Sequence[Token], index: int) -> int:
    """The index of the token that closes the one opened at `index`."""
    opening = tokens[index]
    closing = opening.type.replace("_open", "_close")
    for end in range(index + 1, len(tokens)):
        if tokens[end].type == closing and tokens[end].level == opening.level:
            return end
    return len(tokens) - 1  # markdown-it always closes what it opens


class SummaryMarkdown(Markdown):
    """The summary's Markdown: each table and each list of plain paragraphs is one widget.

    They are built straight from markdown-it's tokens: the stock parser would first make a
    widget for every cell, row and list item (four hundred for a summary) only for the
    table to read their text back, which cost 6 MB at the end of an interview."""

    def __init__(self, markdown: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("parser_factory", summary_parser)
        super().__init__(markdown, **kwargs)
        #: One block that converts every inline token (made on first use).
        self._scratch: MarkdownBlock | None = None

    def _parse_markdown(self, tokens: Iterable[Token]) -> Iterable[MarkdownBlock]:
        return super()._parse_markdown(self._collapsed(list(tokens)))

    def unhandled_token(self, token: Token) -> MarkdownBlock | None:
        if token.type == COLLAPSED:
            return token.meta["block"]
        return super().unhandled_token(token)

    def _collapsed(self, tokens: list[Token]) -> Iterator[Token]:
        """The tokens, with each table and plain list replaced by one token carrying its
        block; any other list (a nested list, a code block in an item) is left to the
        stock parser, and the plain lists inside it are collapsed in turn."""
        bullets_open = 0  # the stock parser picks the bullet symbol by nesting depth
        index = 0
        while index < len(tokens):
            token = tokens[index]
            if token.type in ("table_open", "bullet_list_open", "ordered_list_open"):
                end = _close_of(tokens, index)
                inside = tokens[index + 1:end]
                block = (self._table(token, inside) if token.type == "table_open"
                         else self._list(token, inside, bullets_open))
                if block is not None:
                    yield Token(COLLAPSED, "", 0, level=token.level, meta={"block": block})
                    index = end + 1
                    continue
            bullets_open += {"bullet_list_open": 1, "bullet_list_close": -1}.get(token.type, 0)
            yield token
            index += 1

    def _content(self, inline: Token) -> Content:
        """An inline token's text and styles, as the stock blocks convert it."""
        if self._scratch is None:
            self._scratch = MarkdownParagraph(self, inline)
        return self._scratch._token_to_content(inline)

    def _table(self, opening: Token, inside: list[Token]) -> TableBlock:
        headers: list[Content] = []
        rows: list[list[Content]] = []
        right: list[bool] = []
        in_body = False
        for token in inside:
            kind = token.type
            if kind == "tbody_open":
                in_body = True
            elif kind == "tr_open" and in_body:
                rows.append([])
            elif kind == "th_open":
                headers.append(Content())
                # A column is right-aligned when its header says so (`---:` in the source).
                right.append("right" in str(token.attrs.get("style", "")))
            elif kind == "td_open":
                rows[-1].append(Content())
            elif kind == "inline":
                (rows[-1] if in_body else headers)[-1] = self._content(token)
        return TableBlock(self, opening, headers, rows, right)

    def _list(self, opening: Token, inside: list[Token], bullets_open: int) -> ListBlock | None:
        if any(token.type not in PLAIN_LIST for token in inside):
            return None
        items: list[tuple[str, list[Content]]] = []
        for token in inside:
            if token.type == "list_item_open":
                items.append((self.BULLETS[bullets_open % len(self.BULLETS)], []))
            elif token.type == "inline":
                items[-1][1].append(self._content(token))
        if opening.type == "ordered_list_open" and items:
            # Numbered from the first item's number, right-aligned with a space before the
            # widest, as the stock list numbers them.
            first = next(t.info for t in inside if t.type == "list_item_open")
            start = int(first) if first.isdigit() else 1
            numbers = [f"{n}. " for n in range(start, start + len(items))]
            width = max(len(n) for n in numbers) + 1
            items = [(n.rjust(width), paragraphs)
                     for n, (_, paragraphs) in zip(numbers, items, strict=True)]
        return ListBlock(self, opening, items)
