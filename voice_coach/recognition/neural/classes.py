"""Which commands the model's classes stand for, for one grammar (built-in and own routines)."""

from __future__ import annotations

from dataclasses import dataclass

from voice_coach.grammar import Grammar
from voice_coach.intents import Command
from voice_coach.recognition.neural.model import NONE_LABEL, label_of


@dataclass(frozen=True)
class ClassMap:
    """labels: the model's class labels; phrase[label]: the grammar's words for it (shortest
    phrasing), only for labels this grammar can say; missing: grammar labels the model lacks."""

    labels: tuple[str, ...]
    phrase: dict[str, tuple[str, Command]]
    missing: tuple[str, ...]

    @staticmethod
    def build(labels: tuple[str, ...], grammar: Grammar) -> "ClassMap":
        phrase: dict[str, tuple[str, Command]] = {}
        for text, command in sorted(grammar.phrases(), key=lambda tc: (len(tc[0]), tc[0])):
            label = label_of(command)
            if label in labels and label not in phrase:
                phrase[label] = (text, command)
        wanted = {label_of(c) for _, c in grammar.phrases()}
        missing = tuple(sorted(wanted - set(labels)))
        return ClassMap(labels, phrase, missing)

    def command(self, label: str) -> tuple[str, Command] | None:
        if label == NONE_LABEL:
            return None
        return self.phrase.get(label)
