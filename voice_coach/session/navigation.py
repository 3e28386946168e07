"""Commands that move through the routine or control its timer.

Each handler is ``(state, command, now, out) -> state`` and copes with every
phase: a command that makes no sense now gets a short spoken answer.
"""

from __future__ import annotations

import dataclasses

from voice_coach.intents import Command
from voice_coach.routines.model import StepKind
from voice_coach.session import flow
from voice_coach.session import speech_text as text
from voice_coach.session.help_text import help_sentence
from voice_coach.session.messages import Chime, StartTimer, StopTimer
from voice_coach.session.output import Output
from voice_coach.session.state import LEFT, QUESTION_PHASES, RIGHT, Phase, SessionState, Stage
from voice_coach.session.timers import END, EPSILON_S, HALFWAY, cue_schedule, seconds_per_rep
from voice_coach.session.wording import capitalize, count_words, duration_words

replace = dataclasses.replace
MAX_ADD_S = 3600


def not_now(state: SessionState, out: Output) -> SessionState:
    """The short answer to a command that does not fit the current phase."""
    if state.phase is Phase.IDLE:
        out.say(text.NOT_RUNNING)
    elif state.phase is Phase.ENDED:
        out.say(text.ENDED)
    elif state.phase in (Phase.PAIN_BEFORE, Phase.PAIN_AFTER):
        out.say(text.PAIN_RETRY)
    elif state.phase in QUESTION_PHASES:
        return flow.ask(state, out, state.last_instruction, state.phase, prefix="Please answer yes or no. ")
    else:
        out.say(help_sentence(state))
    return state


def cmd_next(state: SessionState, command: Command, now: float, out: Output) -> SessionState:
    if state.phase is Phase.STEP:
        return flow.stage_done(state, now, out)
    if state.phase in (Phase.PAIN_BEFORE, Phase.PAIN_AFTER):
        return not_now(state, out)  # a pain score is declined only in so many words: "no" or "skip"
    return skip_question(state, command, now, out)


def cmd_skip(state: SessionState, command: Command, now: float, out: Output) -> SessionState:
    if state.phase is Phase.STEP:
        flow.leave_stage(state, now, out)
        return flow.next_step(state, now, out)
    return skip_question(state, command, now, out)


def skip_question(state: SessionState, command: Command, now: float, out: Output) -> SessionState:
    if state.phase is Phase.PAIN_BEFORE:
        return flow.ask_safety(state, now, out, 0)
    if state.phase is Phase.PAIN_AFTER:
        return flow.close_session(state, now, out)
    return not_now(state, out)


def cmd_previous(state: SessionState, command: Command, now: float, out: Output) -> SessionState:
    if state.phase is Phase.PAIN_AFTER and state.routine.steps and not state.ending_early:
        last = len(state.routine.steps) - 1
        return flow.enter_step(state, now, out, last, foot=RIGHT, opening="Back")
    if state.phase is not Phase.STEP:
        return not_now(state, out)
    flow.leave_stage(state, now, out)
    if state.foot == RIGHT:
        state = replace(state, foot=LEFT, paused=False)
        return flow.begin_stage(state, now, out, "Back to the left foot.")
    if state.step_index == 0:
        out.say("This is the first step.")
        return flow.enter_step(state, now, out, 0, opening="Again")
    return flow.enter_step(state, now, out, state.step_index - 1, opening="Back")


def cmd_switch_foot(state: SessionState, command: Command, now: float, out: Output) -> SessionState:
    if state.phase is not Phase.STEP:
        return not_now(state, out)
    if not state.current_step.per_foot:
        out.say("This step is not done per foot.")
        return state
    flow.leave_stage(state, now, out)
    foot = RIGHT if state.foot == LEFT else LEFT
    out.emit(Chime("switch"))
    return flow.begin_stage(replace(state, foot=foot, paused=False), now, out, f"Switch to the {foot} foot.")


# ---- pause, stop, resume ----------------------------------------------------------
def pause(state: SessionState, now: float, out: Output) -> SessionState:
    """Freeze everything: the timer keeps its exact remaining time."""
    if state.phase is Phase.STEP:
        timer = state.timer
        if timer is not None and timer.running:
            out.emit(StopTimer(flow.timer_name(state)))
            timer = timer.pause(now)
        state = replace(state, timer=timer, awaiting_id=None, await_deadline=None, next_progress_at=None)
        flow.log_progress(state, now, out)
    return replace(state, paused=True)


