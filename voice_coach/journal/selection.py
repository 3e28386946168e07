"""Checking what a user asked to see: a ``--since`` date and a ``--client`` code."""

from __future__ import annotations

from datetime import date

from voice_coach.errors import ConfigError
from voice_coach.journal.store import Journal


def parse_since(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError(f"--since {text!r} is not a date",
                          f"write it as YYYY-MM-DD, e.g. --since {date.today().replace(day=1).isoformat()}") from None


def _known(codes: list[str]) -> str:
    return f"known client codes: {', '.join(codes)}" if codes else "the journal has no client codes yet (sessions run without --client)"


def check_client(journal: Journal, code: str) -> str:
    """``code`` if the journal has sessions for it, else an error listing the codes it does have."""
    codes = journal.clients()
    if code in codes:
        return code
    raise ConfigError(f"no sessions for client code {code!r} in {journal.path}", _known(codes))


def client_to_chart(journal: Journal, code: str | None) -> str | None:
    """The one client a chart is about: the given code, or the only one there is.

    ``None`` means the sessions recorded without a client code, used when
    those are all the journal holds.
    """
    if code is not None:
        return check_client(journal, code)
    codes = journal.clients()
    groups = len(codes) + (1 if journal.has_anonymous_sessions() else 0)
    if groups > 1:
        raise ConfigError("the journal has sessions of several clients; a chart shows one",
                          f"add --client CODE ({_known(codes)})")
    return codes[0] if codes else None
