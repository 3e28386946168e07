"""The rule that picks the shipped profile settings on the tuning voices: most commands right, but
never more false commands than without a profile (the fused engine's vouching: than the refit alone);
ties go to the more cautious setting."""

from voice_coach.evaluation.enrollment import Choice, GridRow, choose, settings_grid, shipped, trust_grid
from voice_coach.recognition.fused import ProfileTrust
from voice_coach.recognition.neural.refit import RefitSettings


def row(right, false, trust=ProfileTrust(), **settings):
    return GridRow(Choice(RefitSettings(**settings), trust), right, 100, false, 50)


def test_the_most_right_that_adds_no_false_command_wins():
    baseline = row(50, 5)
    rows = [row(90, 6, person_weight=30.0), row(80, 5, person_weight=10.0), row(70, 2, person_weight=3.0)]
    assert choose(baseline, rows).settings.refit.person_weight == 10.0


def test_a_tie_goes_to_the_takes_counting_less_and_the_gate():
    baseline = row(50, 5)
    rows = [row(80, 4, person_weight=10.0, gate=-1.0), row(80, 4, person_weight=3.0, gate=-1.0),
            row(80, 4, person_weight=3.0, gate=0.6)]
    best = choose(baseline, rows).settings.refit
    assert (best.person_weight, best.gate) == (3.0, 0.6)


def test_a_tie_between_trusts_goes_to_the_closer_and_surer_one():
    baseline = row(50, 5)
    rows = [row(80, 4, ProfileTrust(0.8, 0.9)), row(80, 4, ProfileTrust(0.9, 0.5)), row(80, 4, ProfileTrust(0.9, 0.7)),
            row(79, 3, ProfileTrust(0.95, 0.9))]
    assert choose(baseline, rows).settings.trust == ProfileTrust(0.9, 0.7)


def test_vouching_may_add_no_false_command_to_the_refits_own():
    baseline, refit_only = row(50, 5), row(70, 6)
    rows = [refit_only, row(95, 7, ProfileTrust(0.75, 0.6)), row(90, 6, ProfileTrust(0.85, 0.6, 0.0, 0.6))]
    assert choose(baseline, rows, refit_only).settings.trust == ProfileTrust(0.85, 0.6, 0.0, 0.6)
    assert choose(baseline, rows).settings == refit_only.settings  # no reference: nothing passes, the first row stays


def test_the_grids_start_with_the_shipped_settings_and_have_no_repeats():
    for grid in (settings_grid(), trust_grid()):
        assert grid[0] == shipped() and len(set(grid)) == len(grid)
    assert Choice(RefitSettings(), ProfileTrust()) in trust_grid()  # the takes never vouching is a candidate
