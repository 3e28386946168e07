"""Generated blocks between markers: found and replaced whole, the text around kept; a file
without both markers is reported, not half-edited."""

from voice_coach.marked_block import marked_block, replace_marked_block

TEXT = "intro\n<!-- a:begin -->\nold table\n<!-- a:end -->\noutro\n"


def test_the_block_comes_with_its_markers():
    assert marked_block(TEXT, "<!-- a:begin -->", "<!-- a:end -->") == "<!-- a:begin -->\nold table\n<!-- a:end -->"


def test_replacing_keeps_everything_around_it():
    new = replace_marked_block(TEXT, "<!-- a:begin -->", "<!-- a:end -->", "<!-- a:begin -->\nnew\n<!-- a:end -->")
    assert new == "intro\n<!-- a:begin -->\nnew\n<!-- a:end -->\noutro\n"


def test_a_missing_marker_gives_none():
    half = TEXT.replace("<!-- a:end -->", "")
    assert marked_block(half, "<!-- a:begin -->", "<!-- a:end -->") is None
    assert replace_marked_block(half, "<!-- a:begin -->", "<!-- a:end -->", "x") is None
