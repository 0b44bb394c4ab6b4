"""The on-screen summary draws each table and plain list with one widget."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.content import Content

from triage.ui.widgets.summary import (
    FLOOR,
    GAP,
    ListText,
    SummaryMarkdown,
    TableText,
    column_widths,
)


def test_columns_that_fit_keep_their_natural_widths() -> None:
    assert column_widths([5, 10, 3], 18) == [5, 10, 3]
    assert column_widths([5, 10, 3], 40) == [5, 10, 3]


def test_a_cramped_table_gives_the_room_to_its_long_column() -> None:
    natural = [28, 19, 6, 9, 230, 38]
    widths = column_widths(natural, 69)
    assert sum(widths) == 69
    assert widths[2] == 6 and widths[3] == 9  # short columns keep their width
    assert widths[4] == max(widths)  # the long rule text gets the most
    assert all(w >= min(n, FLOOR) for w, n in zip(widths, natural, strict=True))


def test_a_column_keeps_its_longest_word_whole() -> None:
    """Issue 21 §3: "Distributi/on" at 120x40. A column is as wide as its longest word
    (up to WORD cells) while the table fits; the room left goes to the long column."""
    natural, words = [40, 12, 200], [9, 12, 14]
    widths = column_widths(natural, 80, words)
    assert widths[1] == 12 and widths[0] >= 10 and sum(widths) == 80
    assert column_widths(natural, 80)[1] == FLOOR  # without the words: broken


def test_a_table_narrower_than_its_floors_still_gives_every_column_a_cell() -> None:
    widths = column_widths([30, 30, 30], 5)
    assert all(w >= 1 for w in widths) and sum(widths) <= 5


class _Show(App[None]):
    def __init__(self, widget: object) -> None:
        super().__init__()
        self.widget = widget

    def compose(self) -> ComposeResult:
        yield self.widget  # type: ignore[misc]


def _table() -> TableText:
    return TableText(
        [Content("Item"), Content("Points"), Content("Rule")],
        [[Content("Fever"), Content("+1"), Content("temperature >= 38 °C: yes +1, no 0")],
         [Content("Histology")]],  # a ragged row: its missing cells are empty
        right=[False, True, False],
    )


async def test_a_wide_enough_table_is_header_rule_and_rows_with_right_aligned_points() -> None:
    table = _table()
    async with _Show(table).run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        lines = [line.plain.rstrip() for line in table.lines(table.content_size.width)]
    assert lines[0].split(" │ ")[0].rstrip() == "Item"
    assert set(lines[1]) <= {"─", "┼"}
    assert lines[2] == "Fever     │     +1 │ temperature >= 38 °C: yes +1, no 0"
    assert lines[3].startswith("Histology │")
    assert len(lines) == 4


async def test_a_narrow_table_is_stacked_one_row_at_a_time() -> None:
    table = _table()
    # Narrower than the columns' floors (9 + 6 + FLOOR cells) and the gaps between them.
    async with _Show(table).run_test(size=(2 * GAP + 9 + 6 + FLOOR - 1, 12)) as pilot:
        await pilot.pause()
        lines = [line.plain.rstrip() for line in table.lines(table.content_size.width)]
    assert lines[0] == "Fever"
    assert lines[1] == "  Points: +1"
    assert lines[2].startswith("  Rule: temperature")
    assert all(line.startswith("  ") for line in lines[2:] if "─" not in line
               and line != "Histology")
    assert "Histology" in lines


async def test_list_items_hang_from_their_bullets() -> None:
    listing = ListText([("•", [Content("word " * 12)]), ("•", [])])
    async with _Show(listing).run_test(size=(24, 10)) as pilot:
        await pilot.pause()
        lines = [line.plain.rstrip() for line in listing.lines(listing.content_size.width)]
    assert lines[0].startswith("• word")
    assert all(line.startswith("  word") for line in lines[1:-1])
    assert lines[-1] == "•"  # an empty item still shows its bullet


MARKDOWN = """\
| A | B |
|---|--:|
| one | 1 |
| two | 2 |

- first
- second

A paragraph between the lists.

- outer
  - nested
"""


async def test_the_summary_markdown_mounts_one_widget_per_table_and_plain_list() -> None:
    from textual.widgets._markdown import MarkdownTableCellContents

    class Doc(App[None]):
        def compose(self) -> ComposeResult:
            yield SummaryMarkdown(MARKDOWN)

    async with Doc().run_test(size=(60, 20)) as pilot:
        await pilot.pause(0.2)
        app = pilot.app
        assert len(app.query(TableText)) == 1
        assert not app.query(MarkdownTableCellContents)
        table = app.query_one(TableText)
        assert [line.plain.rstrip() for line in table.lines(table.content_size.width)][2:] == [
            "one │ 1", "two │ 2"
        ]
        lists = list(app.query(ListText))
        # The plain list is one widget; the list holding a nested list is composed the
        # stock way (a bullet widget per item), and its inner, plain list is one widget.
        assert [[item[1][0].plain for item in w.items] for w in lists] == [
            ["first", "second"], ["nested"]
        ]
        from textual.widgets._markdown import MarkdownBullet

        assert len(app.query(MarkdownBullet)) == 1


LISTS = """\
# Lists

1. first numbered, with **bold** text
2. second
3. third
4. four
5. five
6. six
7. seven
8. eight
9. nine
10. ten

