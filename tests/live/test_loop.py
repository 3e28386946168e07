"""The live loop's mechanics on a scripted clock with a recording speaker."""

from __future__ import annotations

from voice_coach.intents import Intent
from voice_coach.live.gate import GateSettings, SpeechGate
from voice_coach.live.inbox import MicTrouble
from voice_coach.live.loop import MIC_BACK_NOTICE, MIC_LOST_NOTICE, LiveLoop
from voice_coach.session.messages import CommandHeard, SpeechFinished, Tick

from tests.live.fakes import CueEngine, FakeSpeaker, RecordingChimes, ScriptedClock, heard

T0 = 1000.0


def make(cues, **gate):
    clock = ScriptedClock(T0)
    speaker = FakeSpeaker(clock)
    chimes = RecordingChimes(clock)
    engine = CueEngine(cues=list(cues))
    loop = LiveLoop(engine, speaker, clock, chimes=chimes, gate=SpeechGate(GateSettings(**gate)))
    return loop, engine, speaker, chimes, clock


def commands_received(engine):
    return [(t, e.command.intent) for t, e in engine.received if isinstance(e, CommandHeard)]


def test_cues_fire_at_their_deadlines_even_while_the_coach_talks():
    # The intro takes ~5 s and each cue sentence ~1-2 s; cues at 3 s and 4 s
    # fall inside speech and must still fire on the dot.
    loop, engine, speaker, chimes, clock = make([(3, "Halfway."), (4, "Ten seconds left on this foot now."),
                                                 (60, "Switch to the right foot.")])
    loop.run()
    said = [(t - T0, text) for kind, t, text in speaker.calls if kind == "say"]
    assert said[1:] == [(3.0, "Halfway."), (4.0, "Ten seconds left on this foot now."),
                        (60.0, "Switch to the right foot.")]
    assert [t - T0 for t, _ in chimes.played] == [3.0, 4.0, 60.0]
    ticks = [t - T0 for t, e in engine.received if isinstance(e, Tick)]
    assert ticks == [3.0, 4.0, 60.0]  # one tick per deadline, none wasted


def test_barge_in_stop_silences_before_the_next_utterance():
    loop, engine, speaker, _, clock = make([(30, "cue")])
    clock.at(T0 + 1.5, heard(Intent.STOP, T0 + 1.5, loudness_ratio=4.0))  # mid-intro
    loop.run()
    kinds = [(k, t - T0, x) for k, t, x in speaker.calls]
    stop_index = next(i for i, c in enumerate(kinds) if c[0] == "stop")
    assert kinds[stop_index][1] == 1.5  # no delay between hearing and silencing
    assert kinds[stop_index + 1] == ("say", 1.5, "Stopped. Say resume to go on.")
    assert commands_received(engine) == [(T0 + 1.5, Intent.STOP)]
    # the cut-off intro is reported as finished at the moment it was cut off
    finished = [(t - T0, e.utterance_id) for t, e in engine.received if isinstance(e, SpeechFinished)]
    assert (1.5, 1) in finished


def test_every_command_heard_over_the_coach_reaches_the_engine_at_once():
    loop, engine, speaker, _, clock = make([(60, "cue")])
    clock.at(T0 + 1.0, heard(Intent.YES, T0 + 1.0))  # mid-intro, no echo level known: the therapist
    clock.at(T0 + 2.0, heard(Intent.TIME_LEFT, T0 + 2.0, loudness_ratio=3.0))  # well above the echo
    loop.run()
    assert commands_received(engine) == [(T0 + 1.0, Intent.YES), (T0 + 2.0, Intent.TIME_LEFT)]
    assert loop.result.echoes == []


def test_the_coachs_own_echo_is_not_a_command_whatever_the_intent():
    loop, engine, _, _, clock = make([(60, "cue")], min_loudness_ratio=2.0)
    for k, intent in enumerate((Intent.NEXT, Intent.NO, Intent.RESUME)):  # words of the coach's own sentences
        clock.at(T0 + 1.0 + k, heard(intent, T0 + 1.0 + k, loudness_ratio=1.1))
    clock.at(T0 + 4.0, heard(Intent.NEXT, T0 + 4.0, loudness_ratio=3.0))  # the therapist
    loop.run()
    assert commands_received(engine) == [(T0 + 4.0, Intent.NEXT)]
    assert [h.command.intent for h, _ in loop.result.echoes] == [Intent.NEXT, Intent.NO, Intent.RESUME]
    assert all("echo" in reason for _, reason in loop.result.echoes)


def test_commands_after_the_echo_tail_are_not_judged_against_the_echo():
    loop, engine, speaker, _, clock = make([(60, "cue")], echo_tail_s=0.35, decision_delay_s=0.25)
    intro_end = T0 + len(CueEngine(cues=[]).start(T0)[0].text.split()) / 2.5
    clock.at(intro_end + 0.3, heard(Intent.YES, intro_end + 0.3, loudness_ratio=1.0))  # inside the tail: echo
    clock.at(intro_end + 1.0, heard(Intent.YES, intro_end + 1.0, loudness_ratio=1.0))  # clearly after the coach
    loop.run()
    assert commands_received(engine) == [(intro_end + 1.0, Intent.YES)]


def test_typed_commands_are_never_gated():
    loop, engine, _, _, clock = make([(60, "cue")])
    clock.at(T0 + 1.0, heard(Intent.YES, T0 + 1.0, typed=True))
    loop.run()
    assert commands_received(engine) == [(T0 + 1.0, Intent.YES)]


def test_mic_loss_is_announced_once_and_leaves_timers_alone():
    loop, engine, speaker, _, clock = make([(20, "Halfway."), (40, "Time is up.")])
    for t in (T0 + 6, T0 + 7, T0 + 8):  # a watchdog retrying every second reports each failure
        clock.at(t, MicTrouble(lost=True, detail="device unplugged"))
    clock.at(T0 + 25, MicTrouble(lost=False))
    loop.run()
    said = [(t - T0, text) for kind, t, text in speaker.calls if kind == "say"]
    assert said[1:] == [(6.0, MIC_LOST_NOTICE), (20.0, "Halfway."), (25.0, MIC_BACK_NOTICE),
                        (40.0, "Time is up.")]
    # the loop's own notices never reach the engine as its speech
    assert all(e.utterance_id > 0 for _, e in engine.received if isinstance(e, SpeechFinished))


def test_end_session_ends_the_loop():
    loop, engine, speaker, _, clock = make([(60, "cue")])
    clock.at(T0 + 8, heard(Intent.END, T0 + 8))
    result = loop.run()
    assert result.ended_by == "session"
    assert speaker.said()[-1] == "Goodbye."
    assert clock.now() == T0 + 8
