"""Turn raw recognizer output or typed text into the grammar's word sequence.

Both engines and the keyboard produce text in slightly different shapes
("Pain 5.", "add 30 seconds", "[unk] next"); the grammar only ever compares
lowercase word tuples, so everything funnels through ``normalize_words``.
"""

from __future__ import annotations

import re
import unicodedata

UNKNOWN_TOKEN = "[unk]"

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()

# Anything that is not a letter, digit, or the brackets of "[unk]" separates words.
_SEPARATORS = re.compile(r"[^a-z0-9\[\]]+")
_DIGITS = re.compile(r"\d+")
_APOSTROPHES = re.compile(r"['\u2019\u02bc`]")


def number_words(n: int) -> str:
    """Spell a non-negative integer below 1000 the way people say it ("forty five").

    Larger numbers are spelled digit by digit: they are never commands, so only
    their being words (and therefore rejected) matters.
    """
    if n < 0:
        raise ValueError(f"negative number {n}")
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + ("" if ones == 0 else " " + _ONES[ones])
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = f"{_ONES[hundreds]} hundred"
        return head if rest == 0 else f"{head} {number_words(rest)}"
    return " ".join(_ONES[int(d)] for d in str(n))


def normalize_words(text: str) -> tuple[str, ...] | None:
    """Lowercase word tuple of ``text``, or None when it contains ``[unk]``.

    Punctuation separates words, apostrophes join them ("what's" -> "whats"),
    digits become words ("pain 5" -> "pain five").  ``[unk]`` is Vosk's marker
    for out-of-grammar speech: an utterance containing it is never a command.
    """
    text = unicodedata.normalize("NFKC", text).lower()
    text = _APOSTROPHES.sub("", text)
    text = _DIGITS.sub(lambda m: f" {_spell_digits(m.group())} ", text)
    words: list[str] = []
    for token in _SEPARATORS.split(text):
        if not token:
            continue
        if token == UNKNOWN_TOKEN:
            return None
        if "[" in token or "]" in token:
            # Brackets only ever belong to engine markers; "[noise]" and the
            # like are not speech we understand.
            return None
        words.append(token)
    return tuple(words)


def _spell_digits(digits: str) -> str:
    # Leading zeros ("007") and huge numbers are spelled digit by digit.
    if len(digits) > 1 and digits.startswith("0") or len(digits) > 3:
        return " ".join(_ONES[int(d)] for d in digits)
    return number_words(int(digits))


def normalize_text(text: str) -> str | None:
    """``normalize_words`` joined with single spaces (None when ``[unk]`` was heard)."""
    words = normalize_words(text)
    return None if words is None else " ".join(words)
