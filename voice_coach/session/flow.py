"""Moving through a routine: steps, feet, timers, cues, and the end.

Every function takes the state, ``now`` and the ``Output`` collector and
returns the new state; actions go into the collector.
"""

from __future__ import annotations

import dataclasses

from voice_coach.routines.model import Routine, Step, StepKind
from voice_coach.session import speech_text as text
from voice_coach.session.messages import Chime, EndSession, StartTimer, StopTimer
from voice_coach.session.output import Output, speech_fallback_s
from voice_coach.session.state import LEFT, RIGHT, Phase, SessionState, Stage
from voice_coach.session.timers import (END, EPSILON_S, Timer, cue_schedule, passed_cues,
                                        seconds_per_rep, stage_duration)

replace = dataclasses.replace
MAX_SAFETY_QUESTIONS = 2


def feet_of(step: Step) -> tuple[str | None, ...]:
    return (LEFT, RIGHT) if step.per_foot else (None,)


def timer_name(state: SessionState) -> str:
    step = state.current_step
    return f"{step.id}:{state.foot}" if step and state.foot else (step.id if step else "")


def _step_ref(state: SessionState) -> dict[str, object]:
    step = state.routine.steps[state.step_index]
    return {"step_index": state.step_index, "step_id": step.id, "foot": state.foot}


def log_progress(state: SessionState, now: float, out: Output) -> None:
    remaining = state.timer.remaining(now) if state.timer else None
    out.log("progress", **_step_ref(state), remaining_s=remaining)


# ---- starting a routine -------------------------------------------------------
def start_routine(state: SessionState, now: float, out: Output, routine: Routine) -> SessionState:
    out.log("session_started", routine=routine.id)
    state = replace(state, routine=routine, resume=None, paused=False, ending_early=False)
    say_sentences(out, text.routine_intro(routine))
    return ask_pain(state, out, Phase.PAIN_BEFORE)


def say_sentences(out: Output, passage: str, resay: bool = True) -> int | None:
    """Say a long passage one sentence per utterance, so a cut-in repeats only the cut sentence."""
    last = None
    for sentence in text.sentences(passage):
        last = out.say(sentence, resay)
    return last


def ask(state: SessionState, out: Output, question: str, phase: Phase, prefix: str = "",
        **changes: object) -> SessionState:
    """Ask ``question``; until earlier speech has finished it is not yet asked (see question_id)."""
    waiting_behind = bool(out.speaking)
    question_id = out.say(f"{prefix}{question}")
    return replace(state, phase=phase, last_instruction=question,
                   question_id=question_id if waiting_behind else None, **changes)


def question_asked(state: SessionState) -> bool:
    return state.question_id is None


def ask_pain(state: SessionState, out: Output, phase: Phase, question: str = text.PAIN_QUESTION) -> SessionState:
    return ask(state, out, question, phase, stage=None, timer=None, paused=False)


def ask_safety(state: SessionState, now: float, out: Output, index: int) -> SessionState:
    questions = state.routine.safety_questions[:MAX_SAFETY_QUESTIONS]
    if index >= len(questions):
        if not state.routine.steps:  # nothing to do (the loader should not let this happen)
            return finish_routine(state, now, out)
        return enter_step(state, now, out, 0, opening="First")
    question = f"{questions[index].question.strip()} {text.YES_NO}"
    return ask(state, out, question, Phase.SAFETY, question_index=index)


# ---- steps and stages -----------------------------------------------------------
def enter_step(state: SessionState, now: float, out: Output, index: int, foot: str | None = None,
               remaining: float | None = None, opening: str = "Next") -> SessionState:
    """Announce step ``index`` and get its first (or the given) foot ready."""
    step = state.routine.steps[index]
    foot = foot if foot in feet_of(step) else feet_of(step)[0]
    state = replace(state, phase=Phase.STEP, step_index=index, foot=foot, paused=False)
    intro = text.step_announcement(step, index + 1, len(state.routine.steps), opening)
    return begin_stage(state, now, out, intro, remaining)


