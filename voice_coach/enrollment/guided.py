"""The guided enrollment: prompt each core command, record three takes, check each, keep going.

The flow talks to the world through two small ports, so tests drive it with
fakes: a ``Guide`` that speaks and shows prompts, and a ``TakeRecorder`` that
returns one take's audio.  Every accepted take is saved as soon as its views
are embedded, so an interrupted enrollment resumes where it stopped (commands
that already have their takes are skipped).
"""

from __future__ import annotations

import dataclasses
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from voice_coach.enrollment.phrases import TAKES_PER_COMMAND, Prompt
from voice_coach.enrollment.store import ProfileStore
from voice_coach.enrollment.takes import TakeJudge
from voice_coach.recognition.neural.profile import VoiceProfile


class Guide(Protocol):
    def say(self, text: str) -> None:
        """Speak (when it can) and show one prompt; returns when it has been said."""

    def show(self, text: str) -> None:
        """Show a line on the screen only (progress)."""


class TakeRecorder(Protocol):
    def record(self) -> np.ndarray:
        """One take: int16 16 kHz mono, from just before the person speaks to just after."""


@dataclass(frozen=True)
class EnrollmentResult:
    profile: VoiceProfile
    done: int  # commands with all their takes
    total: int
    skipped: tuple[str, ...]  # prompts given up on after too many unusable takes
    seconds: float


def empty_profile(user: str) -> VoiceProfile:
    return VoiceProfile(user, (), np.zeros((0, 0), np.float32))


def _spoken_label(label: str, prompts: list[Prompt]) -> str:
    return next((p.text for p in prompts if p.label == label), label.replace("_", " ").split(":")[0])


@dataclass
class _Pending:
    """An accepted take whose other views are still being computed."""

    label: str
    text: str
    first: np.ndarray
    views: Future


def enroll_guided(user: str, prompts: list[Prompt], store: ProfileStore, judge: TakeJudge, guide: Guide,
                  recorder: TakeRecorder, takes: int = TAKES_PER_COMMAND, max_attempts: int = 4,
                  clock=time.monotonic) -> EnrollmentResult:
    """Enroll (or continue enrolling) ``user``; saves after every accepted take.

    A take's other views (``TakeJudge.views``, most of its CPU time) are computed on a worker
    while the next prompt is spoken and recorded, and the take is saved once they are ready;
    an interrupt waits for them, so no accepted take is lost.
    """
    started = clock()
    profile = store.load(user) if store.exists(user) else empty_profile(user)
    pending: _Pending | None = None

    def settle() -> None:
        nonlocal profile, pending
        if pending is not None:
            rows = np.concatenate([pending.first[None, :], pending.views.result()])
            profile = profile.with_take(pending.label, rows, pending.text)
            pending = None
            store.save(_with_progress(profile, prompts, takes))

    def count(prompt: Prompt) -> int:
        waiting = pending is not None and (pending.text == prompt.text if prompt.own else pending.label == prompt.label)
        return _enrolled(profile, prompt) + waiting

    todo = [p for p in prompts if _enrolled(profile, p) < takes]
    own = bool(prompts) and all(p.own for p in prompts)
    if not todo:
        guide.show(f"The profile {user!r} already has {'these phrases' if own else 'every command'}; "
                   f"`voice-coach enroll --forget {user}` starts over.")
    elif own:
        guide.say(f"I will ask for {len(todo)} {'phrase' if len(todo) == 1 else 'phrases'} of your own, "
                  f"{takes} times each. "
                  "Say each one the way you say it in a session, after the prompt.")
    elif profile.takes:
        guide.say(f"Welcome back. {len(prompts) - len(todo)} of {len(prompts)} commands are done; let's go on.")
    else:
        guide.say(f"I will ask for {len(prompts)} commands, {takes} times each. "
                  "Say each one the way you say it in a session, after the prompt.")
    skipped = []
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="take-views") as worker:
        try:
            for prompt in todo:
                attempts = 0
                while count(prompt) < takes:
                    if attempts >= max_attempts:
                        guide.say(f"Let's leave {prompt.text!r} for later.")
                        skipped.append(prompt.text)
                        break
                    number = count(prompt) + 1
                    guide.show(f"[{len(prompts) - len(todo) + todo.index(prompt) + 1}/{len(prompts)}] "
                               f"{prompt.text!r}, take {number} of {takes}")
                    guide.say(f"Say: {prompt.text}" if number == 1 and attempts == 0 else f"Again: {prompt.text}")
                    audio = recorder.record()
                    settle()  # the take before: its views were computed while this one was prompted
                    verdict = judge.judge(audio, prompt.label, profile, views=False)
                    attempts += 1
                    if verdict.heard_label and attempts < max_attempts - 1:
                        guide.say(f"That sounded like {_spoken_label(verdict.heard_label, prompts)}. Again please.")
                        continue
                    if verdict.take is None:
                        guide.say(verdict.problem + ".")
                        continue
                    # The person's own way of saying it, heard as another command twice over, is
                    # exactly what the profile is for: keep it on the later attempts.
                    pending = _Pending(prompt.label, prompt.text, verdict.take.vector, worker.submit(judge.views, audio))
                    attempts = 0
        finally:
            settle()
    profile = _with_progress(profile, prompts, takes)
    store.save(profile)
    done = sum(1 for p in prompts if _enrolled(profile, p) >= takes)
    if todo and done == len(prompts):
        guide.say("Thank you, that's all. I will know your voice from now on.")
    elif todo:
        guide.say(f"{done} of {len(prompts)} commands are done. Run enroll again to finish the rest.")
    return EnrollmentResult(profile, done, len(prompts), tuple(skipped), clock() - started)


def _enrolled(profile: VoiceProfile, prompt: Prompt) -> int:
    """Takes the profile has for this prompt: of its command, or of its very words for own ones."""
    return profile.count_text(prompt.text) if prompt.own else profile.count(prompt.label)


def _with_progress(profile: VoiceProfile, prompts: list[Prompt], takes: int) -> VoiceProfile:
    """The profile marked complete when every core prompt has its takes (own phrases are extra:
    a run of them alone leaves the mark as it was)."""
    core = [p for p in prompts if not p.own]
    complete = all(profile.count(p.label) >= takes for p in core) if core else bool(profile.meta.get("complete"))
    return dataclasses.replace(profile, meta=dict(profile.meta, complete=complete, takes_per_command=takes))
