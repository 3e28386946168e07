"""The fusion verifier: its file, its features, and how thresholds are chosen from tuning results."""

from __future__ import annotations

import json

import numpy as np
import pytest

from voice_coach.errors import RecognizerError
from voice_coach.intents import Command, Intent
from voice_coach.recognition.fused import ProfileTrust, candidates, vouched_by_takes
from voice_coach.recognition.verifier import FEATURES, PROFILE_FEATURES, Tree, Verifier, builtin_verifier_path
from voice_coach.recognition.neural.classes import ClassMap
from voice_coach.recognition.neural.recognizer import NeuralJudgment
from voice_coach.recognition.segmenter import Segment
from voice_coach.recognition.sphinx_recognizer import SphinxVerdict
from voice_coach.training.verifier_fit import Looks, Row

LABELS = ("none", "stop", "next", "start_routine:routine=heel-spur")


class _Grammar:
    """Just enough grammar for ClassMap: two commands and one routine."""

    def phrases(self):
        return [("stop", Command(Intent.STOP)), ("next", Command(Intent.NEXT)),
                ("start heel routine", Command(Intent.START_ROUTINE, {"routine": "heel-spur"})),
                ("start my routine", Command(Intent.START_ROUTINE, {"routine": "mine"}))]


def segment(final=True) -> Segment:
    return Segment(start_s=1.0, end_s=1.6, at_s=1.85, audio=np.zeros(100, np.int16), noisy=False, final=final,
                   onset_s=1.25)


def judgment(closeness=None, **p) -> NeuralJudgment:
    return NeuralJudgment(np.array([p.get(label, 0.0) for label in LABELS]), LABELS, 8, closeness or {})


def vouched(trust, neural, final=True, verified=None):
    return vouched_by_takes(trust, segment(final), neural, ClassMap.build(LABELS, _Grammar()),
                            lambda text: text == "stop", verified)


def test_the_persons_takes_vouch_only_for_a_close_sure_first_choice():
    trust = ProfileTrust(closeness=0.85, min_probability=0.7)
    p, candidate = vouched(trust, judgment({"next": 0.9}, next=0.8, none=0.2))
    assert candidate.command.intent == Intent.NEXT and p == pytest.approx(0.8)
    assert vouched(trust, judgment({"next": 0.8}, next=0.8, none=0.2)) is None  # not close enough
    assert vouched(trust, judgment({"next": 0.9}, next=0.6, none=0.4)) is None  # not sure enough
    assert vouched(trust, judgment({"stop": 0.99}, next=0.8, none=0.2)) is None  # close to another command
    assert vouched(trust, judgment({"next": 0.95}, next=0.4, none=0.6)) is None  # "none" is the first choice
    assert vouched(ProfileTrust(), judgment({"next": 1.0}, next=1.0)) is None  # the default never vouches


def test_with_a_margin_the_takes_of_another_command_must_be_clearly_farther():
    trust = ProfileTrust(closeness=0.8, min_probability=0.7, margin=0.1)
    assert vouched(trust, judgment({"next": 0.9, "stop": 0.85}, next=0.9, none=0.1)) is None
    assert vouched(trust, judgment({"next": 0.9, "stop": 0.75}, next=0.9, none=0.1)) is not None


def test_the_takes_lower_the_verifiers_bar_only_as_far_as_min_verifier():
    trust = ProfileTrust(closeness=0.8, min_probability=0.7, min_verifier=0.2)
    sure = judgment({"next": 0.9}, next=0.9, none=0.1)
    assert vouched(trust, sure, verified={"next": 0.25}) is not None
    assert vouched(trust, sure, verified={"next": 0.1}) is None
    assert vouched(trust, sure, verified={"stop": 0.9}) is None  # the verifier never judged "next"


def test_at_the_early_look_takes_vouch_only_for_a_command_nothing_extends():
    trust = ProfileTrust(closeness=0.8, min_probability=0.5)
    assert vouched(trust, judgment({"next": 0.9}, next=0.9, none=0.1), final=False) is None
    assert vouched(trust, judgment({"stop": 0.9}, stop=0.9, none=0.1), final=False)[1].command.intent == Intent.STOP


