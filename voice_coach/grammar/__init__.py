"""The phrase grammar: what can be said, and the parser from text to commands."""

from voice_coach.grammar.grammar import Grammar
from voice_coach.grammar.normalize import UNKNOWN_TOKEN, normalize_text, normalize_words, number_words
from voice_coach.grammar.phrases import EXAMPLE_PHRASES

__all__ = ["EXAMPLE_PHRASES", "Grammar", "UNKNOWN_TOKEN", "normalize_text", "normalize_words", "number_words"]
