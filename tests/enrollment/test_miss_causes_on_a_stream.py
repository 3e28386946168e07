"""The enrollment evaluation's miss causes on a real stream: every command trial gets exactly one
cause without and with the profile, and the "right" ones are the trials the engine heard right."""

import numpy as np

from voice_coach.enrollment.takes import TakeJudge
from voice_coach.evaluation import corpus
from voice_coach.evaluation.corpus import Condition
from voice_coach.evaluation.enrollment import Replay, _Recording, count_causes, count_true_boundaries, grammar, hear
from voice_coach.evaluation.miss_causes import CAUSES, CauseCounts
from voice_coach.evaluation.scoring import score_trials
from voice_coach.evaluation.synth import Voice
from voice_coach.intents import Command, Intent
from voice_coach.recognition.fused import SHIPPED_TRUST
from voice_coach.recognition.neural.model import CommandModel
from voice_coach.recognition.neural.profile import VoiceProfile

VOICE = Voice("espeak", "en-us+m3", 160, 50)  # the voice of the say fixture


def test_each_command_trial_has_one_cause_and_right_agrees_with_scoring(say, tmp_path):
    g, model = grammar(), CommandModel.load()
    items = [("next", Command(Intent.NEXT)), ("good morning", None), ("pause", Command(Intent.PAUSE))]
    audio, trials = corpus.build_stream(items, VOICE, Condition(), "tuning", 5, tmp_path)
    recording, verdicts, before_log, after_log = _Recording(), {}, [], []
    heard = hear(g, model, audio, recording, None, "fused", verdicts, candidate_log=before_log)
    judge, profile = TakeJudge(None), VoiceProfile("anna", (), np.zeros((0, 0), np.float32))
    quiet = np.zeros(16000, np.int16)
    for tempo in (0.96, 1.04):
        take = judge.judge(np.concatenate([quiet, say("next", tempo), quiet]), "next").take
        profile = profile.with_take("next", take.vectors, "next")

    adapter = profile.for_model(model)
    heard_after = hear(g, model, audio, Replay(recording.outputs), adapter, "fused", verdicts, SHIPPED_TRUST,
                       candidate_log=after_log)

    counts = CauseCounts.empty()
    count_causes(counts.before, trials, score_trials(trials, heard)[0], before_log)
    count_causes(counts.after, trials, score_trials(trials, heard_after)[0], after_log)
    count_true_boundaries(counts, model, audio, trials, recording.outputs, adapter)

    assert sum(counts.before.values()) == sum(counts.after.values()) == 2
    assert set(counts.before) | set(counts.after) <= set(CAUSES)
    assert counts.before["right"] == sum(o.correct for o in score_trials(trials, heard)[0] if o.is_command)
    assert 0 <= counts.true_before["right"] <= 2 and 0 <= counts.true_after["right"] <= 2
