"""The summary on screen: Textual's Markdown, with each table and list drawn by one widget.

Textual's Markdown makes a widget per table cell and four per list item. A summary has
six tables with some three hundred cells (every score item with its rule and source) and
forty bullets: 520 widgets, and the summary cost 28 MB and a second to mount when the
interview ended (drawn as here: 140 widgets, 15 MB, 0.6 s). Here a table is one widget
that lays its columns out for the width it has, wraps each cell in its column, and draws
the header in the theme's primary colour and the rules in a muted one, as the stock table
does; a list of plain paragraphs is one widget that hangs each item from its bullet.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Markdown
from textual.widgets._markdown import (  # the block classes Markdown builds its widgets from
    MarkdownBlock,
    MarkdownBulletList,
    MarkdownListItem,
    MarkdownParagraph,
    MarkdownTable,
    MarkdownTH,
)

#: Between two columns: a space, a vertical rule, a space.
GAP = 3
#: The narrowest a column is made while another is wider (a short column keeps its width).
FLOOR = 10


def column_widths(natural: Sequence[int], available: int) -> list[int]:
    """Each column's width in `available` cells: its natural width when all fit;
    otherwise every column keeps up to FLOOR cells and the rest of the room goes to the
    columns in proportion to how much wider they would be, so that the long rule text
    gets most of it and a short answer is not squeezed."""
    if sum(natural) <= available:
        return list(natural)
    floors = [min(n, FLOOR) for n in natural]
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
        available = width - GAP * (columns - 1)
        header = self.get_visual_style("table-text--header")
        rule = self.get_visual_style("table-text--rule")
        if sum(min(n, FLOOR) for n in natural) > available:
            return self._stacked(width, header, rule)
        widths = column_widths(natural, available)
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


class OneWidgetTable(MarkdownTable):
    """A Markdown table block that composes one TableText instead of a widget per cell."""

    def compose(self):  # type: ignore[no-untyped-def, override]
        self._headers, self._rows = self._get_headers_and_rows()
        # A column is right-aligned when its header cell says so (`---:` in the source).
        right = [
            "right" in str(block._token.attrs.get("style", ""))
            for block in _flatten(self)
            if isinstance(block, MarkdownTH)
        ]
        yield TableText(self._headers, self._rows, right)


def _flatten(block: MarkdownBlock) -> Iterable[MarkdownBlock]:
    for child in block._blocks:
        yield child
        yield from _flatten(child)


class OneWidgetBulletList(MarkdownBulletList):
    """A bulleted list whose items are paragraphs only, as one ListText; any other list
    (a nested list, a code block in an item) is composed as Textual composes it."""

    def compose(self):  # type: ignore[no-untyped-def, override]
        items: list[tuple[str, list[Content]]] = []
        for block in self._blocks:
            if not isinstance(block, MarkdownListItem):
                continue
            if not all(type(child) is MarkdownParagraph for child in block._blocks):
                yield from super().compose()
                return
            items.append((block.bullet, [child._content for child in block._blocks]))
        self._blocks.clear()
        yield ListText(items)


class SummaryMarkdown(Markdown):
    """The summary's Markdown: its tables and plain bulleted lists drawn one widget each."""

    BLOCKS: ClassVar[dict[str, type[MarkdownBlock]]] = {
        **Markdown.BLOCKS,
        "table_open": OneWidgetTable,
        "bullet_list_open": OneWidgetBulletList,
    }