def test_both_engines_agreeing_is_one_candidate_with_agreement_features():
    classes = ClassMap.build(LABELS, _Grammar())
    verdict = SphinxVerdict("stop", Command(Intent.STOP), None, True, 0.9)
    (only,) = candidates(segment(), judgment(stop=0.9, none=0.1), verdict, classes)
    assert only.command.intent == Intent.STOP
    assert only.features["agree"] == 1.0 and only.features["sphinx_accepted"] == 1.0
    assert only.features["p_label"] == pytest.approx(0.9) and set(only.features) == set(PROFILE_FEATURES)
    assert only.features["closeness"] == -1.0  # no profile: no take is close


def test_candidates_carry_their_closeness_to_the_persons_takes():
    classes = ClassMap.build(LABELS, _Grammar())
    verdict = SphinxVerdict("next", Command(Intent.NEXT), None, False, 0.3)
    found = {c.label: c for c in candidates(segment(), judgment({"stop": 0.9, "next": 0.6}, stop=0.6, none=0.3,
                                                                   next=0.1), verdict, classes)}
    assert found["stop"].features["closeness"] == pytest.approx(0.9)
    assert found["stop"].features["closeness_margin"] == pytest.approx(0.3)
    assert found["next"].features["closeness_margin"] == pytest.approx(-0.3)


def test_disagreeing_engines_give_two_candidates():
    classes = ClassMap.build(LABELS, _Grammar())
    verdict = SphinxVerdict("next", Command(Intent.NEXT), None, False, 0.3)
    found = {c.label: c for c in candidates(segment(), judgment(stop=0.6, none=0.3, next=0.1), verdict, classes)}
    assert set(found) == {"stop", "next"}
    assert found["stop"].features["sphinx_same"] == 0.0 and found["next"].features["sphinx_same"] == 1.0
    assert found["next"].features["p_label"] == pytest.approx(0.1)


def test_a_routine_the_model_never_learned_comes_from_the_grammar_decode():
    classes = ClassMap.build(LABELS, _Grammar())
    assert classes.missing == ("start_routine:routine=mine",)
    mine = Command(Intent.START_ROUTINE, {"routine": "mine"})
    verdict = SphinxVerdict("start my routine", mine, None, True, 0.8)
    (only,) = candidates(segment(), judgment(**{"start_routine:routine=heel-spur": 0.8, "none": 0.2}), verdict, classes)
    assert only.command.slots == {"routine": "mine"} and only.features["p_intent"] == pytest.approx(0.8)


def test_the_file_round_trips_and_a_damaged_one_is_a_clear_error(tmp_path):
    verifier = Verifier(tuple(float(k) for k in range(len(FEATURES))), -3.0, 0.8, 0.6, {"note": "test"})
    path = tmp_path / "verifier.json"
    verifier.save(path)
    assert Verifier.load(path) == verifier
    features = {name: 0.0 for name in FEATURES}
    low = verifier.probability(features)
    features["p_intent"] = 1.0
    assert verifier.probability(features) > low  # a positive weight raises the probability
    data = json.loads(path.read_text())
    data["features"] = data["features"][:-1]
    path.write_text(json.dumps(data))
    with pytest.raises(RecognizerError, match="damaged") as err:
        Verifier.load(path)
    assert "fit_verifier" in err.value.fix
    with pytest.raises(RecognizerError, match="missing"):
        Verifier.load(tmp_path / "nope.json")


def test_a_profile_verifier_round_trips_with_its_own_features(tmp_path):
    verifier = Verifier(tuple(0.1 for _ in PROFILE_FEATURES), -1.0, 0.7, 0.5, {}, PROFILE_FEATURES)
    path = tmp_path / "verifier_profile.json"
    verifier.save(path)
    assert Verifier.load(path) == verifier
    features = dict.fromkeys(PROFILE_FEATURES, 0.0)
    low = verifier.probability(features)
    features["closeness"] = 1.0
    assert verifier.probability(features) > low
    data = json.loads(path.read_text())
    data["features"][-1] = "loudness"
    path.write_text(json.dumps(data))
    with pytest.raises(RecognizerError, match="damaged"):
        Verifier.load(path)