def begin_stage(state: SessionState, now: float, out: Output, intro: str | None,
                remaining: float | None = None) -> SessionState:
    """Say the intro and the go cue; the timer waits for the go cue to be spoken."""
    step = state.current_step
    out.log("step_reached", **_step_ref(state))
    duration = stage_duration(step)
    timer = None
    fired: frozenset[str] = frozenset()
    if duration is not None:
        # A resumed stage keeps at least a second, so "zero seconds left, begin" is never said.
        left = duration if remaining is None else min(max(remaining, 1.0), duration)
        timer = Timer(duration, elapsed_before_s=duration - left, credited_s=duration - left)
        fired = passed_cues(cue_schedule(step, duration, state.settings), timer.elapsed_before_s)
    state = replace(state, stage=Stage.ANNOUNCING, timer=timer, fired=fired, paused=False,
                    next_progress_at=None, intro_cut=False)
    log_progress(state, now, out)
    return announce(state, now, out, intro, resumed=remaining is not None)


def announce(state: SessionState, now: float, out: Output, intro: str | None,
             resumed: bool = False) -> SessionState:
    """(Re)say the stage's intro and go cue and wait for the go cue to finish."""
    step = state.current_step
    go = go_text(state, now, resumed)
    state = replace(state, stage_intro=intro)
    if intro:
        say_sentences(out, intro)
    instruction = f"{intro} {go}" if intro else go
    if step.kind is StepKind.MANUAL:
        out.say(go)
        return replace(state, stage=Stage.WAITING, awaiting_id=None, await_deadline=None,
                       last_instruction=instruction)
    go_id = out.say(go)
    return replace(state, stage=Stage.ANNOUNCING, awaiting_id=go_id,
                   await_deadline=now + speech_fallback_s(instruction),
                   last_instruction=instruction)


def go_text(state: SessionState, now: float, resumed: bool = False) -> str:
    """The go cue as true at ``now`` (after "add a minute" it says the new length)."""
    remaining = state.timer.remaining(now) if state.timer else 0.0
    resumed = resumed or (state.timer is not None and state.timer.elapsed_before_s > 0)
    return text.go_cue(state.current_step, state.foot, remaining, resumed)


def first_progress_at(state: SessionState, now: float) -> float | None:
    """When the running timer is next journaled; a zero/negative interval turns that off."""
    interval = state.settings.progress_log_s
    return now + interval if interval > 0 else None


def start_timer(state: SessionState, now: float, out: Output) -> SessionState:
    timer = state.timer.start(now)
    out.emit(StartTimer(timer_name(state), timer.remaining(now)))
    return replace(state, stage=Stage.RUNNING, timer=timer, awaiting_id=None, await_deadline=None,
                   next_progress_at=first_progress_at(state, now))


def leave_stage(state: SessionState, now: float, out: Output) -> None:
    """Record the time spent on the stage being left."""
    if state.phase is not Phase.STEP or state.timer is None:
        return
    if state.timer.running:
        out.emit(StopTimer(timer_name(state)))
    if state.timer.running or state.timer.elapsed_before_s > state.timer.credited_s:
        out.log("foot_time", **_step_ref(state), seconds=round(state.timer.spent(now), 3))


def stage_done(state: SessionState, now: float, out: Output) -> SessionState:
    """One stage on: left foot -> right foot -> next step -> end of routine."""
    leave_stage(state, now, out)
    step = state.current_step
    if state.foot == LEFT and step.per_foot:
        out.emit(Chime("switch"))
        state = replace(state, foot=RIGHT)
        return begin_stage(state, now, out, "Switch to the right foot.")
    return next_step(state, now, out)


def next_step(state: SessionState, now: float, out: Output) -> SessionState:
    if state.step_index + 1 < len(state.routine.steps):
        out.emit(Chime("step_done"))
        return enter_step(state, now, out, state.step_index + 1)
    return finish_routine(state, now, out)


