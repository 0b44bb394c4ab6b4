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
