"""PocketSphinx inputs generated from the phrase grammar: dictionary and JSGF.

The decoder only ever needs the words the grammar uses, so we write a small
dictionary (a few hundred lines instead of the 130k-word cmudict): it loads
in milliseconds and keeps the recognizer's memory small.  Words missing from
the wheel's cmudict come from ``data/extra_pronunciations.dict``; anything
still missing (a new routine's spoken name) is spelled by espeak-ng and
mapped to ARPAbet, because therapists add routines with arbitrary names.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterable

import pocketsphinx

from voice_coach.errors import RecognizerError

EXTRA_PRONUNCIATIONS = "extra_pronunciations.dict"


def model_dir() -> Path:
    """The en-us acoustic model folder shipped inside the pocketsphinx wheel."""
    return Path(pocketsphinx.get_model_path()) / "en-us"


def _parse_dict_lines(lines: Iterable[str], wanted: set[str], into: dict[str, list[tuple[str, ...]]]) -> None:
    for line in lines:
        if not line.strip() or line.startswith(";"):
            continue
        head, *phones = line.split()
        word = head.split("(", 1)[0].lower()
        if word in wanted and phones:
            variants = into.setdefault(word, [])
            if tuple(phones) not in variants:
                variants.append(tuple(phones))


# espeak-ng's phoneme mnemonics (``espeak-ng -x``) → ARPAbet.  Longest symbols
# are matched first; stress marks and syllable separators are dropped.
_ESPEAK_TO_ARPABET: dict[str, tuple[str, ...]] = {
    "aI@": ("AY", "ER"), "aU@": ("AW", "ER"), "eI": ("EY",), "aI": ("AY",), "aU": ("AW",),
    "OI": ("OY",), "oU": ("OW",), "@U": ("OW",), "i@": ("IH", "R"), "e@": ("EH", "R"),
    "U@": ("UH", "R"), "O@": ("AO", "R"), "A@": ("AA", "R"), "3:": ("ER",), "@L": ("AH", "L"),
    "i:": ("IY",), "u:": ("UW",), "A:": ("AA",), "O:": ("AO",), "a#": ("AE",), "@2": ("AH",),
    "@5": ("AH",), "I2": ("IH",), "I#": ("IH",), "tS": ("CH",), "dZ": ("JH",), "aa": ("AA",),
    "@": ("AH",), "3": ("ER",), "I": ("IH",), "i": ("IY",), "E": ("EH",), "a": ("AE",),
    "A": ("AA",), "0": ("AA",), "O": ("AO",), "V": ("AH",), "U": ("UH",), "u": ("UW",),
    "p": ("P",), "b": ("B",), "t": ("T",), "d": ("D",), "k": ("K",), "g": ("G",),
    "f": ("F",), "v": ("V",), "T": ("TH",), "D": ("DH",), "s": ("S",), "z": ("Z",),
    "S": ("SH",), "Z": ("ZH",), "h": ("HH",), "m": ("M",), "n": ("N",), "N": ("NG",),
    "l": ("L",), "r": ("R",), "w": ("W",), "j": ("Y",), "t#": ("T",), "d#": ("D",),
    "z#": ("Z",), "x": ("K",), "?": (),
}
_ESPEAK_SYMBOLS = sorted(_ESPEAK_TO_ARPABET, key=len, reverse=True)


def espeak_pronunciation(word: str) -> tuple[str, ...] | None:
    """ARPAbet phones for ``word`` as espeak-ng (en-us) would say it, or None."""
    if shutil.which("espeak-ng") is None:
        return None
    try:
        out = subprocess.run(["espeak-ng", "-q", "-x", "-v", "en-us", word],
                             capture_output=True, text=True, timeout=10, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    mnemonics = re.sub(r"[',%=_:!|]+(?![:])", "", out.strip().replace(" ", ""))
    phones: list[str] = []
    i = 0
    while i < len(mnemonics):
        for symbol in _ESPEAK_SYMBOLS:
            if mnemonics.startswith(symbol, i):
                phones.extend(_ESPEAK_TO_ARPABET[symbol])
                i += len(symbol)
                break
        else:
            i += 1  # an espeak symbol we do not map (rare diacritics): skip it
    # espeak writes e.g. "r" after a rhotic vowel we already spelled with R: drop doubles.
    deduped = [p for i, p in enumerate(phones) if i == 0 or p != phones[i - 1]]
    return tuple(deduped) or None


@dataclass(frozen=True)
class SphinxLexicon:
    """Pronunciations for every grammar word: word → list of phone tuples."""

    pronunciations: dict[str, list[tuple[str, ...]]]

    @classmethod
    def for_words(cls, words: Iterable[str], *, allow_espeak: bool = True) -> "SphinxLexicon":
        """Pronunciations from the data file, then cmudict, then (if allowed) espeak-ng."""
        wanted = {w.lower() for w in words}
        found: dict[str, list[tuple[str, ...]]] = {}
        extra = resources.files("voice_coach.grammar").joinpath("data", EXTRA_PRONUNCIATIONS)
        _parse_dict_lines(extra.read_text(encoding="utf-8").splitlines(), wanted, found)
        cmudict = model_dir() / "cmudict-en-us.dict"
        with open(cmudict, encoding="utf-8") as lines:
            _parse_dict_lines(lines, wanted - set(found), found)
        for word in sorted(wanted - set(found)):
            phones = espeak_pronunciation(word) if allow_espeak else None
            if phones is None:
                raise RecognizerError(
                    f"no pronunciation for the grammar word {word!r}",
                    f"add a line '{word} <ARPAbet phones>' to voice_coach/grammar/data/{EXTRA_PRONUNCIATIONS} "
                    "or install espeak-ng",
                )
            found[word] = [phones]
        return cls(found)

    def dictionary_text(self) -> str:
        """The lexicon in PocketSphinx dictionary format."""
        lines = []
        for word in sorted(self.pronunciations):
            for i, phones in enumerate(self.pronunciations[word]):
                head = word if i == 0 else f"{word}({i + 1})"
                lines.append(f"{head} {' '.join(phones)}")
        return "\n".join(lines) + "\n"

    def phones_of(self, text: str) -> list[str]:
        """The phones of a phrase, first pronunciation of each word."""
        return [p for w in text.split() for p in self.pronunciations[w][0]]

    def phone_count(self, text: str) -> int:
        """Phones in the shortest pronunciation of a phrase (for duration checks)."""
        return sum(min(len(p) for p in self.pronunciations[w]) for w in text.split())


def jsgf_for_phrases(phrases: Iterable[str], name: str = "commands") -> str:
    """A JSGF grammar whose sentences are exactly the given phrases."""
    unique = sorted(set(phrases))
    if not unique:
        raise RecognizerError("the command grammar is empty", "check the routine files and phrase list")
    body = " | ".join(f"( {p} )" for p in unique)
    return f"#JSGF V1.0;\ngrammar {name};\npublic <utterance> = {body};\n"
