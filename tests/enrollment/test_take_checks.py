"""Each enrollment take is checked: level, clipping, length, and sounding like another command."""

import numpy as np
import pytest

from fixtures.tiny_command_model import tiny_model
from voice_coach.enrollment.takes import NOISY_COPIES, PHASES_S, TakeJudge, loud_level_dbfs, with_noise
from voice_coach.audio.noise import active_rms
from voice_coach.recognition.neural.model import label_of
from voice_coach.recognition.neural.profile import VoiceProfile


def pad(x, seconds=0.5):
    quiet = np.zeros(int(16000 * seconds), np.int16)
    return np.concatenate([quiet, x, quiet])


@pytest.fixture(scope="module")
def judge():
    return TakeJudge(None)


def test_a_clear_take_passes_with_its_embeddings(judge, say):
    verdict = judge.judge(pad(say("next")), "next")
    assert verdict.problem == "" and verdict.take is not None
    assert verdict.take.vector.shape == (673,)
    # one per framing phase, then one per noisy copy
    assert verdict.take.vectors.shape == (len(PHASES_S) + len(NOISY_COPIES), 673)
    assert not np.allclose(verdict.take.vectors[0], verdict.take.vectors[1])
    quick = judge.judge(pad(say("next")), "next", views=False).take
    assert quick.vectors.shape == (1, 673)
    np.testing.assert_allclose(quick.vector, verdict.take.vector)
    np.testing.assert_allclose(judge.views(pad(say("next"))), verdict.take.vectors[1:])
    assert 0.15 <= verdict.take.speech_s <= 1.5
    assert -30 < verdict.take.level_dbfs < -10


def test_too_quiet(judge, say):
    quiet = say("next", gain_db=-30)
    assert loud_level_dbfs(quiet) < -45
    verdict = judge.judge(pad(quiet), "next")
    assert verdict.take is None and "too quiet" in verdict.problem


def test_clipping(judge, say):
    loud = np.clip(say("next").astype(np.int32) * 12, -32768, 32767).astype(np.int16)
    verdict = judge.judge(pad(loud), "next")
    assert verdict.take is None and "too loud" in verdict.problem


def test_silence_is_nothing_heard(judge):
    room = (np.random.default_rng(0).standard_normal(16000 * 2) * 20).astype(np.int16)
    verdict = judge.judge(room, "next")
    assert verdict.take is None and "heard nothing" in verdict.problem


def test_a_click_is_too_short(judge):
    audio = (np.random.default_rng(0).standard_normal(16000 * 2) * 20).astype(np.int16)
    audio[16000 : 16000 + 800] = 9000  # 50 ms knock
    verdict = judge.judge(audio, "next")
    assert verdict.take is None
    assert "too short" in verdict.problem or "heard nothing" in verdict.problem


def test_a_whole_sentence_is_more_than_the_command(judge, say):
    talk = say("next we will work slowly along the arch of the foot towards the heel and then rest a while")
    verdict = judge.judge(pad(talk), "next")
    assert verdict.take is None and "more than the command" in verdict.problem


def test_two_words_with_a_pause_are_more_than_the_command(judge, say):
    gap = np.zeros(16000, np.int16)
    verdict = judge.judge(pad(np.concatenate([say("next"), gap, say("pause")])), "next")
    assert verdict.take is None and "more than the command" in verdict.problem


def test_sounded_like_another_command_when_the_persons_takes_say_so(say):
    """The take of "next" lies right on this person's takes of "pause": it is reported as "pause"."""
    model = tiny_model()
    judge = TakeJudge(model)
    take = judge.judge(pad(say("next")), "next").take
    assert take is not None
    # Their "pause" takes happen to sound exactly like this "next" (the check cannot know better).
    person = VoiceProfile("anna", ("pause",) * 3, np.stack([take.vector] * 3))
    verdict = judge.judge(pad(say("next")), "next", person)
    assert verdict.heard_label == "pause" and verdict.take is not None
    # Without such takes the untrained model is unsure: nothing to complain about.
    assert judge.judge(pad(say("next")), "next").heard_label == ""
    assert judge.judge(pad(say("next")), "next", person).take is not None


def test_the_prompted_command_itself_is_never_a_complaint(say):
    model = tiny_model()
    judge = TakeJudge(model)
    take = judge.judge(pad(say("pain five")), label_of_text("pain five")).take
    person = VoiceProfile("anna", (label_of_text("pain five"),) * 3, np.stack([take.vector] * 3))
    assert judge.judge(pad(say("pain five")), label_of_text("pain five"), person).heard_label == ""


def label_of_text(text):
    from voice_coach.grammar import Grammar
    from voice_coach.routines.loader import load_library

    return label_of(Grammar.build(load_library().all()).parse(text))


@pytest.mark.parametrize("kind", ["white", "pink", "talk"])
def test_noise_is_mixed_in_at_the_asked_level_throughout(kind, say):
    speech = pad(say("next"))
    padded = np.concatenate([np.zeros(8000, np.int16), speech, np.zeros(8000, np.int16)])
    mixed = with_noise(padded, speech, kind, 10.0, np.random.default_rng(0))
    added = mixed.astype(np.float64) - padded
    snr = 20 * np.log10(active_rms(speech) / np.sqrt(np.mean(added**2)))
    assert abs(snr - 10.0) < 0.5
    assert np.sqrt(np.mean(added[:8000] ** 2)) > 0.3 * np.sqrt(np.mean(added**2))  # before the speech too
