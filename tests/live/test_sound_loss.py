"""Losing the microphone or the speaker for real, on a private PulseAudio server.

The coach runs in this process with ``voice-coach run``'s own wiring (real microphone,
PocketSphinx, espeak speaker, live loop, session engine); the test unloads the virtual
microphone source or speaker sink from the server mid-session and loads it again 3 s later,
the way a USB plug is knocked out and pushed back.  Times come from the coach itself: the
engine's ``now`` at each step (the loop's monotonic clock) and its log records, stamped on
the monotonic clock when they were written.  Everything is waited for with generous bounds;
the one time bound asserted is the issue's: a command said after the microphone is back is
heard within 5 s of its return, said again and again like a person would.
"""

from __future__ import annotations

import logging
import subprocess
import threading
import time
import warnings
from contextlib import ExitStack
from pathlib import Path

import numpy as np
import pytest

from voice_coach.audio.wavio import write_wav
from voice_coach.cli import run as run_cli
from voice_coach.config import Settings, SpeechSettings, override
from voice_coach.grammar import Grammar
from voice_coach.intents import Intent
from voice_coach.live.clock import MonotonicClock
from voice_coach.live.demo.timeline import speech_16k
from voice_coach.live.engine_driver import EngineDriver
from voice_coach.live.inbox import HeardCommand, InputClosed
from voice_coach.live.loop import MIC_BACK_NOTICE, MIC_LOST_NOTICE, LiveLoop
from voice_coach.routines.loader import load_library
from voice_coach.session.messages import CommandHeard, StartTimer

from tests.audio_stack import running_audio_stack

pytestmark = [pytest.mark.audio, pytest.mark.slow]

RATE = 16000
TIMER_S = 120.0
ROUTINE = f"""
id = "outage-test"
title = "Outage test"
source = "test"
spoken_names = ["outage"]
intro = "This routine checks what happens when a sound device disappears and comes back while the coach is working."

[[steps]]
id = "hold"
title = "Hold"
kind = "timed"
seconds = {TIMER_S:g}
per_foot = false
instructions = "Hold the heel."

[[steps]]
id = "rest"
title = "Rest"
kind = "manual"
instructions = "Rest, then say next."
"""
USER = SpeechSettings(voice="en-us+m3", rate_wpm=150)


