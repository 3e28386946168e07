"""The rule that picks the shipped refit settings on the tuning voices: most commands right, but
never more false commands than without a profile; ties go to the more cautious setting."""

from voice_coach.evaluation.enrollment import GridRow, choose, settings_grid
from voice_coach.recognition.neural.refit import RefitSettings


def row(right, false, **settings):
    return GridRow(RefitSettings(**settings), right, 100, false, 50)


def test_the_most_right_that_adds_no_false_command_wins():
    baseline = row(50, 5)
    rows = [row(90, 6, person_weight=30.0), row(80, 5, person_weight=10.0), row(70, 2, person_weight=3.0)]
    assert choose(baseline, rows).settings.person_weight == 10.0


def test_a_tie_goes_to_the_takes_counting_less_and_the_gate():
    baseline = row(50, 5)
    rows = [row(80, 4, person_weight=10.0, gate=-1.0), row(80, 4, person_weight=3.0, gate=-1.0),
            row(80, 4, person_weight=3.0, gate=0.6)]
    best = choose(baseline, rows).settings
    assert (best.person_weight, best.gate) == (3.0, 0.6)


def test_the_grid_starts_with_the_shipped_settings_and_has_no_repeats():
    grid = settings_grid()
    assert grid[0] == RefitSettings() and len(set(grid)) == len(grid)
