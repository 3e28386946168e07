"""The pure session engine: ``step(state, event, now) -> (state, actions)``.

No clock, no sleeping, no audio, no I/O: the caller supplies monotonic ``now``
and delivers a ``Tick`` at ``next_deadline(state)`` so cues land on time.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

from voice_coach.config import SessionSettings, SpeechSettings
from voice_coach.intents import Command, Intent
from voice_coach.session import answers, flow, navigation
from voice_coach.session import speech_text as text
from voice_coach.session.messages import Action, CommandHeard, Event, SpeechFinished, Tick
from voice_coach.session.output import Output, speech_fallback_s
from voice_coach.session.state import (FEET, QUESTION_PHASES, Phase, ResumePoint, SessionState, Stage, StatusView,
                                       Utterance)

replace = dataclasses.replace
Handler = Callable[[SessionState, Command, float, Output], SessionState]

HANDLERS: dict[Intent, Handler] = {
    Intent.START_ROUTINE: answers.cmd_start_routine,
    Intent.NEXT: navigation.cmd_next,
    Intent.PREVIOUS: navigation.cmd_previous,
    Intent.SKIP: navigation.cmd_skip,
    Intent.PAUSE: navigation.cmd_pause,
    Intent.RESUME: navigation.cmd_resume,
    Intent.STOP: navigation.cmd_stop,
    Intent.END: answers.cmd_end,
    Intent.REPEAT: answers.cmd_repeat,
    Intent.TIME_LEFT: navigation.cmd_time_left,
    Intent.SWITCH_FOOT: navigation.cmd_switch_foot,
    Intent.ADD_TIME: navigation.cmd_add_time,
    Intent.SLOWER: answers.cmd_voice,
    Intent.FASTER: answers.cmd_voice,
    Intent.LOUDER: answers.cmd_voice,
    Intent.QUIETER: answers.cmd_voice,
    Intent.HELP: answers.cmd_help,
    Intent.LIST_ROUTINES: answers.cmd_list_routines,
    Intent.YES: answers.cmd_yes,
    Intent.NO: answers.cmd_no,
    Intent.PAIN: answers.cmd_pain,
}
assert set(HANDLERS) == set(Intent), "every intent needs a handler"

# Heard while the coach talks, these cut it off and take over: what it was saying is moot.
BARGE_IN = frozenset({Intent.STOP, Intent.PAUSE, Intent.NEXT, Intent.PREVIOUS, Intent.SKIP,
                      Intent.SWITCH_FOOT, Intent.END, Intent.REPEAT, Intent.START_ROUTINE,
                      Intent.LIST_ROUTINES})
# An answer makes the rest of an asked question (and anything queued before it) moot.
ANSWERS = frozenset({Intent.YES, Intent.NO, Intent.PAIN, Intent.RESUME})
# Every other command heard while the coach talks cuts in: it is answered at once, and then the
# sentence it cut off is said again and the coach goes on (see _carry_on).
EARLY_ANSWERS = frozenset({Intent.YES, Intent.NO, Intent.PAIN})
TO_THE_QUESTION = frozenset({Intent.NEXT, Intent.SKIP})


def _takes_over(state: SessionState, intent: Intent) -> bool:
    return intent in BARGE_IN or (intent in ANSWERS and state.phase in QUESTION_PHASES)


def new_session(library, settings: SessionSettings, now: float, routine_id: str | None = None,
                resume: ResumePoint | None = None,
                speech: SpeechSettings | None = None) -> tuple[SessionState, list[Action]]:
    """Greet: offer ``resume`` if it still fits the library, else start ``routine_id``, else ask.

    ``speech`` gives the starting rate/volume and the slower/louder step sizes.
    Raises UnknownRoutineError (a VoiceCoachError) for an unknown ``routine_id``.
    """
    speech = speech or SpeechSettings()
    state = SessionState(library=library, settings=settings, rate_wpm=speech.rate_wpm,
                         volume=speech.volume, speech_settings=speech)
    out = Output(state)
    if resume is not None and _resume_fits(library, resume):
        routine = library.get(resume.routine_id)
        step = routine.steps[resume.step_index]
        offer = text.resume_offer(routine, step, resume.foot if step.per_foot else None)
        out.say(offer)
        state = replace(state, phase=Phase.RESUME_OFFER, resume=resume, fallback_routine_id=routine_id,
                        last_instruction=offer)
    elif routine_id is not None:
        state = flow.start_routine(state, now, out, library.get(routine_id))
    else:
        out.say(text.IDLE_PROMPT)
        state = replace(state, last_instruction=text.IDLE_PROMPT)
    return out.fold(state), out.actions


def _resume_fits(library, point: ResumePoint) -> bool:
    if point.routine_id not in library.ids():
        return False
    steps = library.get(point.routine_id).steps
    return 0 <= point.step_index < len(steps) and point.foot in (None, *FEET)


def step(state: SessionState, event: Event, now: float) -> tuple[SessionState, list[Action]]:
    out = Output(state)
    if isinstance(event, Tick):
        state = flow.on_tick(state, now, out)
    elif isinstance(event, SpeechFinished):
        state = _speech_finished(state, event.utterance_id, now, out)
    elif isinstance(event, CommandHeard):
        state = _command(state, event.command, now, out)
    return out.fold(state), out.actions


def _speech_finished(state: SessionState, utterance_id: int, now: float, out: Output) -> SessionState:
    out.finished(utterance_id)
    state = _asked_when_first(state, out)
    if (state.phase is Phase.STEP and state.stage is Stage.ANNOUNCING and not state.paused
            and state.awaiting_id == utterance_id):
        return flow.start_timer(state, now, out)
    return state


def _asked_when_first(state: SessionState, out: Output) -> SessionState:
    if state.question_id is not None and min(out.speaking, default=None) == state.question_id:
        return replace(state, question_id=None)  # everything before it is said: it is being asked now
    return state


def _command(state: SessionState, command: Command, now: float, out: Output) -> SessionState:
    intent = command.intent
    if state.phase is Phase.ENDED:
        if intent is Intent.STOP:
            out.stop_speaking()  # silence at once, even while saying goodbye
        else:
            out.say(text.ENDED)
        return state
    handler, takes_over = _route(state, intent)
    unasked = state.question_id if handler in (_not_asked_yet, _to_the_question) else None
    awaiting, cut = state.awaiting_id, []
    if intent is Intent.STOP or out.speaking:
        state, cut = _cut_speech(state, out)
    if unasked is not None and not any(u.id == unasked for u in cut):
        handler, takes_over = _ask_again, True  # the question itself was cut earlier (e.g. by "stop")
    elif handler is _to_the_question:
        cut = [u for u in cut if u.id >= unasked]  # skip what comes before the question
    had_routine = state.routine is not None
    if had_routine:
        out.log("command", intent=str(intent))
    state = replace(state, last_command=str(intent))
    place, first_reply = _place(state), out.next_id
    state = handler(state, command, now, out)
    if not had_routine and state.routine is not None:
        out.log("command", intent=str(intent))
    if not takes_over and _place(state) == place:
        out.mark_replies(first_reply)
        state = _carry_on(state, cut, awaiting, now, out)
    return state


def _route(state: SessionState, intent: Intent) -> tuple[Handler, bool]:
    """The handler for ``intent`` now, and whether it takes over from what the coach was saying."""
    if state.phase in QUESTION_PHASES and not flow.question_asked(state):
        # Heard before the question is asked: not an answer to it ("next" jumps to it).
        if intent in EARLY_ANSWERS:
            return _not_asked_yet, False
        if intent in TO_THE_QUESTION:
            return _to_the_question, False
    if intent is Intent.RESUME and state.phase is Phase.RESUME_OFFER and not state.paused:
        return answers.cmd_yes, True  # "resume" answers "Resume the … routine?"
    return HANDLERS[intent], _takes_over(state, intent)


def _place(state: SessionState) -> tuple:
    """Where the session is; a reply that leaves it unchanged lets the coach go on."""
    routine_id = state.routine.id if state.routine else None
    return state.phase, routine_id, state.step_index, state.foot, state.stage, state.paused


def _not_asked_yet(state: SessionState, command: Command, now: float, out: Output) -> SessionState:
    out.say(text.NOT_ASKED_YET)
    return state


def _ask_again(state: SessionState, command: Command, now: float, out: Output) -> SessionState:
    return flow.ask(replace(state, paused=False), out, state.last_instruction, state.phase)


def _to_the_question(state: SessionState, command: Command, now: float, out: Output) -> SessionState:
    return state  # nothing to say: _carry_on goes on from the question


def _cut_speech(state: SessionState, out: Output) -> tuple[SessionState, list[Utterance]]:
    if state.awaiting_id is not None:
        # The go cue will never finish now; remember whether the instructions were cut too.
        cut_intro = any(i < state.awaiting_id for i in out.speaking)
        state = replace(state, awaiting_id=None, await_deadline=None, intro_cut=cut_intro)
    return state, out.stop_speaking()


def _carry_on(state: SessionState, cut: list[Utterance], awaiting: int | None, now: float,
              out: Output) -> SessionState:
    """After a cut-in answer: say again the cut sentence and what was queued after it.

    Replies and timer cues are not repeated (they were only true when first due); the go cue is
    built anew, so after "add a minute" it says the new length, and the timer waits for it.
    """
    said: list[str] = []
    for utterance in cut:
        if not utterance.resay:
            continue
        is_go = utterance.id == awaiting and state.stage is Stage.ANNOUNCING and not state.paused
        sentence = flow.go_text(state, now) if is_go else utterance.text
        new_id = out.say(sentence)
        said.append(sentence)
        if is_go:
            state = replace(state, awaiting_id=new_id, intro_cut=False,
                            await_deadline=now + speech_fallback_s(" ".join(said)))
        if utterance.id == state.question_id:
            state = replace(state, question_id=new_id)
    return _asked_when_first(state, out)


def next_deadline(state: SessionState) -> float | None:
    """Monotonic time of the next cue/progress log/timer start; None when nothing is timed."""
    return flow.deadline(state)


def resume_point(state: SessionState, now: float) -> ResumePoint | None:
    """Where this session would resume if it were cut off now (None outside the steps)."""
    if state.phase is not Phase.STEP:
        return None
    remaining = state.timer.remaining(now) if state.timer else None
    return ResumePoint(state.routine.id, state.step_index, state.foot, remaining)


def describe(state: SessionState, now: float) -> StatusView:
    routine, step_ = state.routine, state.current_step
    return StatusView(
        phase=str(state.phase),
        routine_title=routine.title if routine else None,
        step_title=step_.title if step_ else None,
        step_number=state.step_index + 1 if step_ else None,
        step_count=len(routine.steps) if routine else None,
        foot=state.foot if step_ else None,
        seconds_left=state.timer.remaining(now) if step_ and state.timer else None,
        paused=state.paused,
        last_command=state.last_command,
        stage=str(state.stage) if step_ and state.stage else None,
    )