def test_an_early_threshold_round_trips_and_sets_the_bar_at_early_looks_only(tmp_path):
    verifier = Verifier(tuple(0.1 for _ in PROFILE_FEATURES), -1.0, 0.7, 0.5, {}, PROFILE_FEATURES, (), 0.96)
    path = tmp_path / "verifier_profile.json"
    verifier.save(path)
    assert Verifier.load(path) == verifier
    assert [verifier.needed(stop, early) for stop in (False, True) for early in (False, True)] == [0.7, 0.96, 0.5, 0.96]
    without = Verifier(tuple(0.1 for _ in PROFILE_FEATURES), -1.0, 0.7, 0.5, {}, PROFILE_FEATURES)
    assert (without.needed(False, True), without.needed(True, True)) == (0.7, 0.5)
    data = json.loads(path.read_text())
    data["early_threshold"] = "high"
    path.write_text(json.dumps(data))
    with pytest.raises(RecognizerError, match="damaged"):
        Verifier.load(path)


def test_the_shipped_verifiers_load():
    verifier = Verifier.load()
    assert 0.0 < verifier.stop_threshold <= verifier.threshold < 1.0
    assert verifier.features == FEATURES
    with_profile = Verifier.load(builtin_verifier_path(profile=True))
    assert with_profile.features == PROFILE_FEATURES
    assert 0.0 < with_profile.stop_threshold <= with_profile.threshold < 1.0


def row(stream, start, trial, command_trial, right, stop=False, final=True):
    return Row(stream, (start, final), trial, command_trial, right, stop, not final, (0.0,) * len(FEATURES))


def test_the_replayed_looks_count_the_first_decision_per_segment_and_false_commands_per_sentence():
    rows = [row(0, 1.0, 0, True, True), row(0, 1.0, 0, True, False),  # one segment, two candidates
            row(0, 5.0, 1, False, False),  # a sentence
            row(0, 9.0, 2, True, True, stop=True, final=False), row(0, 9.0, 2, True, True, stop=True)]
    p = np.array([0.9, 0.95, 0.6, 0.5, 0.5])
    assert Looks(rows, p).count(threshold=0.7, stop_threshold=0.4) == (1, 0, 1)  # the wrong candidate scored higher
    p = np.array([0.95, 0.9, 0.8, 0.3, 0.3])
    assert Looks(rows, p).count(threshold=0.7, stop_threshold=0.4) == (1, 1, 0)
    assert Looks(rows, p).count(threshold=0.7, stop_threshold=0.25) == (2, 1, 0)
    # an early look's own bar replaces the stop's there; the final look still decides at the stop's
    assert Looks(rows, p).count(threshold=0.7, stop_threshold=0.25, early_threshold=0.9) == (2, 1, 0)
    p = np.array([0.95, 0.9, 0.8, 0.3, 0.2])
    assert Looks(rows, p).count(threshold=0.7, stop_threshold=0.25, early_threshold=0.25) == (2, 1, 0)
    assert Looks(rows, p).count(threshold=0.7, stop_threshold=0.25, early_threshold=0.9) == (1, 1, 0)


def test_a_tree_verifier_walks_its_trees_and_a_tree_pointing_outside_itself_is_damage(tmp_path):
    # one split on closeness (index 14): a close segment adds 3 to the log-odds, a far one takes 3 away
    tree = Tree((14, -1, -1), (0.8, 0.0, 0.0), (1, -1, -1), (2, -1, -1), (0.0, -3.0, 3.0))
    verifier = Verifier((), 0.0, 0.9, 0.8, {}, PROFILE_FEATURES, (tree,))
    features = dict.fromkeys(PROFILE_FEATURES, 0.0)
    assert verifier.probability(features) == pytest.approx(1 / (1 + np.exp(3.0)))
    features["closeness"] = 0.9
    assert verifier.probability(features) == pytest.approx(1 / (1 + np.exp(-3.0)))
    path = tmp_path / "verifier_profile.json"
    verifier.save(path)
    assert Verifier.load(path) == verifier
    data = json.loads(path.read_text())
    data["trees"][0]["left"][0] = 0  # a node that is its own child would never end
    path.write_text(json.dumps(data))
    with pytest.raises(RecognizerError, match="damaged") as err:
        Verifier.load(path)
    assert "fit_verifier" in err.value.fix
