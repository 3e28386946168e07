"""The live loop: one thread owns the clock and the session state.

Workers post to ``inbox`` (commands, speech started/ended, microphone trouble,
end of input); the loop sleeps on that queue with a timeout that ends exactly
at the engine's next deadline, so cues fire within a few milliseconds of their
time whether or not the coach is talking.  Engine time always comes from the
clock, never from how long speech took.
"""

from __future__ import annotations

import logging
import queue
from dataclasses import dataclass, field

from voice_coach.live.clock import Clock
from voice_coach.live.engine_driver import SessionDriver
from voice_coach.live.gate import SpeechGate
from voice_coach.live.inbox import (HeardCommand, InboxItem, InputClosed, MicTrouble, SpeechEnded,
                                    SpeechStarted)
from voice_coach.live.ports import ChimePort, JournalPort, NullChimes, NullJournal, SpeakerPort, StatusPort
from voice_coach.session.messages import (Action, AdjustSpeech, Chime, CommandHeard, EndSession, Log, Say,
                                          SpeechFinished, StartTimer, StopSpeaking, StopTimer, Tick)

log = logging.getLogger(__name__)

MIC_LOST_NOTICE = "The microphone stopped working. I will keep trying."
MIC_BACK_NOTICE = "The microphone is working again."

# Utterances the loop says itself (not the engine) get negative ids so their
# SpeechFinished never reaches the engine as if it were one of its own.
_LOOP_UTTERANCE_BASE = -1


@dataclass
class LoopResult:
    """How the loop ended: ``ended_by`` is "session" (EndSession), "input" or "interrupt"."""

    ended_by: str
    heard: list[HeardCommand] = field(default_factory=list)
    echoes: list[tuple[HeardCommand, str]] = field(default_factory=list)  # decisions on the coach's own voice
    said: list[tuple[float, str]] = field(default_factory=list)