- a bullet with `code` and a [link](https://example.org)
- another

> - quoted
>   - nested in a quote

3. numbered from three
4. four

- outer
  - inner plain
  - inner two
"""


def _screen_text(app: App[None]) -> list[str]:
    return [strip.text.rstrip() for strip in app.screen._compositor.render_strips()]


async def test_lists_read_as_the_stock_markdown_draws_them() -> None:
    """Numbered lists (from any start, right-aligned numbers), bullets by nesting depth,
    lists in quotes and in list items: the same text as Textual's own Markdown."""
    from textual.widgets import Markdown

    for width in (40, 80):
        screens = []
        for kind in (Markdown, SummaryMarkdown):
            class Doc(App[None]):
                def compose(self) -> ComposeResult:
                    yield kind(LISTS)  # noqa: B023 (used before the loop moves on)

            async with Doc().run_test(size=(width, 50)) as pilot:
                await pilot.pause(0.2)
                screens.append(_screen_text(pilot.app))
        assert screens[0] == screens[1]
        text = "\n".join(screens[1])
        # Numbers right-aligned: "1." under the "0" of "10.".
        assert text.index(" 1. first") - text.rindex("\n", 0, text.index(" 1. first")) == (
            text.index("10. ten") - text.rindex("\n", 0, text.index("10. ten")))
        assert "3. numbered from three" in text and "4. four" in text


async def test_no_widget_is_made_for_a_table_cell_or_a_list_item(monkeypatch) -> None:
    """Tables and plain lists are built from the parser's tokens: the cell, row and item
    widgets the stock parser would make (and throw away) are never constructed."""
    from textual.widgets import _markdown

    made: list[str] = []

    def counting(cls: type) -> object:
        stock = cls.__init__

        def init(self: object, *args: object, **kwargs: object) -> None:
            made.append(cls.__name__)
            stock(self, *args, **kwargs)

        return init

    for name in ("MarkdownTD", "MarkdownTH", "MarkdownTR", "MarkdownUnorderedListItem",
                 "MarkdownOrderedListItem"):
        cls = getattr(_markdown, name)
        monkeypatch.setattr(cls, "__init__", counting(cls))

    source = MARKDOWN.split("- outer")[0] + "1. one\n2. two\n"

    class Doc(App[None]):
        def __init__(self, kind: type) -> None:
            super().__init__()
            self.kind = kind

        def compose(self) -> ComposeResult:
            yield self.kind(source)

    from textual.widgets import Markdown

    async with Doc(Markdown).run_test(size=(60, 20)) as pilot:  # the count sees them
        await pilot.pause(0.2)
    assert {"MarkdownTD", "MarkdownUnorderedListItem", "MarkdownOrderedListItem"} <= set(made)
    made.clear()
    async with Doc(SummaryMarkdown).run_test(size=(60, 20)) as pilot:
        await pilot.pause(0.2)
        assert len(pilot.app.query(TableText)) == 1
        assert len(pilot.app.query(ListText)) == 2
    assert made == []


def test_text_that_looks_like_a_web_address_stays_text() -> None:
    """A typed drug name is shown as typed: no link is made of it (the stock parser's
    linkify would), and tables still parse."""
    from markdown_it import MarkdownIt

    from triage.ui.widgets.summary import summary_parser

    def kinds(parser: MarkdownIt) -> set[str]:
        tokens = parser.parse("Suspect: www.example.org\n\n| A |\n|---|\n| 1 |\n")
        return {t.type for t in tokens} | {c.type for t in tokens for c in t.children or []}

    assert "link_open" in kinds(MarkdownIt("gfm-like"))
    assert "link_open" not in kinds(summary_parser())
    assert "table_open" in kinds(summary_parser())


async def test_table_cells_keep_their_text_styles_and_a_short_row_is_padded() -> None:
    source = """\
| Item | Points |
|---|--:|
| **Fever** | +1 |
| Histology |

| Only | A header |
|---|---|
"""

    class Doc(App[None]):
        def compose(self) -> ComposeResult:
            yield SummaryMarkdown(source)

    async with Doc().run_test(size=(60, 20)) as pilot:
        await pilot.pause(0.2)
        full, header_only = list(pilot.app.query(TableText))
    assert [h.plain for h in full.headers] == ["Item", "Points"]
    assert [[c.plain for c in row] for row in full.rows] == [["Fever", "+1"], ["Histology", ""]]
    assert full.right == [False, True]
    assert any(span.style == ".strong" for span in full.rows[0][0].spans)  # **Fever**
    assert [h.plain for h in header_only.headers] == ["Only", "A header"]
    assert header_only.rows == []


async def test_a_drawn_table_breaks_no_word_while_it_fits() -> None:
    table = TableText(
        [Content("Item"), Content("Answer"), Content("Rule")],
        [[Content("Distribution"), Content("typical"),
          Content("flexural predominance, symmetrical and generalized " * 4)]],
        right=[False, False, False],
    )
    async with _Show(table).run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        lines = [line.plain for line in table.lines(table.content_size.width)]
    cells = [part.strip() for line in lines[2:] for part in line.split(" │ ")]
    assert "Distribution" in cells
    words = {w for c in cells for w in c.split()}
    assert words <= {"Distribution", "typical", "flexural", "predominance,", "symmetrical",
                     "and", "generalized"}
