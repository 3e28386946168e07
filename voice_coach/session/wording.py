"""Spoken wording of numbers and durations ("one minute thirty seconds").

Numbers are spelled as words, never digits, so the speech engine reads them
the same way on every voice and the text can be fed back to a recognizer.
"""

from __future__ import annotations

import math

from voice_coach.grammar.normalize import number_words


def _unit(n: int, singular: str) -> str:
    return f"{number_words(n)} {singular}" if n == 1 else f"{number_words(n)} {singular}s"


def duration_words(seconds: float) -> str:
    """Exact wording of a whole number of seconds: "two minutes", "forty five seconds".

    Fractions are rounded to the nearest second; zero is "zero seconds".
    """
    total = max(0, int(round(seconds)))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(_unit(hours, "hour"))
    if minutes:
        parts.append(_unit(minutes, "minute"))
    if secs or not parts:
        parts.append(_unit(secs, "second"))
    return " ".join(parts)


def rounded_seconds(seconds: float) -> int:
    """Round a remaining time the way a person would say it.

    Under 20 s every second matters (rounded up, so "one second" is said until
    the very end); under a minute to 5 s; under ten minutes to 10 s; above
    that to 30 s.
    """
    if seconds <= 0:
        return 0
    if seconds < 20:
        return math.ceil(seconds - 1e-9)
    step = 5 if seconds < 60 else 10 if seconds < 600 else 30
    return int(step * round(seconds / step))


def approx_duration_words(seconds: float) -> str:
    """ "about one minute twenty seconds"; exact ("twelve seconds") below 20 s."""
    rounded = rounded_seconds(seconds)
    words = duration_words(rounded)
    return words if seconds < 20 or rounded == seconds else f"about {words}"


def count_words(n: int) -> str:
    """A repetition count as said aloud ("one", "twelve")."""
    return number_words(n)


def capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def lower_title(title: str) -> str:
    """ "Thumb pressure" -> "thumb pressure", but keep "ABC drill" as is."""
    if len(title) > 1 and title[1].isupper():
        return title
    return title[:1].lower() + title[1:]