def finish_routine(state: SessionState, now: float, out: Output) -> SessionState:
    out.emit(Chime("finish"))
    closing = " ".join(p for p in ("That was the last step.", state.routine.closing.strip()) if p)
    say_sentences(out, closing)
    state = replace(state, stage=None, timer=None, fired=frozenset(), paused=False,
                    awaiting_id=None, await_deadline=None, next_progress_at=None)
    return ask_pain(state, out, Phase.PAIN_AFTER)


def ask_closing_pain(state: SessionState, now: float, out: Output) -> SessionState:
    """"end session" during the steps: one short pain question first ("no" or "skip" declines it)."""
    leave_stage(state, now, out)
    state = replace(state, stage=None, timer=None, fired=frozenset(), awaiting_id=None, await_deadline=None,
                    next_progress_at=None, ending_early=True)
    return ask_pain(state, out, Phase.PAIN_AFTER, text.CLOSING_PAIN_QUESTION)


def close_session(state: SessionState, now: float, out: Output, thanks: bool = False) -> SessionState:
    """The closing pain question is answered or declined: end, completed unless ended early."""
    completed = not state.ending_early
    farewell = text.COMPLETED if completed else text.ENDED_EARLY
    return end_session(state, now, out, completed, f"{text.THANKS} {farewell}" if thanks else farewell)


def end_session(state: SessionState, now: float, out: Output, completed: bool, farewell: str) -> SessionState:
    leave_stage(state, now, out)
    if state.routine is not None:
        out.log("session_ended", completed=completed)
    out.say(farewell)
    out.emit(EndSession())
    return replace(state, phase=Phase.ENDED, stage=None, timer=None, paused=False, awaiting_id=None,
                   await_deadline=None, next_progress_at=None)


# ---- time passing ---------------------------------------------------------------
def on_tick(state: SessionState, now: float, out: Output) -> SessionState:
    if state.phase is not Phase.STEP or state.paused:
        return state
    if state.stage is Stage.ANNOUNCING and state.await_deadline is not None and now >= state.await_deadline:
        state = start_timer(state, now, out)
    if state.stage is not Stage.RUNNING:
        return state
    timer = state.timer
    elapsed = timer.elapsed(now)
    due = [c for c in cue_schedule(state.current_step, timer.duration_s, state.settings)
           if c.name not in state.fired and c.at <= elapsed + EPSILON_S]
    if any(c.name == END for c in due):
        # Ticks that arrive late never say cues that the end has overtaken.
        end_time = timer.time_at(timer.duration_s)
        state = replace(state, timer=replace(timer.pause(end_time), elapsed_before_s=timer.duration_s))
        step = state.current_step
        if step.kind is StepKind.REPS:  # a rep count ends on its last number
            out.say(text.rep_count(round(timer.duration_s / seconds_per_rep(step))), resay=False)
        return stage_done(state, now, out)
    if due:  # after a late tick only the latest cue is still true ("ten seconds", not "halfway")
        cue = due[-1]
        out.say(text.cue_text(cue.name, state.current_step, state.foot, timer.duration_s - cue.at), resay=False)
    state = replace(state, fired=state.fired | {c.name for c in due})
    if state.next_progress_at is not None and now + EPSILON_S >= state.next_progress_at:
        log_progress(state, now, out)
        step_s = state.settings.progress_log_s
        following = state.next_progress_at + step_s
        state = replace(state, next_progress_at=following if following > now else now + step_s)
    return state


def deadline(state: SessionState) -> float | None:
    if state.phase is not Phase.STEP or state.paused:
        return None
    if state.stage is Stage.ANNOUNCING:
        return state.await_deadline
    if state.stage is not Stage.RUNNING:
        return None
    timer = state.timer
    times = [timer.time_at(c.at) for c in cue_schedule(state.current_step, timer.duration_s, state.settings)
             if c.name not in state.fired]
    if state.next_progress_at is not None:
        times.append(state.next_progress_at)
    return min(times) if times else None
