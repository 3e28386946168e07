"""Enrollment from a folder of recordings named by what they say: ``next.wav``, ``next 2.wav``,
``pain five.wav`` (``_`` counts as a space; a trailing number only tells takes apart)."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

from voice_coach.audio.wavio import read_wav
from voice_coach.errors import AudioError, ConfigError
from voice_coach.grammar import Grammar
from voice_coach.intents import Command
from voice_coach.enrollment.guided import empty_profile
from voice_coach.enrollment.takes import TakeJudge
from voice_coach.recognition.neural.model import label_of
from voice_coach.recognition.neural.profile import VoiceProfile

_TAKE_NUMBER = re.compile(r"^(.*?)[ _-]+\d+$")


@dataclass(frozen=True)
class FileProblem:
    """kept: the take was still used (a note, not a failure)."""

    file: str
    problem: str
    kept: bool = False


@dataclass(frozen=True)
class FolderResult:
    profile: VoiceProfile
    used: tuple[str, ...]
    problems: tuple[FileProblem, ...]


def command_of_name(stem: str, grammar: Grammar) -> Command | None:
    """The command a file name says: the whole name, else the name without its take number."""
    text = stem.replace("_", " ").strip()
    command = grammar.parse(text)
    if command is None and (match := _TAKE_NUMBER.match(text)):
        command = grammar.parse(match.group(1))
    return command


def enroll_from_folder(user: str, folder: Path, grammar: Grammar, judge: TakeJudge,
                       model_labels: tuple[str, ...] | None = None) -> FolderResult:
    """A fresh profile from every ``*.wav`` in ``folder``; files that cannot be used are reported, not fatal."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ConfigError(f"{folder} is not a folder", "pass the folder holding the WAV takes with --from DIR")
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".wav")
    if not files:
        raise ConfigError(f"{folder} holds no .wav files",
                          "record each command as a 16-bit WAV named by its words, e.g. 'next.wav', 'pain five.wav'")
    profile = empty_profile(user)
    used, problems = [], []
    for path in files:
        command = command_of_name(path.stem, grammar)
        if command is None:
            problems.append(FileProblem(path.name, f"{path.stem!r} is not a command the coach knows; name the file "
                                                   "by its words, e.g. 'next.wav', 'next 2.wav', 'pain five.wav'"))
            continue
        label = label_of(command)
        if model_labels is not None and label not in model_labels:
            problems.append(FileProblem(path.name, f"the neural model has no class for {command.text!r}"))
            continue
        try:
            audio = read_wav(path)
        except AudioError as exc:
            problems.append(FileProblem(path.name, exc.message))
            continue
        verdict = judge.judge(audio, label, profile)
        if verdict.take is None:
            problems.append(FileProblem(path.name, verdict.problem))
            continue
        if verdict.heard_label:  # recorded elsewhere, it cannot be said again: keep it, but say so
            problems.append(FileProblem(path.name, f"sounded like {verdict.heard_label!r}; kept as {command.text!r}", True))
        profile = profile.with_take(label, verdict.take.vectors, command.text)
        used.append(path.name)
    complete = bool(used)
    profile = dataclasses.replace(profile, meta=dict(profile.meta, complete=complete, source="folder"))
    return FolderResult(profile, tuple(used), tuple(problems))
