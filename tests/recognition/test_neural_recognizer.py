"""The neural and fused recognizers on synthesized speech, through ``voice-coach transcribe``.

Golden files are written at test time, each named by its expected transcript
("next step.wav"); sentences and the coach's own sentences must give no
command.  The voices are held-out voices: the model never heard them.
Accuracy over many voices and rooms is measured by scripts/eval_recognition.py.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from voice_coach.audio.wavio import write_wav
from voice_coach.cli import main
from voice_coach.evaluation.corpus import normalized, speech_end
from voice_coach.evaluation.synth import Voice, available, synthesize
from voice_coach.grammar import Grammar
from voice_coach.recognition.neural.model import label_of
from voice_coach.recognition.neural.recognizer import NeuralRecognizer
from voice_coach.routines.loader import load_library

pytestmark = pytest.mark.skipif(not available("espeak"), reason="espeak-ng and sox are needed to synthesize test speech")

VOICE = Voice("espeak", "en-us+f3", 140, 65)  # a held-out voice
COMMANDS = ("stop", "next step", "pause", "resume", "how much time is left", "switch foot", "add thirty seconds",
            "pain five", "repeat that", "go back", "start heel routine", "yes", "no")
SENTENCES = ("the weather is lovely today", "keep your foot flat on the floor", "is the pressure okay for you",
             "how was your weekend")
# Talk that starts with command words: the neural model alone hears the command in the
# first words; the fused engine must not (PocketSphinx and the verifier know better).
COMMAND_WORD_SENTENCES = ("stop worrying about it", "next time bring comfortable shoes",
                          "go on tell me more", "help yourself to some tea")


def golden(folder, text: str, voice: Voice = VOICE):
    """``folder/<text>.wav``: half a second of quiet, the words, 0.7 s of quiet, as a microphone hears it."""
    rng = np.random.default_rng(len(text))
    speech = normalized(synthesize(text, voice))
    audio = np.concatenate([np.zeros(8000), speech, np.zeros(11200)])
    audio = audio + rng.standard_normal(audio.size) * 10 ** (-62 / 20)
    path = folder / f"{text}.wav"
    write_wav(path, np.round(audio * 32767).astype(np.int16))
    return path


def transcribe(capsys, *argv) -> dict[str, list[dict]]:
    status = main(["transcribe", "--json", *map(str, argv)])
    out, err = capsys.readouterr()
    assert status == 0, err
    lines = [json.loads(line) for line in out.splitlines()]
    return {line["file"]: line for line in lines}


@pytest.fixture(scope="module")
def coach_sentences():
    from voice_coach.live.self_trigger import coach_texts

    texts = sorted(set(coach_texts(load_library())))
    return [t for t in texts if len(t) < 90][:: max(1, len(texts) // 12)][:12]


@pytest.mark.parametrize("engine", ["neural", "fused"])
def test_commands_are_heard_with_their_slots(tmp_path, capsys, engine):
    grammar = Grammar.build(load_library().all())
    files = [golden(tmp_path, text) for text in COMMANDS]
    results = transcribe(capsys, "--engine", engine, *files)
    wrong = []
    for path in files:
        line = results[str(path)]
        assert line["engine"] == engine
        expected = grammar.parse(path.stem)
        heard = [(c["intent"], c["slots"]) for c in line["commands"]]
        if heard != [(str(expected.intent), dict(expected.slots))]:
            wrong.append((path.stem, heard))
    assert wrong == []


@pytest.mark.parametrize("engine", ["neural", "fused"])
def test_ordinary_sentences_are_not_commands(tmp_path, capsys, engine):
    files = [golden(tmp_path, text) for text in SENTENCES]
    results = transcribe(capsys, "--engine", engine, *files)
    heard = {path.stem: results[str(path)]["commands"] for path in files if results[str(path)]["commands"]}
    assert heard == {}


def test_the_fused_engine_rejects_talk_with_command_words_and_the_coachs_own_sentences(tmp_path, capsys,
                                                                                        coach_sentences):
    files = [golden(tmp_path, text) for text in (*COMMAND_WORD_SENTENCES, *coach_sentences)]
    results = transcribe(capsys, "--engine", "fused", *files)
    heard = {path.stem: results[str(path)]["commands"] for path in files if results[str(path)]["commands"]}
    assert heard == {}


def test_a_stream_of_commands_is_decided_soon_after_each_ends():
    grammar = Grammar.build(load_library().all())
    recognizer = NeuralRecognizer(grammar)
    pieces, ends = [np.zeros(8000)], []
    for text in ("stop", "switch foot", "pain two"):
        speech = normalized(synthesize(text, VOICE))
        ends.append(sum(p.size for p in pieces) / 16000 + speech_end(speech))
        pieces += [speech, np.zeros(16000)]
    audio = np.concatenate(pieces)
    audio = np.round((audio + np.random.default_rng(0).standard_normal(audio.size) * 1e-3) * 32767).astype(np.int16)
    heard = []
    for k in range(0, audio.size, 480):
        heard += recognizer.accept(audio[k : k + 480])
    heard += recognizer.flush()
    assert [label_of(h.command) for h in heard] == ["stop", "switch_foot", "pain:level=2"]
    for h, end in zip(heard, ends):
        assert end < h.at_s <= end + 0.6  # audio time after the end of the words, not wall time
