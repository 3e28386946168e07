"""The block-character digits of the full-screen countdown."""

from __future__ import annotations

import pytest

from voice_coach.live.big_digits import big_width, clock_text, digit_width, render_big

DIGITS = "0123456789"


def _ink(glyph: list[str]) -> set[tuple[int, int]]:
    """Lit pixels (row, column) of a rendering: each text row holds two pixel rows."""
    lit = set()
    for r, row in enumerate(glyph):
        for c, ch in enumerate(row):
            if ch in "█▀":
                lit.add((2 * r, c))
            if ch in "█▄":
                lit.add((2 * r + 1, c))
    return lit


def test_zero_at_five_rows_looks_like_a_zero():
    assert render_big("0", 5) == [
        "██▀▀▀██",
        "██   ██",
        "██   ██",
        "██   ██",
        "██▄▄▄██",
    ]


@pytest.mark.parametrize("rows", [3, 4, 5, 7, 9])
def test_a_rendering_has_the_asked_rows_all_as_wide_as_announced(rows):
    lines = render_big("12:34", rows)
    assert len(lines) == rows
    assert {len(line) for line in lines} == {big_width("12:34", rows)}
    assert set("".join(lines)) <= set(" █▀▄")


@pytest.mark.parametrize("rows", [3, 5, 7])
def test_every_digit_is_drawn_differently_and_eight_covers_them_all(rows):
    glyphs = {d: _ink(render_big(d, rows)) for d in DIGITS}
    assert len({frozenset(g) for g in glyphs.values()}) == 10
    assert all(glyphs[d] <= glyphs["8"] for d in DIGITS)


def test_one_is_a_single_stroke_on_the_right():
    columns = {c for _, c in _ink(render_big("1", 7))}
    assert columns == {digit_width(7) - 2, digit_width(7) - 1}


def test_half_blocks_appear_where_a_stroke_is_half_a_row():
    assert "▀" in "".join(render_big("7", 7)) and "▄" in "".join(render_big("2", 7))


def test_fewer_than_three_rows_is_refused():
    with pytest.raises(ValueError, match="at least 3 rows"):
        render_big("1", 2)


@pytest.mark.parametrize("seconds, shown", [
    (None, "-:--"), (0.0, "0:00"), (0.01, "0:01"), (59.2, "1:00"), (65.0, "1:05"),
    (600, "10:00"), (3723, "1:02:03"), (-3, "0:00"),
])
def test_clock_text_rounds_up_like_an_interval_timer(seconds, shown):
    assert clock_text(seconds) == shown


def test_a_twenty_minute_step_fits_80_columns_at_the_largest_size():
    assert big_width(clock_text(19 * 60 + 59), 7) <= 80
