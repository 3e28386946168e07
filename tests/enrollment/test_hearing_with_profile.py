"""End to end on real embeddings: a model that knows no words hears this person's enrolled
commands through their refitted profile, and still nothing in their ordinary sentences."""

import numpy as np
import pytest

from fixtures.tiny_command_model import tiny_model
from voice_coach.cli.transcribe import recognize
from voice_coach.enrollment.takes import TakeJudge
from voice_coach.grammar import Grammar
from voice_coach.recognition.neural.model import label_of
from voice_coach.recognition.neural.model import NONE_LABEL
from voice_coach.recognition.neural.profile import VoiceProfile
from voice_coach.recognition.fused import FusedRecognizer, ProfileTrust
from voice_coach.recognition.neural.recognizer import NeuralRecognizer
from voice_coach.recognition.neural.refit import ProfileBank, fingerprint, hidden_layer
from voice_coach.recognition.verifier import FEATURES, PROFILE_FEATURES, Verifier
from voice_coach.routines.loader import load_library


def stream(*pieces):
    """The pieces with a second of quiet room between them (a microphone's noise floor, not digital zeros)."""
    gap = np.zeros(16000, np.int16)
    out = [gap]
    for p in pieces:
        out += [p, gap]
    x = np.concatenate(out)
    return (x + np.random.default_rng(0).standard_normal(x.size) * 18).astype(np.int16)


@pytest.fixture(scope="module")
def grammar():
    return Grammar.build(load_library().all())


@pytest.fixture(scope="module")
def profile(say, grammar):
    judge = TakeJudge(None)
    p = VoiceProfile("anna", (), np.zeros((0, 0), np.float32))
    for text in ("next", "stop", "pain five"):
        label = "pain:level=5" if text == "pain five" else text
        for tempo in (0.96, 1.0, 1.04):
            p = p.with_take(label, judge.judge(stream(say(text, tempo)), label).take.vectors, text)
    return p


TALK = ("good morning", "is the pressure all right", "we are nearly done", "tell me if it hurts",
        "let me warm the oil first", "your other foot now", "that is a tender spot", "breathe out slowly")


@pytest.fixture(scope="module")
def talk(say):
    judge = TakeJudge(None, noisy_copies=())
    return np.stack([judge.judge(stream(say(t)), "none").take.vector for t in TALK])


@pytest.fixture(scope="module")
def model(profile, talk):
    """Input scaling from this voice's takes and some talk, as training would set it; weights random."""
    return tiny_model(standardize_on=np.concatenate([profile.vectors, talk]))


@pytest.fixture(scope="module")
def bank(model, talk):
    """The training set's part in the refit: here, this voice's own talk as "none"."""
    return ProfileBank(hidden_layer(model, talk), (NONE_LABEL,) * len(talk), fingerprint(model))


def heard(recognizer, audio):
    return [label_of(h.command) for h in recognize(recognizer, audio, 480)]


def with_profile(grammar, model, profile, bank):
    recognizer = NeuralRecognizer(grammar, model)
    recognizer.profile = profile.for_model(model, bank=bank)
    return recognizer


def test_other_takes_are_heard_only_with_the_profile(say, grammar, profile, model, bank):
    audio = stream(say("stop", 0.9), say("pain five", 1.1), say("next", 1.1))
    assert heard(NeuralRecognizer(grammar, model), audio) == []
    assert heard(with_profile(grammar, model, profile, bank), audio) == ["stop", "pain:level=5", "next"]


def test_ordinary_sentences_stay_quiet_with_the_profile(say, grammar, profile, model, bank):
    audio = stream(say("please lie back and relax your shoulders"), say("the weather is lovely today"),
                   say("how was your week"))
    assert heard(with_profile(grammar, model, profile, bank), audio) == []


REFUSES_ALL = Verifier(tuple(0.0 for _ in FEATURES), -40.0, 0.99, 0.99, {})


def fused(grammar, model, profile_adapter=None, trust=None, profile_verifier=REFUSES_ALL):
    """The fused engine with a general verifier that decides nothing (and, given, the person's profile)."""
    recognizer = FusedRecognizer(grammar, model, verifier=REFUSES_ALL, noise_suppression=0, trust=trust,
                                 profile_verifier=profile_verifier)
    recognizer.neural.profile = profile_adapter
    return recognizer


def test_in_the_fused_engine_the_takes_vouch_for_what_the_verifier_turns_down(say, grammar, profile, model, bank):
    takes = profile.for_model(model, bank=bank)
    commands = stream(say("stop", 0.9), say("pain five", 1.1), say("next", 1.1))
    talk = stream(say("please lie back and relax your shoulders"), say("how was your week"))
    trust = ProfileTrust(closeness=0.75, min_probability=0.7)
    assert heard(fused(grammar, model, None, trust), commands) == []  # no takes, nothing vouches
    assert heard(fused(grammar, model, takes, ProfileTrust()), commands) == []  # takes that never vouch
    assert heard(fused(grammar, model, takes, trust), commands) == ["stop", "pain:level=5", "next"]
    assert heard(fused(grammar, model, takes, trust), talk) == []
    # the takes only lower the verifier's bar; a verifier sure it is wrong still holds
    sure_it_is_wrong = ProfileTrust(closeness=0.75, min_probability=0.7, min_verifier=0.5)
    assert heard(fused(grammar, model, takes, sure_it_is_wrong), commands) == []


def trusting_takes(bias, early_threshold=None):
    """A profile verifier that weighs only the closeness to the person's take (40 per unit of
    cosine, plus ``bias``), deciding at 0.5."""
    return Verifier(tuple(40.0 if name == "closeness" else 0.0 for name in PROFILE_FEATURES), bias,
                    0.5, 0.5, {}, PROFILE_FEATURES, (), early_threshold)


def test_with_a_profile_the_fused_engine_asks_the_profile_verifier_which_weighs_the_takes(
        say, grammar, profile, model, bank):
    # sure of a candidate whose segment lies within cosine 0.75 of the person's take of it
    trusts_takes = trusting_takes(-30.0)
    takes = profile.for_model(model, bank=bank)
    commands = stream(say("stop", 0.9), say("pain five", 1.1), say("next", 1.1))
    talk = stream(say("please lie back and relax your shoulders"), say("how was your week"))
    # no profile: the general verifier decides
    assert heard(fused(grammar, model, None, profile_verifier=trusts_takes), commands) == []
    assert heard(fused(grammar, model, takes, profile_verifier=trusts_takes), commands) == ["stop", "pain:level=5", "next"]
    assert heard(fused(grammar, model, takes, profile_verifier=trusts_takes), talk) == []


def test_an_early_look_is_held_to_the_profile_verifiers_early_bar(say, grammar, profile, model, bank):
    takes = profile.for_model(model, bank=bank)
    audio = stream(say("stop", 0.9))

    def stop_heard_at(early_threshold):
        # sure of a candidate within cosine 0.7 of a take: the early look of "stop" is (0.74 here)
        verifier = trusting_takes(-28.0, early_threshold)
        found = recognize(fused(grammar, model, takes, profile_verifier=verifier), audio, 480)
        assert [label_of(h.command) for h in found] == ["stop"]
        return found[0].at_s

    # the same verdict either way; with a bar no early look reaches it waits for the end of speech
    assert stop_heard_at(None) < stop_heard_at(2.0)
