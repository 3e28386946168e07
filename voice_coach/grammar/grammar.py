"""The phrase grammar: a finite set of whole utterances, each meaning one command.

Built once from the routine library (spoken routine names) and the optional
wake word; then used three ways:

* ``parse(text)``: text → ``Command`` or None (``simulate``, ``--text``, and the
  engines' final step).  Only a whole utterance counts: "stop by the front
  desk" is not "stop".
* ``vosk_grammar()`` / ``utterances()`` / ``words()``: what the engines listen for.
* ``is_prefix(words)`` / ``can_extend(words)``: for fast endpointing.  A
  recognizer may decide as soon as the words heard so far form a complete
  command that ``can_extend`` says no longer command starts with ("stop",
  "pain five"), after only a short silence; for "next" (→ "next step") or
  "start heel" (→ "start heel spur") it must wait for the normal endpoint.

Word sequences passed to these methods are normalized lowercase words
(``normalize_words``); a plain string is normalized first.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Iterable, Sequence

from voice_coach.errors import ConfigError, RoutineError
from voice_coach.grammar.normalize import UNKNOWN_TOKEN, normalize_words
from voice_coach.grammar.phrases import command_phrases
from voice_coach.intents import Command, Intent
from voice_coach.routines.model import Routine

Words = tuple[str, ...]

# Works even in wake-word mode: stopping must never need a prefix.
ALWAYS_ACCEPTED: Words = ("stop",)


@dataclass(frozen=True, eq=False)
class Grammar:
    """Immutable phrase table; create with ``Grammar.build``."""

    wake_word: str
    routine_names: dict[str, str]  # normalized spoken name -> routine id
    _phrases: dict[Words, Command]  # without the wake word
    _utterances: dict[Words, Command]  # what must actually be said (wake word applied)
    _prefixes: frozenset[Words]  # every proper prefix of an utterance (incl. the empty one)

    # ---- construction ---------------------------------------------------------
    @classmethod
    def build(cls, routines: Iterable[Routine], wake_word: str = "") -> Grammar:
        """Grammar for these routines; ``wake_word`` ("coach") turns on prefix mode.

        Raises RoutineError when two routines share a spoken name or a name has
        no words, ConfigError when the wake word is not a plain word.
        """
        names = _routine_names(routines)
        phrases: dict[Words, Command] = {}
        for text, command in command_phrases(names):
            words = tuple(text.split())
            if words in phrases and phrases[words] != command:
                raise RoutineError(
                    f'the phrase "{text}" would mean both {_describe(phrases[words])} and {_describe(command)}',
                    "change one routine's spoken_names so it does not collide with a command",
                )
            phrases[words] = command
        wake = _wake_words(wake_word)
        if wake:
            utterances = {wake + words: command for words, command in phrases.items()}
            utterances[ALWAYS_ACCEPTED] = phrases[ALWAYS_ACCEPTED]
        else:
            utterances = dict(phrases)
        prefixes = frozenset(words[:i] for words in utterances for i in range(len(words)))
        return cls(" ".join(wake), names, phrases, utterances, prefixes)

    # ---- parsing --------------------------------------------------------------
    def parse(self, text: str) -> Command | None:
        """The command ``text`` says as a whole utterance, or None.

        Never raises for any input string.  ``Command.text`` is the normalized
        utterance (wake word included).
        """
        words = normalize_words(text)
        return None if words is None else self.parse_words(words)

    def parse_words(self, words: Sequence[str]) -> Command | None:
        """Like ``parse`` for already-normalized words."""
        words = tuple(words)
        command = self._utterances.get(words)
        if command is None:
            return None
        return dataclasses.replace(command, slots=dict(command.slots), text=" ".join(words))

    # ---- what can be said -----------------------------------------------------
    def phrases(self) -> list[tuple[str, Command]]:
        """Every accepted phrasing *without* the wake word, with its command."""
        return [(" ".join(words), command) for words, command in self._phrases.items()]

    def utterances(self) -> list[tuple[str, Command]]:
        """Every whole utterance that is accepted as said (wake word applied, bare "stop" kept)."""
        return [(" ".join(words), command) for words, command in self._utterances.items()]

    def words(self) -> frozenset[str]:
        """The vocabulary: every word of every utterance (wake word included)."""
        return frozenset(word for words in self._utterances for word in words)

    def vosk_grammar(self) -> list[str]:
        """Vosk phrase list: every utterance plus ``[unk]`` (never empty).

        ``[unk]`` gives out-of-grammar speech somewhere to go, so chatter comes
        out as "[unk] …" and is rejected instead of being forced onto a command.
        """
        return [text for text, _ in self.utterances()] + [UNKNOWN_TOKEN]

    def intents(self) -> frozenset[Intent]:
        return frozenset(command.intent for command in self._utterances.values())

    # ---- endpointing helpers --------------------------------------------------
    def is_prefix(self, words: Sequence[str] | str) -> bool:
        """True when ``words`` is a command or the start of one (the empty sequence is)."""
        words = self._as_words(words)
        return words is not None and (words in self._prefixes or words in self._utterances)

    def can_extend(self, words: Sequence[str] | str) -> bool:
        """True when some *longer* accepted utterance starts with ``words``.

        "next" → True ("next step"), "stop" → False, "start heel" → True when a
        routine is called "heel spur".  A recognizer may finalize a complete
        command early only when this is False.
        """
        words = self._as_words(words)
        return words is not None and words in self._prefixes

    def is_final(self, words: Sequence[str] | str) -> bool:
        """A complete command that no longer command extends: safe to decide at once."""
        words = self._as_words(words)
        return words is not None and words in self._utterances and words not in self._prefixes

    def _as_words(self, words: Sequence[str] | str) -> Words | None:
        return normalize_words(words) if isinstance(words, str) else tuple(words)


def _routine_names(routines: Iterable[Routine]) -> dict[str, str]:
    names: dict[str, str] = {}
    for routine in routines:
        for spoken in routine.spoken_names:
            words = normalize_words(spoken)
            if not words:
                raise RoutineError(
                    f'routine "{routine.id}": spoken name {spoken!r} has no words',
                    "use plain words in spoken_names, e.g. \"heel spur\"",
                )
            name = " ".join(words)
            other = names.get(name)
            if other is not None and other != routine.id:
                raise RoutineError(
                    f'routines "{other}" and "{routine.id}" both use the spoken name "{name}"',
                    "give each routine its own spoken_names",
                )
            names[name] = routine.id
    return names


def _wake_words(wake_word: str) -> Words:
    words = normalize_words(wake_word or "")
    if words is None or (wake_word.strip() and not words):
        raise ConfigError(
            f"wake word {wake_word!r} is not a plain word",
            'use letters only, e.g. --wake-word coach (or "" to turn it off)',
        )
    if words == ALWAYS_ACCEPTED:
        raise ConfigError('the wake word cannot be "stop"', "pick another word, e.g. coach")
    return words


def _describe(command: Command) -> str:
    slots = ", ".join(f"{k}={v}" for k, v in command.slots.items())
    return f"{command.intent.value}({slots})" if slots else command.intent.value
