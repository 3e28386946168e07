"""PocketSphinx recognizer on real (synthesized) speech: commands, chatter, chunking, reset.

Audio is synthesized at test time with espeak-ng (the same offline voices the
evaluation harness uses); the tests skip only when espeak-ng/sox are absent.
"""

from __future__ import annotations

import numpy as np
import pytest

from voice_coach.errors import RecognizerError
from voice_coach.evaluation.corpus import normalized, speech_end
from voice_coach.evaluation.synth import Voice, available, synthesize
from voice_coach.grammar import Grammar
from voice_coach.intents import Intent
from voice_coach.recognition.base import SAMPLE_RATE_HZ
from voice_coach.recognition.sphinx_recognizer import SphinxRecognizer
from voice_coach.recognition.sphinx_rejection import RejectionPolicy
from voice_coach.routines.loader import load_library

pytestmark = pytest.mark.skipif(not available("espeak"), reason="espeak-ng and sox are needed to synthesize test speech")

VOICE = Voice("espeak", "en-us", 160, 50)
GAP_S = 1.0


@pytest.fixture(scope="module")
def grammar() -> Grammar:
    return Grammar.build(load_library().all())


@pytest.fixture(scope="module")
def recognizer_factory(grammar):
    return lambda: SphinxRecognizer(grammar)


def stream(texts: list[str]) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """One int16 recording of the texts with pauses; returns audio and each text's (start, speech end)."""
    pieces = [np.zeros(int(0.8 * SAMPLE_RATE_HZ))]
    spans = []
    position = pieces[0].size
    for text in texts:
        speech = normalized(synthesize(text, VOICE))
        spans.append((position / SAMPLE_RATE_HZ, position / SAMPLE_RATE_HZ + speech_end(speech)))
        pieces += [speech, np.zeros(int(GAP_S * SAMPLE_RATE_HZ))]
        position += speech.size + int(GAP_S * SAMPLE_RATE_HZ)
    audio = np.concatenate(pieces)
    return np.round(audio * 32767).astype(np.int16), spans


def run(recognizer: SphinxRecognizer, audio: np.ndarray, chunk: int = 480):
    heard = []
    for i in range(0, audio.size, chunk):
        heard += recognizer.accept(audio[i : i + chunk])
    return heard + recognizer.flush()


# Commands this one voice is heard saying (accuracy across many voices and
# noise is measured by scripts/eval_recognition.py, not here).
COMMANDS = [
    ("stop", Intent.STOP, {}),
    ("add thirty seconds", Intent.ADD_TIME, {"seconds": 30}),
    ("start heel spur routine", Intent.START_ROUTINE, {"routine": "heel-spur"}),
    ("how much time is left", Intent.TIME_LEFT, {}),
    ("go back", Intent.PREVIOUS, {}),
]


def test_commands_are_heard_with_intent_slots_and_decision_time(recognizer_factory):
    audio, spans = stream([text for text, _, _ in COMMANDS])
    heard = run(recognizer_factory(), audio)
    assert [h.command.intent for h in heard] == [intent for _, intent, _ in COMMANDS]
    for h, (_, _, slots), (start, end) in zip(heard, COMMANDS, spans):
        assert dict(h.command.slots) == slots
        # Decided after the speech ended, and well before the next utterance.
        assert end < h.at_s < end + GAP_S, (h.text, h.at_s, end)
        assert 0.0 <= (h.confidence or 0.0) <= 1.0


CHATTER = [
    "stop by the front desk on your way out",
    "next week I'm traveling to see my sister",
    "we can continue with the massage after lunch",
    "I think the pain has been worse since tuesday",
]


def test_ordinary_sentences_with_command_words_yield_nothing(recognizer_factory):
    audio, _ = stream(CHATTER)
    assert run(recognizer_factory(), audio) == []


