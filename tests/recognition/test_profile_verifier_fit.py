"""Fitting the verifier used with a voice profile: thresholds within the false-command budget,
and probabilities for each voice from a fit that never saw it."""

import numpy as np
from sklearn.linear_model import LogisticRegression

from voice_coach.training.profile_verifier_fit import held_out_probabilities, thresholds
from voice_coach.training.verifier_fit import Row


def row(trial, command_trial, right, stop=False, stream=0, final=True):
    return Row(stream, (float(trial), final), trial, command_trial, right, stop, not final, (0.0,))


def test_the_most_commands_right_within_the_false_command_budget():
    rows = [row(0, True, True), row(1, True, True), row(2, False, False), row(3, True, True, stop=True),
            row(4, False, False, stop=True)]
    p = np.array([0.9, 0.8, 0.7, 0.3, 0.2])
    threshold, stop, early, right, false = thresholds(rows, p, max_false=0)
    # 0.9 and 0.8 and the stop at 0.3 get in; the sentence at 0.7 and the false stop at 0.2 stay out
    assert (right, false) == (3, 0)
    assert 0.7 < threshold <= 0.8 and 0.2 < stop <= 0.3
    assert early is None  # no early looks: no bar of their own
    assert thresholds(rows, p, max_false=2)[3:] == (3, 0)  # a bigger budget is not spent for nothing


def test_early_looks_get_a_higher_bar_of_their_own_when_that_lets_final_looks_pass_more():
    # a sentence starting with a command word fools the early look (0.85); commands at their final
    # look score 0.6; one bar for both either passes the sentence or drops the commands
    rows = [row(0, False, False, final=False), row(1, True, True), row(2, True, True),
            row(3, True, True, final=False)]
    p = np.array([0.85, 0.6, 0.6, 0.95])
    threshold, stop, early, right, false = thresholds(rows, p, max_false=0)
    assert (right, false) == (3, 0)
    assert threshold <= 0.6 and early is not None and 0.85 < early <= 0.95


def test_no_voice_may_spend_more_than_its_own_share_of_the_budget():
    # voice b's sentence at 0.7 would be the only false command, within a budget of one for all
    # voices together, but voice b had none without a profile
    rows = [row(0, True, True), row(1, True, True, stream=1), row(2, False, False, stream=1)]
    p = np.array([0.9, 0.6, 0.7])
    groups = np.array(["a", "b", "b"])
    assert thresholds(rows, p, max_false=1)[3:] == (2, 1)
    threshold, _, _, right, false = thresholds(rows, p, 1, groups, {"a": 1, "b": 0})
    assert (right, false) == (1, 0) and 0.7 < threshold <= 0.9


def test_nothing_within_budget_keeps_the_bar_at_its_highest():
    rows = [row(0, False, False), row(1, True, True)]
    assert thresholds(rows, np.array([0.995, 0.5]), max_false=0) == (0.99, 0.99, None, 0, 1)


def test_each_voice_is_judged_by_a_fit_on_the_other_voices_only():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((200, 1))
    # voice "a" is right when x > 0, voice "b" when x < 0: a fit that saw a voice would rank its rows
    # well, a fit that did not ranks them backwards
    groups = np.array(["a"] * 100 + ["b"] * 100)
    y = np.where(groups == "a", x[:, 0] > 0, x[:, 0] < 0)
    p = held_out_probabilities(x, y, groups, fit=lambda a, b: LogisticRegression().fit(a, b))
    for g in ("a", "b"):
        mine = groups == g
        assert np.corrcoef(p[mine], y[mine])[0, 1] < -0.5


def test_the_exported_trees_give_the_fitted_models_probabilities(tmp_path):
    from voice_coach.recognition.verifier import PROFILE_FEATURES, Verifier
    from voice_coach.training.profile_verifier_fit import boosted, exported

    rng = np.random.default_rng(1)
    x = rng.standard_normal((300, len(PROFILE_FEATURES)))
    y = (x[:, -2] > 0.2) & (x[:, 0] + rng.standard_normal(300) * 0.3 > -0.5)  # closeness with p_label
    model = boosted(x, y)
    bias, trees = exported(model)
    path = tmp_path / "verifier_profile.json"
    Verifier((), bias, 0.9, 0.8, {}, PROFILE_FEATURES, trees).save(path)
    verifier = Verifier.load(path)
    mine = [verifier.probability(dict(zip(PROFILE_FEATURES, row))) for row in x]
    assert np.allclose(mine, model.predict_proba(x)[:, 1], atol=1e-6)


def test_fit_verifier_with_profile_fits_the_profile_verifier(capsys):
    import pytest

    from voice_coach.training.verifier_fit import main

    with pytest.raises(SystemExit) as done:
        main(["--profile", "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: fit_verifier --profile") and "verifier_profile.json" in out
