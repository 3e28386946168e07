"""The set of routines that loaded: look-up by id and by spoken name."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

from voice_coach.errors import RoutineError, VoiceCoachError
from voice_coach.routines.model import Routine


class UnknownRoutineError(VoiceCoachError):
    """Asked for a routine id that is not in the library."""


def _where(routine: Routine) -> str:
    return str(routine.origin) if routine.origin else f"built-in routine '{routine.id}'"


class RoutineLibrary:
    """Routines in a stable order (built-ins first, then the user's), unique by id.

    ``builtin`` holds the ids shipped with voice-coach; ``replaced`` the ids of
    built-ins that a user file replaced, so ``voice-coach routines`` can say so.
    """

    def __init__(self, routines: Iterable[Routine], replaced: Iterable[str] = (),
                 builtin: Iterable[str] = ()) -> None:
        self._routines: dict[str, Routine] = {}
        for routine in routines:
            if routine.id in self._routines:
                raise RoutineError(
                    f"{_where(routine)}: routine id '{routine.id}' is also used by {_where(self._routines[routine.id])}",
                    "give each routine its own id",
                )
            self._routines[routine.id] = routine
        self._replaced = frozenset(replaced)
        self._builtin = frozenset(builtin)

    def get(self, routine_id: str) -> Routine:
        try:
            return self._routines[routine_id]
        except KeyError:
            raise UnknownRoutineError(
                f"no routine with id '{routine_id}'",
                f"known routines: {', '.join(self.ids()) or 'none'} (see voice-coach routines)",
            ) from None

    def all(self) -> tuple[Routine, ...]:
        return tuple(self._routines.values())

    def ids(self) -> tuple[str, ...]:
        return tuple(self._routines)

    def replaced_builtin(self, routine_id: str) -> bool:
        """True when a user file replaced the built-in routine with this id."""
        return routine_id in self._replaced

    def is_builtin(self, routine_id: str) -> bool:
        """True when this id is a routine shipped with voice-coach (and not replaced)."""
        return routine_id in self._builtin and routine_id not in self._replaced

    def by_spoken_name(self) -> dict[str, str]:
        """Spoken name -> routine id; a name claimed by two routines is an error."""
        owners: dict[str, Routine] = {}
        for routine in self._routines.values():
            for name in routine.spoken_names:
                other = owners.get(name)
                if other is not None:
                    raise RoutineError(
                        f"spoken name '{name}' is used by routine '{other.id}' ({_where(other)}) "
                        f"and by routine '{routine.id}' ({_where(routine)})",
                        "change spoken_names in one of the two files so each name starts only one routine",
                    )
                owners[name] = routine
        return {name: routine.id for name, routine in owners.items()}

    def origin_of(self, routine_id: str) -> Path | None:
        return self.get(routine_id).origin

    def __contains__(self, routine_id: object) -> bool:
        return routine_id in self._routines

    def __iter__(self) -> Iterator[Routine]:
        return iter(self.all())

    def __len__(self) -> int:
        return len(self._routines)