def test_chunk_size_does_not_change_the_result(recognizer_factory):
    audio, _ = stream(["stop", "go back", "pain level three"])
    results = []
    for chunk in (160, 333, 480, 1024, 8000):
        results.append([(h.text, h.at_s) for h in run(recognizer_factory(), audio, chunk)])
    assert results[0], "nothing heard at all"
    assert all(r == results[0] for r in results), results


def test_reset_forgets_pending_speech_but_keeps_counting_time(recognizer_factory):
    audio, spans = stream(["stop"])
    cut = int((spans[0][1] + 0.05) * SAMPLE_RATE_HZ)  # the word is spoken, not yet decided
    silence = np.zeros(SAMPLE_RATE_HZ, np.int16)

    control = recognizer_factory()
    assert control.accept(audio[:cut]) == []
    assert [h.command.intent for h in run(control, silence)] == [Intent.STOP]

    recognizer = recognizer_factory()
    assert recognizer.accept(audio[:cut]) == []
    recognizer.reset()  # e.g. the coach started speaking
    assert run(recognizer, silence) == []
    # Still hears a whole command afterwards, positions counted from the very first sample.
    offset = (cut + silence.size) / SAMPLE_RATE_HZ
    heard = run(recognizer, audio)
    assert [h.command.intent for h in heard] == [Intent.STOP]
    assert heard[0].at_s > offset + spans[0][1]


def test_flush_decides_a_command_at_the_very_end_of_the_stream(recognizer_factory):
    audio, spans = stream(["go back"])
    cut = int((spans[0][1] + 0.05) * SAMPLE_RATE_HZ)  # stream ends 50 ms after the words
    heard = run(recognizer_factory(), audio[:cut])
    assert [h.command.intent for h in heard] == [Intent.PREVIOUS]


def test_non_int16_audio_is_a_clear_error(recognizer_factory):
    with pytest.raises(RecognizerError, match="int16"):
        recognizer_factory().accept(np.zeros(480, dtype=np.float32))


@pytest.mark.parametrize("floor", [None, -60.0])
def test_digital_silence_and_clicks_neither_fail_nor_trigger(grammar, floor):
    # A muted input is exact zeros; a click on it must not become a command either.
    rng = np.random.default_rng(1)
    click = np.clip(rng.normal(0, 3000, 3000), -32768, 32767).astype(np.int16)
    zeros = np.zeros(SAMPLE_RATE_HZ, np.int16)
    audio = np.concatenate([zeros, click, zeros, zeros])
    assert run(SphinxRecognizer(grammar, noise_floor_dbfs=floor), audio) == []
    # … and speech after digital silence is still heard.
    speech, _ = stream(["stop"])
    heard = run(SphinxRecognizer(grammar, noise_floor_dbfs=floor), np.concatenate([zeros, speech]))
    assert [h.command.intent for h in heard] == [Intent.STOP]



# One short recording per command with a fresh recognizer, as `voice-coach
# transcribe` does per file: nothing learned from earlier speech.  Before the
# per-utterance cepstral mean and the noise floor, all six were misheard or
# lost ("how long left" -> "go on").  Rejection is off: this is about the
# decode; what rejection costs is measured by scripts/eval_recognition.py.
FRESH_VOICE = Voice("espeak", "en-us", 165, 50)
FRESH_COMMANDS = ["pause", "how long left", "what can i say", "list routines", "end session", "skip this"]


@pytest.mark.parametrize("text", FRESH_COMMANDS)
def test_a_fresh_recognizer_hears_a_command_alone_in_a_short_file(grammar, text):
    speech = normalized(synthesize(text, FRESH_VOICE))
    pad = np.zeros(int(0.4 * SAMPLE_RATE_HZ))
    audio = np.round(np.concatenate([pad, speech, pad]) * 32767).astype(np.int16)
    heard = run(SphinxRecognizer(grammar, policy=RejectionPolicy()), audio)
    assert [h.command for h in heard] == [grammar.parse(text)], [h.text for h in heard]
