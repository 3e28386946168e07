"""Seven-segment digits drawn with block characters, readable from a massage table.

A glyph is drawn on a pixel grid twice as tall as its text rows; each text
row then shows two pixel rows with one character: ``█`` (both lit), ``▀``
(top), ``▄`` (bottom) or a space.  Horizontal strokes are one pixel (half a
row) and vertical strokes two columns, which makes the strokes look about as
thick as each other on a terminal's tall, narrow cells.
"""

from __future__ import annotations

_SEGMENTS = {  # a top, b upper right, c lower right, d bottom, e lower left, f upper left, g middle
    "0": "abcdef", "1": "bc", "2": "abdeg", "3": "abcdg", "4": "bcfg",
    "5": "acdfg", "6": "acdefg", "7": "abc", "8": "abcdefg", "9": "abcdfg", "-": "g",
}
_STROKE_COLS = 2
_GAP_COLS = 2
_COLON_COLS = 2


def _glyph_pixels(segments: str, width: int, height: int) -> list[list[bool]]:
    """``height`` pixel rows of ``width`` columns with the given segments lit."""
    grid = [[False] * width for _ in range(height)]
    middle = height // 2 - 1
    right = range(width - _STROKE_COLS, width)
    left = range(_STROKE_COLS)

    def light(rows, cols) -> None:
        for r in rows:
            for c in cols:
                grid[r][c] = True

    spans = {
        "a": (range(0, 1), range(width)),
        "b": (range(0, middle + 1), right),
        "c": (range(middle, height), right),
        "d": (range(height - 1, height), range(width)),
        "e": (range(middle, height), left),
        "f": (range(0, middle + 1), left),
        "g": (range(middle, middle + 1), range(width)),
    }
    for segment in segments:
        light(*spans[segment])
    return grid


def _colon_pixels(height: int) -> list[list[bool]]:
    grid = [[False] * _COLON_COLS for _ in range(height)]
    dot = max(1, height // 7)
    top = height // 3 - dot // 2
    for r in range(top, top + dot):
        grid[r] = grid[height - 1 - r] = [True] * _COLON_COLS  # mirrored, so both dots look alike
    return grid


def _to_blocks(grid: list[list[bool]]) -> list[str]:
    rows = []
    for r in range(0, len(grid), 2):
        top, bottom = grid[r], grid[r + 1]
        rows.append("".join("█" if t and b else "▀" if t else "▄" if b else " " for t, b in zip(top, bottom)))
    return rows


def digit_width(rows: int) -> int:
    """Columns of one digit that is ``rows`` text rows tall (about two thirds as wide as tall)."""
    return rows + 2


def big_width(text: str, rows: int) -> int:
    """Columns ``render_big(text, rows)`` takes."""
    widths = [_COLON_COLS if ch == ":" else digit_width(rows) for ch in text]
    return sum(widths) + _GAP_COLS * max(0, len(widths) - 1)


def render_big(text: str, rows: int = 7) -> list[str]:
    """``text`` (digits, ":" and "-") as ``rows`` lines of equal width; other characters are blanks.

    rows: text rows (at least 3); the glyphs are ``2 * rows`` pixels tall.
    """
    if rows < 3:
        raise ValueError(f"big digits need at least 3 rows, got {rows}")
    height = 2 * rows
    lines = [""] * rows
    for i, ch in enumerate(text):
        if ch == ":":
            grid = _colon_pixels(height)
        else:
            grid = _glyph_pixels(_SEGMENTS.get(ch, ""), digit_width(rows), height)
        for r, row in enumerate(_to_blocks(grid)):
            lines[r] += (" " * _GAP_COLS if i else "") + row
    return lines


def clock_text(seconds: float | None) -> str:
    """Remaining seconds as an interval timer shows them: "1:05", "12:00", "1:02:03"; "-:--" unknown.

    Rounded up, so "0:00" appears only when the time is really over.
    """
    if seconds is None:
        return "-:--"
    total = max(0, int(-(-seconds // 1)))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
