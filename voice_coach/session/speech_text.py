"""The sentences the coach speaks, built from routine data and the state."""

from __future__ import annotations

import re

from voice_coach.routines.model import Routine, Step, StepKind
from voice_coach.session.timers import HALFWAY, seconds_per_rep
from voice_coach.session.wording import (approx_duration_words, capitalize, count_words,
                                         duration_words, lower_title)

IDLE_PROMPT = "Say start and a routine name, or list routines."
PAIN_QUESTION = "On a scale of zero to ten, how is the pain? Say pain and a number, for example pain three."
PAIN_RETRY = "Please say pain and a number from zero to ten, for example pain three. Or say skip."
STOP_HINT = "Say stop at any time if it hurts."
YES_NO = "Say yes or no."
CONTINUE_QUESTION = "Do you want to continue? Say yes or no."
PAUSED = "Paused. Say resume when you are ready."
STOPPED = "Paused. Say resume to go on, or end session to finish."
NOT_RUNNING = "No routine is running. Say list routines."
ENDED = "The session has ended."
SAFETY_DECLINED = "All right, we will stop here. Take care, and check with a professional before trying again."
ENDED_EARLY = "Session ended. Take care."
COMPLETED = "Well done, the routine is complete. Take care."
GOODBYE = "Goodbye."
THANKS = "Thank you."
MANUAL_GO = "Say next when you are done."
UNKNOWN_ROUTINE = "I don't know that routine. Say list routines."
NO_TIMER = "This step has no timer. Say next when you are done."
CLOSING_PAIN_QUESTION = "Before we finish: how is the pain now? Say pain and a number, or say no."
NOT_ASKED_YET = "Wait for my question, please."

# A sentence ends at . ! or ? followed by a space and a capital letter (not "e.g. the").
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def sentences(passage: str) -> list[str]:
    """Split a passage into sentences (one utterance each); empty parts are dropped."""
    return [s.strip() for s in _SENTENCE_END.split(passage.strip()) if s.strip()]


def foot_words(foot: str | None) -> str:
    return f"the {foot} foot" if foot else ""


def routine_name(routine: Routine) -> str:
    """The most descriptive spoken name ("heel spur" rather than "heel")."""
    if not routine.spoken_names:
        return lower_title(routine.title)
    return max(routine.spoken_names, key=lambda name: len(name.split()))


def routine_intro(routine: Routine) -> str:
    parts = [f"{routine.title}.", routine.intro.strip()]
    parts += [c.strip() for c in routine.cautions]
    if "say stop" not in " ".join(parts).lower():  # the routine may already say it
        parts.append(STOP_HINT)
    return " ".join(p for p in parts if p)


def step_announcement(step: Step, number: int, count: int, opening: str) -> str:
    """ "Step two of six: thumb pressure. <instructions> You will need …" """
    parts = [f"{opening}, step {count_words(number)} of {count_words(count)}: {step.title}.",
             step.instructions.strip()]
    if step.tools:
        parts.append(f"You will need {_and_list(step.tools)}.")
    parts += [c.strip() for c in step.cautions]
    return " ".join(p for p in parts if p)


def _and_list(items: tuple[str, ...]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def go_cue(step: Step, foot: str | None, remaining: float, resumed: bool) -> str:
    """The sentence whose end starts the timer: "Left foot, two minutes, begin." """
    if step.kind is StepKind.MANUAL:
        return (f"{capitalize(foot)} foot. " if foot else "") + MANUAL_GO
    if step.kind is StepKind.REPS:
        left = max(1, round(remaining / seconds_per_rep(step)))
        reps = count_words(left)
        noun = "repetition" if left == 1 else "repetitions"
        where = f", {foot} foot" if foot else ""
        more = " more" if resumed else ""
        return f"{capitalize(reps)}{more} {noun}{where}. I will count. Begin."
    length = duration_words(remaining) + (" left" if resumed else "")
    return f"{capitalize(foot)} foot, {length}, begin." if foot else f"{capitalize(length)}, begin."


def rep_count(n: int) -> str:
    return capitalize(count_words(n)) + "."


def cue_text(name: str, step: Step, foot: str | None, remaining: float) -> str:
    if name.startswith("rep"):
        return rep_count(int(name[3:]))
    if name == HALFWAY:
        where = f" on the {foot} foot" if foot else ""
        return f"Halfway{where}. {capitalize(duration_words(remaining))} to go."
    return f"{capitalize(duration_words(remaining))}."


def time_left_text(remaining: float, foot: str | None, paused: bool) -> str:
    where = f" on the {foot} foot" if foot else ""
    lead = "Paused, with " if paused else ""
    text = f"{lead}{approx_duration_words(remaining)} left{where}."
    return capitalize(text)


def resume_offer(routine: Routine, step: Step | None, foot: str | None) -> str:
    where = f" at {lower_title(step.title)}" if step else ""
    if step and foot:
        where += f", {foot} foot"
    return f"Resume the {routine_name(routine)} routine{where}? {YES_NO}"


def list_routines(routines: tuple[Routine, ...]) -> str:
    if not routines:
        return "No routines are installed."
    names = [routine_name(r) for r in routines]
    example = names[0]
    return (f"I know {count_words(len(routines))} routines: {_and_list(tuple(names))}. "
            f"Say start and a name, for example start {example}.")
