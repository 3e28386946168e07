"""Commands that answer questions, choose routines, or change the voice.

Each handler is ``(state, command, now, out) -> state`` and copes with every phase.
"""

from __future__ import annotations

import dataclasses

from voice_coach.intents import Command, Intent
from voice_coach.session import flow
from voice_coach.session import speech_text as text
from voice_coach.session.help_text import help_sentence
from voice_coach.session.messages import AdjustSpeech
from voice_coach.session.navigation import not_now
from voice_coach.session.output import Output
from voice_coach.session.state import QUESTION_PHASES, Phase, SessionState, Stage

replace = dataclasses.replace
RATE_LIMITS_WPM = (80, 300)
VOLUME_LIMITS = (0.1, 1.0)


def cmd_start_routine(state: SessionState, command: Command, now: float, out: Output) -> SessionState:
    if state.phase in (Phase.IDLE, Phase.RESUME_OFFER):
        routine_id = command.slots.get("routine")
        if routine_id not in state.library.ids():
            out.say(text.UNKNOWN_ROUTINE)
            return state
        return flow.start_routine(state, now, out, state.library.get(routine_id))
    if state.phase is Phase.ENDED:
        return not_now(state, out)
    out.say(f"The {text.routine_name(state.routine)} routine is running. Say end session first.")
    return state


def cmd_list_routines(state: SessionState, command: Command, now: float, out: Output) -> SessionState:
    out.say(text.list_routines(state.library.all()))
    return state


def cmd_help(state: SessionState, command: Command, now: float, out: Output) -> SessionState:
    out.say(help_sentence(state))
    return state


def cmd_repeat(state: SessionState, command: Command, now: float, out: Output) -> SessionState:
    if state.phase is Phase.STEP and not state.paused and state.stage is Stage.ANNOUNCING:
        return flow.announce(state, now, out, state.stage_intro)
    if state.phase is Phase.STEP and state.stage is Stage.RUNNING:
        step = state.current_step
        out.say(f"{step.title}. {step.instructions.strip()}")
        return state
    if state.phase in QUESTION_PHASES:
        return flow.ask(state, out, state.last_instruction, state.phase)
    out.say(state.last_instruction or text.IDLE_PROMPT)
    return state


def cmd_end(state: SessionState, command: Command, now: float, out: Output) -> SessionState:
    if state.phase is Phase.ENDED:
        return not_now(state, out)
    if state.phase in (Phase.IDLE, Phase.RESUME_OFFER):
        return flow.end_session(state, now, out, False, text.GOODBYE)
    if state.phase is Phase.STEP:
        return flow.ask_closing_pain(state, now, out)
    if state.phase is Phase.PAIN_AFTER:
        return flow.close_session(state, now, out)
    return flow.end_session(state, now, out, False, text.ENDED_EARLY)


# ---- yes / no / pain -----------------------------------------------------------------
def cmd_yes(state: SessionState, command: Command, now: float, out: Output) -> SessionState:
    state = replace(state, paused=False) if state.phase in (Phase.RESUME_OFFER, Phase.SAFETY,
                                                           Phase.SAFETY_CONTINUE) else state
    if state.phase is Phase.RESUME_OFFER:
        point = state.resume
        routine = state.library.get(point.routine_id)
        out.log("session_started", routine=routine.id, resumed=True)
        state = replace(state, routine=routine, resume=None)
        return flow.enter_step(state, now, out, point.step_index, foot=point.foot,
                               remaining=point.remaining_s, opening="Resuming")
    if state.phase is Phase.SAFETY:
        advice = state.routine.safety_questions[state.question_index].if_yes.strip()
        flow.say_sentences(out, advice)
        state = flow.ask(state, out, text.CONTINUE_QUESTION, Phase.SAFETY_CONTINUE)
        return replace(state, last_instruction=f"{advice} {text.CONTINUE_QUESTION}")
    if state.phase is Phase.SAFETY_CONTINUE:
        out.say("All right, carefully then.")
        return flow.ask_safety(state, now, out, state.question_index + 1)
    return _no_question(state, out)


