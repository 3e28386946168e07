"""Where a missed command was lost: decided wrong, never judged, never a candidate, or turned
down by the verifier; and the per-condition table of those shares."""

from voice_coach.evaluation.corpus import Condition, Trial
from voice_coach.evaluation.miss_causes import CAUSES, CauseCounts, Looked, cause, table, true_window
from voice_coach.evaluation.scoring import Outcome
from voice_coach.intents import Command, Intent

NEXT = Trial("next step", Command(Intent.NEXT), start_s=10.0, speech_end_s=10.6, window_end_s=12.0)


def missed(heard=()):
    return Outcome("next step", True, False, tuple(heard), None)


def test_a_command_heard_right_is_right_whatever_else_was_looked_at():
    right = Outcome("next step", True, True, ("next",), 0.2)
    assert cause(NEXT, right, [Looked(10.8, "pause")], "next") == "right"


def test_another_decision_in_the_window_is_a_wrong_command():
    assert cause(NEXT, missed(["pause"]), [Looked(10.8, "next")], "next") == "wrong command"


def test_nothing_judged_inside_the_window_is_no_segment():
    looked = [Looked(9.99, "next"), Looked(12.0, "next")]  # just before and just after the window
    assert cause(NEXT, missed(), looked, "next") == "no segment"


def test_judged_without_the_right_command_among_its_candidates():
    assert cause(NEXT, missed(), [Looked(10.8, "pause"), Looked(11.0, "skip")], "next") == "not a candidate"


def test_the_right_command_judged_and_not_decided_was_turned_down():
    assert cause(NEXT, missed(), [Looked(10.5, "pause"), Looked(10.8, "next")], "next") == "turned down"


def test_true_window_leads_and_trails_the_clean_speech_but_never_starts_before_the_stream():
    assert true_window(NEXT) == (10.0 - 0.15, 10.6 + 0.3)
    assert true_window(Trial("stop", Command(Intent.STOP), 0.05, 0.4, 1.0))[0] == 0.0


def counts(before, after, true_before=0, true_after=0):
    c = CauseCounts.empty()
    c.before.update(before)
    c.after.update(after)
    c.true_before["right"] = true_before
    c.true_after["right"] = true_after
    return c


def test_table_gives_shares_without_and_with_the_profile_per_condition_and_in_all():
    shown = table({
        Condition("babble", 10): counts({"right": 1, "not a candidate": 3}, {"right": 2, "turned down": 2}, 1, 2),
        Condition(): counts({"right": 3, "turned down": 1}, {"right": 4}, 4, 4),
    })
    lines = shown.splitlines()
    assert lines[0].split(" | ")[2:2 + len(CAUSES)] == list(CAUSES)
    assert lines[2].startswith("| clean | 4 | 75 → 100 % |")  # clean first
    assert lines[3].startswith("| babble@10dB | 4 | 25 → 50 % | 0 → 0 % | 0 → 0 % | 75 → 0 % | 0 → 50 % | 25 → 50 % |")
    assert lines[4] == "| **all** | 8 | 50 → 75 % | 0 → 0 % | 0 → 0 % | 38 → 0 % | 12 → 25 % | 62 → 75 % |"
