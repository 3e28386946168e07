"""One audio timeline for the demo: coach speech, chimes and the "therapist's" commands.

Everything runs on a virtual clock (``EventClock``): speech is synthesized at
once and "plays" for its real duration in clock time, so the demo needs no
waiting and gives the same result every time.  Clock seconds *are* timeline
(audio) seconds: speech, chimes, cues and the therapist's words share one
clock (``--speed`` shortens the routine's timers instead, see demo/routine.py).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Callable

import numpy as np

from voice_coach.audio import tts
from voice_coach.audio.chimes import chime_audio
from voice_coach.audio.wavio import resample
from voice_coach.config import SpeechSettings
from voice_coach.live.clock import EventClock
from voice_coach.live.inbox import SpeechEnded, SpeechStarted
from voice_coach.recognition.base import SAMPLE_RATE_HZ


def speech_16k(text: str, settings: SpeechSettings) -> np.ndarray:
    samples, rate = tts.synthesize(text, settings)
    return resample(samples, rate, SAMPLE_RATE_HZ) if rate != SAMPLE_RATE_HZ else samples


@dataclass
class Clip:
    start_s: float  # timeline position
    samples: np.ndarray  # int16, 16 kHz
    source: str  # "coach", "chime", "you"


class Timeline:
    def __init__(self) -> None:
        self.clips: list[Clip] = []

    def add(self, start_s: float, samples: np.ndarray, source: str) -> Clip:
        clip = Clip(start_s, np.asarray(samples, dtype=np.int16), source)
        self.clips.append(clip)
        return clip

    def mix(self, tail_s: float = 0.5) -> np.ndarray:
        if not self.clips:
            return np.zeros(0, np.int16)
        end = max(int(c.start_s * SAMPLE_RATE_HZ) + len(c.samples) for c in self.clips)
        out = np.zeros(end + int(tail_s * SAMPLE_RATE_HZ), np.int32)
        for c in self.clips:
            i = int(c.start_s * SAMPLE_RATE_HZ)
            out[i:i + len(c.samples)] += c.samples
        return np.clip(out, -32768, 32767).astype(np.int16)


@dataclass
class _Utterance:
    uid: int
    text: str
    start: float  # clock
    end: float  # clock
    clip: Clip


class TimelineSpeaker:
    """The loop's speaker on the virtual clock: one utterance after another, cut off by ``stop``."""

    def __init__(self, clock: EventClock, timeline: Timeline, settings: SpeechSettings) -> None:
        self.clock = clock
        self.timeline = timeline
        self.settings = tts.clamp_settings(settings)
        self._queue: list[_Utterance] = []
        self.texts: dict[int, str] = {}
        self.cut_off: set[int] = set()  # utterances silenced part-way by stop()

    def _busy_until(self) -> float:
        return max([self.clock.now(), *(u.end for u in self._queue)])

    def say(self, text: str, utterance_id: int) -> None:
        samples = speech_16k(text, self.settings)
        start = self._busy_until()
        end = start + len(samples) / SAMPLE_RATE_HZ
        clip = self.timeline.add(start, samples, "coach")
        self._queue.append(_Utterance(utterance_id, text, start, end, clip))
        self.texts[utterance_id] = text
        self.clock.at(start, SpeechStarted(utterance_id, start))
        self.clock.at(end, SpeechEnded(utterance_id, end))

    def stop(self) -> None:
        now = self.clock.now()
        cut = [u for u in self._queue if u.end > now]
        ids = {u.uid for u in cut}
        self.clock.cancel(lambda item: isinstance(item, (SpeechStarted, SpeechEnded)) and item.utterance_id in ids)
        for u in cut:
            heard_s = max(0.0, now - u.start)
            u.clip.samples = u.clip.samples[: int(heard_s * SAMPLE_RATE_HZ)]
            if u.start <= now:
                self.cut_off.add(u.uid)
            # every dropped utterance is reported finished, so nothing waits for it
            self.clock.at(now, SpeechEnded(u.uid, now))
        self._queue = [u for u in self._queue if u.end <= now]

    def adjust(self, rate_delta_wpm: int, volume_delta: float) -> None:
        self.settings = tts.clamp_settings(dataclasses.replace(
            self.settings, rate_wpm=self.settings.rate_wpm + rate_delta_wpm,
            volume=self.settings.volume + volume_delta))

    def wait_idle(self, timeout: float) -> bool:
        return True  # the virtual clock delivers the remaining ends before the loop exits

    def close(self) -> None:
        pass


class TimelineChimes:
    def __init__(self, clock: EventClock, timeline: Timeline, volume: float) -> None:
        self.clock, self.timeline, self.volume = clock, timeline, volume

    def play(self, kind: str) -> None:
        self.timeline.add(self.clock.now(), chime_audio(kind, self.volume, SAMPLE_RATE_HZ), "chime")


class TimelineMicrophone:
    """The therapist's words go onto the timeline and, as one continuous stream, into the recognizer.

    ``hear`` feeds silence up to the words, the words, and enough silence after
    them for the recognizer to decide; it returns what was decided with the
    clock time of each decision.  A real microphone always hears a little room
    noise, so a quiet noise floor (about -60 dBFS) is added to what the
    recognizer gets; digitally silent gaps would be a condition no real
    microphone produces.
    """

    NOISE_RMS = 30.0

    def __init__(self, recognizer, timeline: Timeline, voice: SpeechSettings, after_s: float = 1.5) -> None:
        self.recognizer = recognizer
        self.timeline = timeline
        self.voice = voice
        self.after_s = after_s
        self.fed_s = 0.0  # audio seconds fed so far (recognizer positions count from 0)
        self._rng = np.random.default_rng(7)  # fixed seed: the same demo every time

    def hear(self, words: str, at: float, on_words: Callable[[float], None] | None = None):
        samples = speech_16k(words, self.voice)
        start_s = max(at, self.fed_s)
        self.timeline.add(start_s, samples, "you")
        gap = np.zeros(int(round((start_s - self.fed_s) * SAMPLE_RATE_HZ)), np.int16)
        tail = np.zeros(int(self.after_s * SAMPLE_RATE_HZ), np.int16)
        heard = []
        for part in (gap, samples, tail):
            heard += self.recognizer.accept(self._in_room(part))
            self.fed_s += len(part) / SAMPLE_RATE_HZ
        return start_s, [(h, h.at_s) for h in heard]

    def _in_room(self, samples: np.ndarray) -> np.ndarray:
        noise = self._rng.normal(0.0, self.NOISE_RMS, len(samples))
        return np.clip(samples + noise, -32768, 32767).astype(np.int16)