def cmd_no(state: SessionState, command: Command, now: float, out: Output) -> SessionState:
    state = replace(state, paused=False) if state.phase in (Phase.RESUME_OFFER, Phase.SAFETY,
                                                           Phase.SAFETY_CONTINUE) else state
    if state.phase is Phase.RESUME_OFFER:
        state = replace(state, resume=None, phase=Phase.IDLE)
        fallback = state.fallback_routine_id
        if fallback in state.library.ids():
            return flow.start_routine(state, now, out, state.library.get(fallback))
        out.say(f"All right. {text.IDLE_PROMPT}")
        return replace(state, last_instruction=text.IDLE_PROMPT)
    if state.phase is Phase.SAFETY:
        return flow.ask_safety(state, now, out, state.question_index + 1)
    if state.phase is Phase.SAFETY_CONTINUE:
        return flow.end_session(state, now, out, False, text.SAFETY_DECLINED)
    if state.phase is Phase.PAIN_BEFORE:
        return flow.ask_safety(state, now, out, 0)
    if state.phase is Phase.PAIN_AFTER:
        return flow.close_session(state, now, out)
    return _no_question(state, out)


def _no_question(state: SessionState, out: Output) -> SessionState:
    if state.phase in (Phase.PAIN_BEFORE, Phase.PAIN_AFTER):
        out.say(text.PAIN_RETRY)
    elif state.phase is Phase.STEP:
        out.say("No question is waiting." + (f" {text.MANUAL_GO}" if state.stage is Stage.WAITING else ""))
    elif state.phase is Phase.IDLE:
        out.say(text.IDLE_PROMPT)
    else:
        not_now(state, out)
    return state


def cmd_pain(state: SessionState, command: Command, now: float, out: Output) -> SessionState:
    level = command.slots.get("level")
    if not isinstance(level, int) or not 0 <= level <= 10:
        out.say(text.PAIN_RETRY)
        return state
    if state.phase is Phase.PAIN_BEFORE:
        out.log("pain", when="before", level=level)
        out.say(text.THANKS)
        return flow.ask_safety(replace(state, paused=False), now, out, 0)
    if state.phase is Phase.PAIN_AFTER:
        out.log("pain", when="after", level=level)
        return flow.close_session(state, now, out, thanks=True)
    if state.phase is Phase.STEP:
        advice = "That is high. Ease off, or say stop to pause." if level >= 7 else \
            "Ease the pressure if it hurts, or say stop."
        out.say(f"Pain {text.count_words(level)}. {advice}")
        return state
    return not_now(state, out)


# ---- voice -----------------------------------------------------------------------------
_VOICE = {
    Intent.SLOWER: ("rate", -1, "Slower.", "That is as slow as I can speak."),
    Intent.FASTER: ("rate", +1, "Faster.", "That is as fast as I can speak."),
    Intent.LOUDER: ("volume", +1, "Louder.", "That is as loud as I can speak."),
    Intent.QUIETER: ("volume", -1, "Quieter.", "That is as quiet as I can speak."),
}


def cmd_voice(state: SessionState, command: Command, now: float, out: Output) -> SessionState:
    if state.phase is Phase.ENDED:
        return not_now(state, out)
    what, sign, done, limit = _VOICE[command.intent]
    speech = state.speech_settings
    if what == "rate":
        low, high = RATE_LIMITS_WPM
        new_rate = min(high, max(low, state.rate_wpm + sign * speech.rate_step_wpm))
        delta = new_rate - state.rate_wpm
        if delta:
            out.emit(AdjustSpeech(rate_delta_wpm=delta))
        state = replace(state, rate_wpm=new_rate)
    else:
        low, high = VOLUME_LIMITS
        new_volume = round(min(high, max(low, state.volume + sign * speech.volume_step)), 3)
        delta = round(new_volume - state.volume, 3)
        if delta:
            out.emit(AdjustSpeech(volume_delta=delta))
        state = replace(state, volume=new_volume)
    out.say(done if delta else limit)
    return state
