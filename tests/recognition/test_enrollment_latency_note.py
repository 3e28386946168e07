"""The enrollment evaluation's latency line: how soon commands heard right were decided, without
and with the profile, and "stop" on its own (the early look's bar decides how often it waits)."""

from voice_coach.evaluation.corpus import Condition
from voice_coach.evaluation.enrollment import StreamOutcome, grammar, latency_note, phrasing_note, stop_note
from voice_coach.evaluation.scoring import Outcome


def right(text, latency_s):
    return Outcome(text, True, True, (text,), latency_s)


def test_commands_and_stop_latencies_without_and_with_the_profile():
    before = [right("stop", 0.13), right("next", 0.30), Outcome("pause", True, False, (), None),
              Outcome("good morning", False, True, (), None)]
    after = [right("stop", 0.26), right("halt", 0.28), right("next", 0.30)]
    note = latency_note([StreamOutcome("v", Condition(), before, [after])], grammar())
    assert "commands 215 / 292 → 280 / 298 ms" in note
    assert '"stop" 130 / 130 → 260 / 260 ms' in note  # "halt" is not one of the stop phrasings


def test_nothing_heard_right_is_shown_as_a_dash():
    note = latency_note([StreamOutcome("v", Condition(), [Outcome("stop", True, False, (), None)], [[]])], grammar())
    assert note.endswith('commands – → – ms, "stop" – → – ms.')


def test_phrasing_note_keeps_enrolled_phrasings_apart_from_the_others():
    before = [Outcome("next", True, False, (), None), Outcome("next step", True, True, ("next",), 0.2),
              Outcome("good morning", False, True, (), None)]
    after = [right("next", 0.2), Outcome("next step", True, False, (), None)]
    noisy = StreamOutcome("v", Condition("white", 10), [Outcome("pause", True, False, (), None)], [[right("pause", 0.2)]])
    note = phrasing_note([StreamOutcome("v", Condition(), before, [after]), noisy])
    assert note == ("Commands right by phrasing, without → with the profile: clean 0.0 % → 100.0 % enrolled, "
                    "100.0 % → 0.0 % never enrolled; 10 dB 0.0 % → 100.0 % enrolled, – → – never enrolled.")


def test_stop_note_counts_stop_per_level_and_over_all_conditions():
    clean = StreamOutcome("v", Condition(), [right("stop", 0.1), Outcome("stop", True, False, (), None),
                                            Outcome("next", True, False, (), None)],
                          [[right("stop", 0.1), right("stop", 0.2), Outcome("next", True, False, (), None)]])
    noisy = StreamOutcome("v", Condition("white", 10), [Outcome("stop", True, False, (), None)],
                          [[Outcome("stop", True, False, (), None)]])
    note = stop_note([clean, noisy], grammar())
    assert note == ('"Stop" heard right, without → with the profile: clean 50.0 % → 100.0 %; '
                    "10 dB 0.0 % → 0.0 %; all conditions 33.3 % → 66.7 % (of 3).")
