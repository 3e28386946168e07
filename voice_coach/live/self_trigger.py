"""Measuring self-triggering: does the coach's own speech become a command?

Everything the coach can say is collected by driving the real session engine
through every routine (answering its questions, letting timers run out, and
asking each command once per step so its replies are spoken too).  Each text
is synthesized with the speaker's own ``synthesize`` and the whole lot is fed,
utterance after utterance with short pauses and a quiet room-noise floor, to
the real recognizer — the worst case of a microphone that hears the coach at
full level.  Every decision then goes through the live loop's listener
(loudness against the echo) and gate, exactly as in ``voice-coach run``.

A second, positive check makes sure the gate is not simply deaf: a therapist's
"stop" / "pause" / "next" said over the coach's speech, louder than the echo
by a given ratio, must still get through.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable

import numpy as np

from voice_coach.config import SessionSettings, SpeechSettings
from voice_coach.intents import Command, Intent
from voice_coach.live.gate import SpeechGate
from voice_coach.live.listener import CommandListener, PlayedAudio
from voice_coach.recognition.base import SAMPLE_RATE_HZ
from voice_coach.session.messages import CommandHeard, Say, SpeechFinished, Tick

ROOM_NOISE_RMS = 30.0  # about -60 dBFS: a quiet room through a USB microphone
GAP_S = 0.6  # pause between the coach's utterances
BLOCK = 320  # 20 ms blocks, like the microphone

# Asked once per step (and once before any routine) so their replies are spoken too.
PROBES: tuple[Command, ...] = (
    Command(Intent.HELP), Command(Intent.TIME_LEFT), Command(Intent.REPEAT), Command(Intent.PAUSE),
    Command(Intent.RESUME), Command(Intent.STOP), Command(Intent.RESUME), Command(Intent.ADD_TIME, {"seconds": 30}),
    Command(Intent.SLOWER), Command(Intent.FASTER), Command(Intent.LOUDER), Command(Intent.QUIETER),
    Command(Intent.LIST_ROUTINES), Command(Intent.YES), Command(Intent.NO), Command(Intent.PREVIOUS),
)
IDLE_PROBES: tuple[Command, ...] = tuple(Command(i) for i in (
    Intent.HELP, Intent.NEXT, Intent.PREVIOUS, Intent.SKIP, Intent.PAUSE, Intent.RESUME, Intent.STOP, Intent.REPEAT,
    Intent.TIME_LEFT, Intent.SWITCH_FOOT, Intent.YES, Intent.NO, Intent.LIST_ROUTINES)) + (
    Command(Intent.PAIN, {"level": 3}), Command(Intent.ADD_TIME, {"seconds": 60}))


def coach_texts(library, settings: SessionSettings | None = None) -> list[str]:
    """Every distinct sentence the engine says while walking all routines (in first-said order)."""
    from voice_coach.session import ResumePoint, describe, new_session, next_deadline, step

    settings = settings or SessionSettings()
    said: dict[str, None] = {}

    def run(state, actions, now, commands: Iterable[Command] = ()):
        for a in actions:
            if isinstance(a, Say):
                said.setdefault(a.text, None)
        for cmd in commands:
            state, acts = step(state, CommandHeard(cmd), now)
            state = run(state, acts, now)
        for a in actions:
            if isinstance(a, Say):
                state, acts = step(state, SpeechFinished(a.utterance_id), now)
                state = run(state, acts, now)
        return state

    state, actions = new_session(library, settings, 0.0)
    run(state, actions, 0.0, IDLE_PROBES)
    for routine in library.all():
        state, actions = new_session(library, settings, 0.0,
                                     resume=ResumePoint(routine.id, min(1, len(routine.steps) - 1), "right", 30.0))
        run(state, actions, 0.0)
        now = 0.0
        state, actions = new_session(library, settings, now, routine_id=routine.id)
        state = run(state, actions, now)
        probed: set[int] = set()
        for _ in range(5000):
            view = describe(state, now)
            if view.phase == "ended":
                break
            command = _answer(view)
            if view.step_number is not None and view.step_number not in probed and view.stage == "running":
                probed.add(view.step_number)
                state = run(state, [], now, PROBES)
                continue
            if command is not None:
                state, actions = step(state, CommandHeard(command), now)
                state = run(state, actions, now)
                continue
            deadline = next_deadline(state)
            if deadline is None:
                break
            now = max(now, deadline)
            state, actions = step(state, Tick(), now)
            state = run(state, actions, now)
    return list(said)


def _answer(view) -> Command | None:
    if view.phase in ("pain_before", "pain_after"):
        return Command(Intent.PAIN, {"level": 3})
    if view.phase in ("safety", "safety_continue"):
        return Command(Intent.NO) if view.phase == "safety" else Command(Intent.YES)
    if view.phase == "idle":
        return None
    if view.stage == "waiting" or view.paused:
        return Command(Intent.RESUME) if view.paused else Command(Intent.NEXT)
    return None


def synthesize_16k(text: str, speech: SpeechSettings | None = None) -> np.ndarray:
    from voice_coach.audio import tts
    from voice_coach.audio.wavio import resample

    samples, rate = tts.synthesize(text, speech or SpeechSettings())
    return resample(samples, rate, SAMPLE_RATE_HZ) if rate != SAMPLE_RATE_HZ else samples


@dataclass
class Decision:
    text: str  # what the recognizer heard
    intent: str
    during: str  # the coach utterance it came from
    verdict: str
    accepted: bool
    loudness_ratio: float | None


@dataclass
class SelfTriggerReport:
    utterances: int = 0
    audio_s: float = 0.0
    decisions: list[Decision] = field(default_factory=list)

    @property
    def raw(self) -> int:
        return len(self.decisions)

    @property
    def accepted(self) -> list[Decision]:
        return [d for d in self.decisions if d.accepted]

    def by_intent(self) -> Counter:
        return Counter(d.intent for d in self.decisions)


def room_impulse_response(seed: int = 5) -> np.ndarray:
    """A small treatment room: direct sound after 30 ms at half level, then a 0.25 s reverberant tail."""
    rng = np.random.default_rng(seed)
    n = int(0.3 * SAMPLE_RATE_HZ)
    h = np.zeros(n)
    d = int(0.03 * SAMPLE_RATE_HZ)
    h[d] = 0.5
    t = np.arange(n - d - 1) / SAMPLE_RATE_HZ
    h[d + 1:] = 0.08 * rng.normal(size=len(t)) * np.exp(-t / 0.06)
    return h


_RIR = room_impulse_response()


def echo_of(played: np.ndarray) -> np.ndarray:
    """What the microphone hears of ``played`` in that room."""
    return np.convolve(played.astype(np.float64), _RIR)[: len(played)]


def _room(samples: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return np.clip(samples + rng.normal(0.0, ROOM_NOISE_RMS, len(samples)), -32768, 32767).astype(np.int16)


def measure(texts: list[str], recognizer, speech: SpeechSettings | None = None, gate: SpeechGate | None = None,
            progress: Callable[[int, int], None] | None = None, echo_canceller=None) -> SelfTriggerReport:
    """Feed the coach's ``texts`` as one stream to ``recognizer``; judge every decision with the gate.

    The microphone hears the coach through ``echo_of`` (a room) at full level —
    the worst case — plus room noise; with ``echo_canceller`` the listener
    subtracts the known played audio first, as ``voice-coach run`` does.
    """
    gate = gate or SpeechGate()
    rng = np.random.default_rng(1)
    played: list[PlayedAudio] = []
    listener = CommandListener(source=None, recognizer=recognizer, post=lambda item: None, now=lambda: 0.0,
                               played=lambda: played[-3:], decision_delay_s=gate.settings.decision_delay_s,
                               echo_canceller=echo_canceller)
    report = SelfTriggerReport()
    t = 0.0

    def feed(samples: np.ndarray, during: str) -> None:
        nonlocal t
        for i in range(0, len(samples), BLOCK):
            block = samples[i:i + BLOCK]
            t += len(block) / SAMPLE_RATE_HZ
            for heard in listener.process_block(block, t):
                verdict = gate.judge(heard)
                report.decisions.append(Decision(heard.text, str(heard.command.intent), during, verdict.reason,
                                                 verdict.accepted, heard.loudness_ratio))

    feed(_room(np.zeros(int(GAP_S * SAMPLE_RATE_HZ), np.int16), rng), "")
    for n, text in enumerate(texts):
        clean = synthesize_16k(text, speech)
        start = t
        played.append(PlayedAudio(start, clean, SAMPLE_RATE_HZ))
        gate.speech_started(start)
        feed(_room(echo_of(clean), rng), text)  # the worst case: the microphone hears the coach at full level
        gate.speech_ended(t)
        feed(_room(np.zeros(int(GAP_S * SAMPLE_RATE_HZ), np.int16), rng), text)
        report.utterances += 1
        if progress:
            progress(n + 1, len(texts))
    report.audio_s = t
    return report


@dataclass
class BargeInReport:
    ratio: float  # therapist level / echo level
    tried: int = 0
    recognized: int = 0
    accepted: int = 0
    latencies_s: list[float] = field(default_factory=list)  # words end -> decision


def barge_in_check(texts: list[str], recognizer_factory, ratio: float, words: tuple[str, ...] = ("stop", "pause", "next"),
                   user_voice: SpeechSettings | None = None, gate: SpeechGate | None = None,
                   echo_canceller=None) -> BargeInReport:
    """Mix a therapist's command over each coach utterance (1 s in) at ``ratio`` × the echo level.

    One ``echo_canceller`` (if given) serves all trials, as in a session where
    the room stays the same.
    """
    gate_settings = (gate or SpeechGate()).settings
    rng = np.random.default_rng(2)
    user_voice = user_voice or SpeechSettings(voice="en-us+m3", rate_wpm=150)
    report = BargeInReport(ratio)
    commands = {w: synthesize_16k(w, user_voice) for w in words}
    for n, text in enumerate(texts):
        coach_clean = synthesize_16k(text, None)
        coach = echo_of(coach_clean)
        word = words[n % len(words)]
        user = commands[word].astype(np.float64)
        at = SAMPLE_RATE_HZ  # the therapist speaks one second into the coach's sentence
        if len(coach) < at + len(user) + SAMPLE_RATE_HZ // 2:
            continue
        echo_level = np.percentile(_block_rms(coach), 75)
        user_level = np.sqrt(np.mean(user[np.abs(user) > 0.05 * np.abs(user).max()] ** 2))
        mix = coach.copy()
        mix[at:at + len(user)] += user * (ratio * echo_level / max(user_level, 1.0))
        mix = np.concatenate([np.zeros(SAMPLE_RATE_HZ // 2), mix, np.zeros(SAMPLE_RATE_HZ)])
        samples = _room(np.clip(mix, -32768, 32767), rng)
        offset = SAMPLE_RATE_HZ // 2
        played = [PlayedAudio(offset / SAMPLE_RATE_HZ, coach_clean, SAMPLE_RATE_HZ)]
        gate = SpeechGate(gate_settings)
        gate.speech_started(offset / SAMPLE_RATE_HZ)
        gate.speech_ended((offset + len(coach)) / SAMPLE_RATE_HZ)
        listener = CommandListener(None, recognizer_factory(), lambda item: None, lambda: 0.0,
                                   played=lambda: played, decision_delay_s=gate_settings.decision_delay_s,
                                   echo_canceller=echo_canceller)
        words_end = (offset + at + len(user)) / SAMPLE_RATE_HZ
        report.tried += 1
        t, got, ok = 0.0, False, False
        for i in range(0, len(samples), BLOCK):
            block = samples[i:i + BLOCK]
            t += len(block) / SAMPLE_RATE_HZ
            for heard in listener.process_block(block, t):
                if str(heard.command.intent) == word and not got:
                    got = True
                    ok = gate.judge(heard).accepted
                    report.latencies_s.append(heard.heard_at - words_end)
        report.recognized += got
        report.accepted += ok
    return report


def _block_rms(x: np.ndarray) -> np.ndarray:
    n = len(x) // BLOCK * BLOCK
    return np.sqrt((x[:n].reshape(-1, BLOCK) ** 2).mean(axis=1))