class LogBook(logging.Handler):
    """The coach's log records, each stamped with the monotonic clock when it was written."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[tuple[float, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((time.monotonic(), record.getMessage()))

    def first(self, fragment: str, after: float = 0.0) -> float | None:
        return next((t for t, m in list(self.records) if t >= after and fragment in m), None)


class RecordingDriver:
    """The real engine, remembering every step as (engine time, event, actions, seconds left)."""

    def __init__(self, engine: EngineDriver) -> None:
        self.engine = engine
        self.steps: list[tuple[float, object, tuple, float | None]] = []

    def start(self, now):
        return self._keep(now, None, self.engine.start(now))

    def step(self, event, now):
        return self._keep(now, event, self.engine.step(event, now))

    def _keep(self, now, event, actions):
        self.steps.append((now, event, tuple(actions), self.engine.describe(now).seconds_left))
        return actions

    def next_deadline(self):
        return self.engine.next_deadline()

    def describe(self, now):
        return self.engine.describe(now)


def wait_until(what: str, condition, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"waited {timeout:.0f} s for {what}")


class Coach:
    """``voice-coach run outage-test`` in this process, on the private server."""

    def __init__(self, stack, tmp_path: Path) -> None:
        self.stack = stack
        (tmp_path / "routines").mkdir()
        (tmp_path / "routines" / "outage.toml").write_text(ROUTINE)
        settings = override(override(Settings(), "recognizer", engine="sphinx"), "journal", enabled=False)
        settings = override(settings, "speech", rate_wpm=220)
        library = load_library([tmp_path / "routines"], include_user_dir=False)
        self.driver = RecordingDriver(EngineDriver(library, settings.session, routine_id="outage-test",
                                                   speech=settings.speech))
        self.loop = LiveLoop(self.driver, None, MonotonicClock())
        self.grammar = Grammar.build(library.all(), "")
        self.log = LogBook()
        self._exits = ExitStack()
        logger = logging.getLogger("voice_coach")
        self._level = logger.level
        logger.setLevel(logging.INFO)
        logger.addHandler(self.log)
        self._exits.callback(logger.removeHandler, self.log)
        self._exits.callback(logger.setLevel, self._level)
        self.wavs = tmp_path / "wavs"
        self.wavs.mkdir()
        self.room = tmp_path / "room.wav"
        write_wav(self.room, np.random.default_rng(3).normal(0, 30, 300 * RATE).astype(np.int16), RATE)
        self.play_room()
        run_cli._wire_audio(self.loop, settings, library, self._exits, None)
        self.thread = threading.Thread(target=self.loop.run, name="coach-loop", daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.loop.post(InputClosed("test over"))
        self.thread.join(30)
        self._exits.close()
        assert not self.thread.is_alive(), "the coach's loop did not end"

    # ---- what the test does to the coach -------------------------------------------------
    def play_room(self) -> None:
        """A real microphone always hears the room; the virtual one would be digitally silent."""
        noise = self.stack.play_into_mic(self.room, wait=False)
        self._exits.callback(lambda: (noise.kill(), noise.wait()))

    def type(self, text: str) -> None:
        """A typed command: the set-up before the loss is not what is tested, so it cannot be misheard."""
        self.loop.post(HeardCommand(self.grammar.parse(text), self.loop.clock.now(), text, typed=True))

    def start_timer(self) -> float:
        """Answer the opening pain question; the engine time at which the step's timer started."""
        wait_until("the pain question", lambda: any("how is the pain" in s.text for s in self.loop.speaker.speaker.spans()))
        self.type("pain four")
        return wait_until("the timer to start", self.timer_started_at)

    def say_until_heard(self, phrasings: tuple[str, ...], intent: Intent, after: float, tries: int = 8) -> float:
        """Say it, again and again in other words, like a person who is not understood; the engine's
        time of the first ``intent`` after ``after`` (waits a little after the last try)."""
        for attempt in range(tries + 1):
            if (at := self.heard_at(intent, after)) is not None:
                return at
            if attempt == tries:
                break
            words = phrasings[attempt % len(phrasings)]
            wav = self.wavs / f"{words.replace(' ', '_')}.wav"
            if not wav.exists():
                pad = np.zeros(RATE // 5, np.int16)
                write_wav(wav, np.concatenate([pad, speech_16k(words, USER), pad]), RATE)
            logging.getLogger("voice_coach.test").info("test says %r", words)
            self.stack.play_into_mic(wav)  # returns when played: the next try follows at once
        return wait_until(f"the coach to hear {intent}", lambda: self.heard_at(intent, after), timeout=10)

    def ask_time_left(self, tries: int = 3) -> float:
        """Type "how much time is left" until the answer is spoken to its end (a late repeat of an
        earlier spoken command can still cut it off); when it ended."""
        spans = self.loop.speaker.speaker.spans
        for _ in range(tries):
            asked = time.monotonic()
            self.type("how much time is left")
            try:
                return wait_until("the answer to be spoken", lambda: next(
                    (s.end for s in spans() if s.start >= asked and "left" in s.text and s.end and not s.interrupted),
                    None), timeout=30)
            except AssertionError:
                continue
        raise AssertionError("the time left was never spoken to its end; log:\n" + self.log_tail())

    def heard_at(self, intent: Intent, after: float = 0.0) -> float | None:
        return next((now for now, event, _, _ in list(self.driver.steps)
                     if now >= after and isinstance(event, CommandHeard) and event.command.intent == intent), None)

    def timer_started_at(self) -> float | None:
        return next((now for now, _, actions, _ in list(self.driver.steps)
                     if any(isinstance(a, StartTimer) for a in actions)), None)

    def spoken(self, text: str) -> bool:
        """Did the speaker play ``text`` to its end?"""
        return any(s.text == text and s.end is not None for s in self.loop.speaker.speaker.spans())

    def log_tail(self, t0: float | None = None) -> str:
        """The last log lines, timed from ``t0`` (default: the first line)."""
        if t0 is None:
            t0 = self.log.records[0][0] if self.log.records else 0.0
        return "\n".join(f"{t - t0:7.2f} {m}" for t, m in self.log.records[-30:])

    def assert_timer_kept_time(self, started_at: float, until: float) -> None:
        """Engine time only: at every step while the timer ran, exactly TIMER_S minus the time since its start
        was left — the outage neither paused nor shifted it."""
        checked = [(now, left) for now, _, _, left in list(self.driver.steps) if started_at <= now <= until]
        assert len(checked) >= 2, checked
        for now, left in checked:
            assert left == pytest.approx(TIMER_S - (now - started_at), abs=1e-6), (now - started_at, left)


def pactl(stack, *args: str) -> str:
    done = subprocess.run(["pactl", *args], env=stack._child_env(), capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, (args, done.stderr)
    return done.stdout


def unload(stack, module: str, name_arg: str) -> str:
    """Unload the module that made ``name_arg`` (e.g. "source_name=vmic"); returns its arguments."""
    for line in pactl(stack, "list", "short", "modules").splitlines():
        index, name, *rest = line.split("\t")
        if name == module and name_arg in " ".join(rest):
            pactl(stack, "unload-module", index)
            return " ".join(rest)
    raise AssertionError(f"no {module} with {name_arg} loaded")


@pytest.fixture
def own_stack(tmp_path):
    """A server of this test's own: modules are unloaded from it."""
    with running_audio_stack(tmp_path / "pulse") as stack:
        yield stack


def test_microphone_source_disappears_and_comes_back(own_stack, tmp_path):
    """The source goes for 3 s; the coach says so, its timer runs on exactly, and a command said
    after the return is obeyed within 5 s of it.

    What is tested is the audio path and the recovery, not recognition accuracy: a person says
    "pause" again and again until it is obeyed, and should PocketSphinx still miss it for 5 s (or a
    busy machine delay it) the outage is repeated after a typed "resume", at most five times.
    """
    coach = Coach(own_stack, tmp_path)
    outages = []
    try:
        started = coach.start_timer()
        for attempt in range(5):
            gone = time.monotonic()
            args = unload(own_stack, "module-remap-source", "source_name=vmic")
            lost = wait_until("the coach to notice the microphone is gone",
                              lambda: coach.log.first(MIC_LOST_NOTICE, gone))
            time.sleep(max(0.0, gone + 3.0 - time.monotonic()))
            pactl(own_stack, "load-module", "module-remap-source", *args.split())
            back = time.monotonic()
            paused = coach.say_until_heard(("pause", "hold on"), Intent.PAUSE, after=back)
            wait_until("the coach to say the microphone is back", lambda: coach.log.first(MIC_BACK_NOTICE, back))
            outages.append((gone, lost, back, paused))
            if paused - back <= 5.0:
                break
            warnings.warn(f"outage {attempt + 1}: heard {paused - back:.1f} s after the return; again\n"
                          + coach.log_tail(back))
            time.sleep(2.0)  # the last tries may still be decided: let them land before the next outage
            resumed = time.monotonic()
            coach.type("resume")
            wait_until("the typed resume", lambda: coach.heard_at(Intent.RESUME, resumed))
        wait_until("the coach to say the microphone stopped", lambda: coach.spoken(MIC_LOST_NOTICE))
    finally:
        coach.close()
    for gone, lost, back, paused in outages:
        assert gone < lost < back, "the loss was reported before the source went or after it was back"
    gone, lost, back, paused = outages[-1]
    # The bound, on the coach's own clock: obeyed within 5 s of the source's return.
    assert paused - back <= 5.0, f"heard {paused - back:.1f} s after the return; log from the return:\n" \
        + coach.log_tail(back)
    first_pause = outages[0][3]
    coach.assert_timer_kept_time(started, first_pause)
    # Nothing was heard while the microphone counted as gone (its stream had been moved to the speaker's monitor).
    heard = [(now, e.command.intent) for now, e, _, _ in coach.driver.steps if isinstance(e, CommandHeard)]
    assert {intent for _, intent in heard} <= {Intent.PAIN, Intent.PAUSE, Intent.RESUME}, heard
    assert not [now for now, _ in heard if any(lost <= now < b for _, lost, b, _ in outages)], heard


def test_speaker_sink_disappears_during_a_sentence_and_comes_back(own_stack, tmp_path):
    """The speaker goes for 3 s in the middle of the opening sentence: the sentence ends (no hang),
    nothing the coach said is taken as a command, the session and its timer go on, and the coach
    is heard on the speaker again once it is back."""
    coach = Coach(own_stack, tmp_path)
    speaker = coach.loop.speaker.speaker
    try:
        opening = wait_until("the opening sentence", lambda: next(
            (s for s in speaker.spans() if s.utterance_id >= 0 and s.end is None), None))
        gone = time.monotonic()
        args = unload(own_stack, "module-null-sink", "sink_name=vspk")
        assert next(s for s in speaker.spans() if s.utterance_id == opening.utterance_id).end is None, \
            "the sentence ended before the speaker went: nothing was cut"
        wait_until("the cut sentence to end", lambda: next(
            s for s in speaker.spans() if s.utterance_id == opening.utterance_id).end)
        time.sleep(max(0.0, gone + 3.0 - time.monotonic()))
        pactl(own_stack, "load-module", "module-null-sink", *args.split())
        back = time.monotonic()
        started = coach.start_timer()
        with own_stack.record_speaker(tmp_path / "after.raw") as rec:
            answered = coach.ask_time_left()
    finally:
        coach.close()
    assert started > back
    coach.assert_timer_kept_time(started, answered)
    level = np.sqrt(np.mean(rec.samples().astype(np.float64) ** 2))
    assert level > 300, f"the speaker stayed quiet after it came back (RMS {level:.0f})"
    typed = {Intent.PAIN, Intent.TIME_LEFT}
    heard = [e.command.intent for _, e, _, _ in coach.driver.steps if isinstance(e, CommandHeard)]
    assert set(heard) <= typed, f"the coach took its own words as commands: {heard}"

