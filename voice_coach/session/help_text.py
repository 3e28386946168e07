"""What can be said *now*: a short, state-dependent help sentence."""

from __future__ import annotations

from voice_coach.grammar.phrases import EXAMPLE_PHRASES
from voice_coach.intents import Intent
from voice_coach.routines.model import StepKind
from voice_coach.session.speech_text import routine_name
from voice_coach.session.state import Phase, SessionState, Stage

_QUESTION = (Intent.YES, Intent.NO)
_PAIN = (Intent.PAIN, Intent.SKIP)


def intents_now(state: SessionState) -> tuple[Intent, ...]:
    """The commands that do something useful in this state, most useful first."""
    phase = state.phase
    if phase is Phase.IDLE:
        return (Intent.START_ROUTINE, Intent.LIST_ROUTINES, Intent.END)
    if phase is Phase.ENDED:
        return ()
    if state.paused:
        return (Intent.RESUME, Intent.END) + ((Intent.TIME_LEFT,) if state.timer else ())
    if phase in (Phase.RESUME_OFFER, Phase.SAFETY, Phase.SAFETY_CONTINUE):
        return _QUESTION + (Intent.REPEAT,)
    if phase in (Phase.PAIN_BEFORE, Phase.PAIN_AFTER):
        return _PAIN + (Intent.REPEAT,)
    step = state.current_step
    if step.kind is StepKind.MANUAL or state.stage is Stage.WAITING:
        return (Intent.NEXT, Intent.REPEAT, Intent.PREVIOUS, Intent.STOP)
    found = [Intent.NEXT, Intent.PAUSE]
    if step.kind is StepKind.TIMED:
        found += [Intent.TIME_LEFT, Intent.ADD_TIME]
    if step.per_foot:
        found.append(Intent.SWITCH_FOOT)
    found += [Intent.REPEAT, Intent.STOP]
    return tuple(found)


def help_sentence(state: SessionState) -> str:
    intents = intents_now(state)
    if not intents:
        return "The session has ended."
    phrases = [_example(state, i) for i in intents]
    listed = phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + ", or " + phrases[-1]
    extra = " Say slower, faster, louder or quieter to change my voice." if state.phase is Phase.IDLE else ""
    return f"You can say: {listed}.{extra}"


def _example(state: SessionState, intent: Intent) -> str:
    routines = state.library.all() if intent is Intent.START_ROUTINE else ()
    if routines:  # name a routine that really exists
        return f"start {routine_name(routines[0])}"
    return EXAMPLE_PHRASES[intent]
