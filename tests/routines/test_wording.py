"""Built-in routine text is our own wording and reads well through text-to-speech."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

import pytest

from voice_coach.routines import Routine, load_library

NGRAM = 8  # any run of eight words shared with an article counts as copied
MAX_SENTENCE_WORDS = 25
# Letters, digits, spaces and plain punctuation only: symbols such as & / % ( ) ; : and
# dashes are read out oddly or skipped by espeak-ng.
SPEAKABLE = re.compile(r"^[A-Za-z0-9 .,?!'\-]+$")
ABBREVIATIONS = re.compile(r"\b(e\.g|i\.e|etc|min|mins|sec|secs|approx|vs)\b\.?", re.IGNORECASE)


def spoken_texts(routine: Routine) -> Iterator[tuple[str, str]]:
    """(where, text) for everything the coach may say from this routine."""
    yield "title", routine.title
    yield "intro", routine.intro
    yield "closing", routine.closing
    for n, text in enumerate(routine.cautions, 1):
        yield f"caution {n}", text
    for n, q in enumerate(routine.safety_questions, 1):
        yield f"question {n}", q.question
        yield f"question {n} if_yes", q.if_yes
    for step in routine.steps:
        yield f"step {step.id} title", step.title
        yield f"step {step.id} instructions", step.instructions
        for n, text in enumerate(step.cautions, 1):
            yield f"step {step.id} caution {n}", text
        for n, text in enumerate(step.tools, 1):
            yield f"step {step.id} tool {n}", text


def words(text: str) -> list[str]:
    text = text.lower().replace("\u2019", "'").replace("'", "")
    return re.findall(r"[a-z0-9]+", text)


def ngrams(tokens: list[str], n: int = NGRAM) -> set[tuple[str, ...]]:
    return {tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)}


def copied_runs(text: str, article_grams: set[tuple[str, ...]]) -> list[str]:
    return sorted(" ".join(g) for g in ngrams(words(text)) & article_grams)


@pytest.fixture(scope="module")
def routines() -> tuple[Routine, ...]:
    return load_library(include_user_dir=False).all()


@pytest.fixture(scope="module")
def article_grams() -> dict[str, set[tuple[str, ...]]]:
    seeds = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"source articles not present at {seeds}")
    return {path.name: ngrams(words(path.read_text(encoding="utf-8"))) for path in sorted(seeds.glob("*.txt"))}


def test_detector_catches_a_copied_sentence(article_grams):
    """Guard: the overlap check below can fail."""
    name = "002_15eafb2fdb191801.txt"
    article = Path(__file__).resolve().parents[2].parent / "shared" / "seeds" / name
    sentence = next(s for s in re.split(r"(?<=[.!?])\s+", article.read_text(encoding="utf-8"))
                    if len(words(s)) >= 12)
    assert copied_runs("Now listen. " + sentence.upper(), article_grams[name])
    assert not copied_runs("Sit down and rest both of your feet on the warm towel now.", article_grams[name])


def test_no_eight_word_run_is_copied_from_any_article(routines, article_grams):
    copied = []
    for routine in routines:
        for where, text in spoken_texts(routine):
            for article, grams in article_grams.items():
                copied += [f"{routine.id} {where} ~ {article}: {run!r}" for run in copied_runs(text, grams)]
    assert not copied, "\n".join(copied)


def test_text_uses_only_speakable_characters(routines):
    bad = [f"{r.id} {where}: {text!r}" for r in routines for where, text in spoken_texts(r)
           if not SPEAKABLE.match(text) or ABBREVIATIONS.search(text)]
    assert not bad, "\n".join(bad)


def test_sentences_are_short(routines):
    long = []
    for routine in routines:
        for where, text in spoken_texts(routine):
            for sentence in re.split(r"[.?!]\s*", text):
                if len(sentence.split()) > MAX_SENTENCE_WORDS:
                    long.append(f"{routine.id} {where}: {sentence!r}")
    assert not long, "\n".join(long)


def test_numbers_are_written_as_words(routines):
    # espeak reads "3-5" as "three minus five"; the files spell numbers out.
    digits = [f"{r.id} {where}" for r in routines for where, text in spoken_texts(r) if re.search(r"\d", text)]
    assert not digits