def cmd_pause(state: SessionState, command: Command, now: float, out: Output) -> SessionState:
    if state.phase in (Phase.IDLE, Phase.ENDED):
        return not_now(state, out)
    if state.paused:
        out.say("Already paused. Say resume to go on.")
        return state
    state = pause(state, now, out)
    out.say(text.PAUSED)
    return state


def cmd_stop(state: SessionState, command: Command, now: float, out: Output) -> SessionState:
    # The engine has already silenced the speaker (see engine.BARGE_IN).
    if state.phase in (Phase.IDLE, Phase.ENDED):
        return state
    state = pause(state, now, out)
    out.say(text.STOPPED)
    return state


def cmd_resume(state: SessionState, command: Command, now: float, out: Output) -> SessionState:
    if not state.paused:
        if state.phase is Phase.STEP:
            out.say("We are not paused.")
            return state
        return not_now(state, out)
    state = replace(state, paused=False)
    if state.phase in QUESTION_PHASES:
        return flow.ask(state, out, state.last_instruction, state.phase)
    if state.phase is not Phase.STEP:
        out.say(state.last_instruction)
        return state
    if state.stage is Stage.ANNOUNCING:
        return flow.announce(state, now, out, state.stage_intro if state.intro_cut else None)
    if state.stage is Stage.WAITING:
        out.say(f"Resuming. {text.MANUAL_GO}")
        return state
    timer = state.timer.start(now)
    out.emit(StartTimer(flow.timer_name(state), timer.remaining(now)))
    state = replace(state, timer=timer, next_progress_at=flow.first_progress_at(state, now))
    out.say(f"Resuming. {_time_left(state, now)}")
    return state


# ---- time ------------------------------------------------------------------------------
def _time_left(state: SessionState, now: float) -> str:
    step, timer = state.current_step, state.timer
    if step.kind is StepKind.REPS:
        per_rep = seconds_per_rep(step)
        total = round(timer.duration_s / per_rep)
        done = min(total, int((timer.elapsed(now) + EPSILON_S) // per_rep))
        where = f" on the {state.foot} foot" if state.foot else ""
        return f"{capitalize(count_words(done))} of {count_words(total)} repetitions done{where}."
    return text.time_left_text(timer.remaining(now), state.foot, state.paused)


def cmd_time_left(state: SessionState, command: Command, now: float, out: Output) -> SessionState:
    if state.phase is not Phase.STEP:
        return not_now(state, out) if state.phase in (Phase.IDLE, Phase.ENDED) else _say(
            state, out, "No timer is running yet.")
    if state.timer is None:
        return _say(state, out, text.NO_TIMER)
    return _say(state, out, _time_now(state, now))


def _time_now(state: SessionState, now: float) -> str:
    """The timer as it stands at ``now``: not yet started during the instructions, else what is left."""
    if state.stage is Stage.ANNOUNCING and state.current_step.kind is StepKind.TIMED:
        where = f" on the {state.foot} foot" if state.foot else ""
        return f"The timer starts after the instructions: {duration_words(state.timer.remaining(now))}{where}."
    return _time_left(state, now)


def cmd_add_time(state: SessionState, command: Command, now: float, out: Output) -> SessionState:
    if state.phase is not Phase.STEP:
        return not_now(state, out) if state.phase in (Phase.IDLE, Phase.ENDED) else _say(
            state, out, "No timer is running yet.")
    if state.current_step.kind is not StepKind.TIMED:
        return _say(state, out, text.NO_TIMER)
    try:
        seconds = int(command.slots.get("seconds", 30))
    except (TypeError, ValueError):
        seconds = 30
    seconds = min(max(seconds, 1), MAX_ADD_S)
    timer = state.timer.extend(seconds)
    elapsed = timer.elapsed(now)
    cues = cue_schedule(state.current_step, timer.duration_s, state.settings)
    # Cues already behind us stay said; "ten seconds" is said again if the end moved away.
    fired = frozenset(c.name for c in cues if c.name != END and c.at <= elapsed + EPSILON_S)
    fired |= state.fired & {HALFWAY}
    state = replace(state, timer=timer, fired=fired)
    flow.log_progress(state, now, out)
    return _say(state, out, f"Added {duration_words(seconds)}. {_time_now(state, now)}")


def _say(state: SessionState, out: Output, sentence: str) -> SessionState:
    out.say(sentence)
    return state
