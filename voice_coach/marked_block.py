"""Generated blocks in Markdown files: the text between a begin and an end marker (measured
tables in the README and docs, paragraphs of the model card), rewritten by the scripts that
measure them while everything around stays as written."""

from __future__ import annotations


def marked_block(text: str, begin: str, end: str) -> str | None:
    """The block from ``begin`` to ``end``, markers included; None when either is missing."""
    if begin not in text or end not in text:
        return None
    return text[text.index(begin): text.index(end) + len(end)]


def replace_marked_block(text: str, begin: str, end: str, block: str) -> str | None:
    """``text`` with its block from ``begin`` to ``end`` replaced by ``block`` (which carries its
    own markers); None when either marker is missing."""
    if begin not in text or end not in text:
        return None
    return text[: text.index(begin)] + block + text[text.index(end) + len(end):]