class LiveLoop:
    def __init__(self, engine: SessionDriver, speaker: SpeakerPort, clock: Clock, *,
                 chimes: ChimePort | None = None, journal: JournalPort | None = None,
                 status: StatusPort | None = None, gate: SpeechGate | None = None,
                 drain_timeout_s: float = 20.0) -> None:
        self.engine = engine
        self.speaker = speaker
        self.clock = clock
        self.chimes = chimes or NullChimes()
        self.journal = journal or NullJournal()
        self.status = status
        self.gate = gate or SpeechGate()
        self.inbox: "queue.Queue[InboxItem]" = queue.Queue()
        self.drain_timeout_s = drain_timeout_s
        self._next_own_id = _LOOP_UTTERANCE_BASE
        self._ended: str | None = None
        self._mic_lost = False
        self.result = LoopResult(ended_by="")

    # ---- called from any thread --------------------------------------------
    def post(self, item: InboxItem) -> None:
        self.inbox.put(item)

    # ---- the loop ------------------------------------------------------------
    def run(self) -> LoopResult:
        """Run until the session ends or input closes; Ctrl-C ends it cleanly too."""
        try:
            self._execute(self.engine.start(self.clock.now()))
            while self._ended is None:
                self.run_once()
        except KeyboardInterrupt:
            self._ended = "interrupt"
            self.speaker.stop()
        self.result.ended_by = self._ended or "interrupt"
        if self._ended == "session":
            # Let the goodbye finish before the process exits.
            self.speaker.wait_idle(self.drain_timeout_s)
        return self.result

    def run_once(self) -> None:
        """Wait for one inbox item or the next deadline, whichever is first, and handle it."""
        deadline = self.engine.next_deadline()
        now = self.clock.now()
        item = self.clock.wait(self.inbox, None if deadline is None else deadline - now)
        if item is not None:
            self.handle(item)
        self._tick_if_due()
        self._show()

    def _tick_if_due(self) -> None:
        # Several deadlines may have passed (e.g. after a slow action): tick
        # until the engine's next deadline lies in the future.
        for _ in range(100):
            deadline = self.engine.next_deadline()
            now = self.clock.now()
            if self._ended is not None or deadline is None or now < deadline:
                return
            self._execute(self.engine.step(Tick(), now))

    def handle(self, item: InboxItem) -> None:
        now = self.clock.now()
        if isinstance(item, HeardCommand):
            self._heard(item, now)
        elif isinstance(item, SpeechStarted):
            log.info("speech %d started", item.utterance_id)
            self.gate.speech_started(item.at)
        elif isinstance(item, SpeechEnded):
            log.info("speech %d ended", item.utterance_id)
            self.gate.speech_ended(item.at)
            if item.utterance_id >= 0:
                self._execute(self.engine.step(SpeechFinished(item.utterance_id), now))
        elif isinstance(item, MicTrouble):
            self._mic_trouble(item)
        elif isinstance(item, InputClosed):
            log.info("input closed: %s", item.reason)
            self._ended = "input"

    def _catch_up_on_speech(self) -> None:
        """Handle speech reports already waiting before a command, so it meets the coach's real state.

        A printing speaker "finishes" at once but reports through the inbox, behind commands typed
        ahead (piped ``--text``); the question they answer has been shown by then.
        """
        for _ in range(100):
            with self.inbox.mutex:
                waiting = [i for i in self.inbox.queue if isinstance(i, (SpeechStarted, SpeechEnded))]
                for item in waiting:
                    self.inbox.queue.remove(item)
            if not waiting:
                return
            for item in waiting:
                self.handle(item)

    def _heard(self, heard: HeardCommand, now: float) -> None:
        self._catch_up_on_speech()
        now = self.clock.now()
        verdict = self.gate.judge(heard)
        if not verdict.accepted:
            log.info("echo %r: %s", heard.text or heard.command.intent, verdict.reason)
            self.result.echoes.append((heard, verdict.reason))
            self._note("echo", f"{heard.text or heard.command.intent} ({verdict.reason})")
            return
        log.info("heard %r (%s)", heard.text or heard.command.intent, verdict.reason)
        self.result.heard.append(heard)
        self._note("heard", heard.text or str(heard.command.intent))
        self._execute(self.engine.step(CommandHeard(heard.command), now))

    def _mic_trouble(self, item: MicTrouble) -> None:
        if item.lost == self._mic_lost:
            return
        self._mic_lost = item.lost
        notice = MIC_LOST_NOTICE if item.lost else MIC_BACK_NOTICE
        log.warning("%s %s", notice, item.detail)
        self._note("mic", f"{notice} {item.detail}".strip())
        self._say_own(notice)

    def _say_own(self, text: str) -> None:
        try:
            self.speaker.say(text, self._next_own_id)
            self._next_own_id -= 1
        except Exception as exc:  # speech is broken too: the log is all we have
            log.error("could not say %r: %s", text, exc)

    # ---- actions ---------------------------------------------------------------
    def _execute(self, actions) -> None:
        for action in actions:
            self._do(action)

    def _do(self, action: Action) -> None:
        if isinstance(action, Say):
            self.result.said.append((self.clock.now(), action.text))
            self._note("said", action.text)
            self.speaker.say(action.text, action.utterance_id)
        elif isinstance(action, StopSpeaking):
            self.speaker.stop()
        elif isinstance(action, Chime):
            self._note("chime", action.kind)
            self.chimes.play(action.kind)
        elif isinstance(action, AdjustSpeech):
            self.speaker.adjust(action.rate_delta_wpm, action.volume_delta)
        elif isinstance(action, Log):
            log.debug("log %s %s", action.kind, dict(action.data))
            self.journal.record(action, self.clock.now())
        elif isinstance(action, EndSession):
            self._ended = "session"
        elif isinstance(action, (StartTimer, StopTimer)):
            pass  # the status display reads timers from the engine's view
        else:
            log.warning("unknown action %r", action)

    # ---- display ---------------------------------------------------------------
    def _note(self, kind: str, text: str) -> None:
        if self.status is not None:
            self.status.note(kind, text)

    def _show(self) -> None:
        if self.status is not None:
            now = self.clock.now()
            self.status.show(self.engine.describe(now), now)
