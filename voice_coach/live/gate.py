"""Self-trigger protection: which heard commands are the therapist's, not the coach's echo.

The microphone hears the coach's own voice (speaker echo).  Everything the
coach says passes through the recognizer, and a sentence such as "say yes or
no" ends in a perfectly clear "no".  The rule that keeps the coach deaf to
itself while never dropping the therapist:

1. **Coach silent: every command counts.**  Words that ended with the coach
   quiet — and more than ``echo_tail_s`` after it went quiet (device buffers
   and room echo still carry its voice) — are the therapist's.
2. **Coach audible: louder than the echo.**  A command of *any* intent whose
   words overlap the coach's voice must stand clearly above the coach's echo
   on the microphone: the utterance level divided by the echo level
   (measured on the same microphone while the coach spoke) must reach
   ``min_loudness_ratio``.  The coach's own "no" has a ratio near 1 and is
   taken for what it is, its echo; the therapist's voice passes, whatever it
   says, and the engine answers it at once (it cuts in: see
   ``voice_coach.session.engine``).  With no echo level to compare (nothing
   was playing under the words) the words cannot be the coach's.

Typed commands are never gated: a keyboard has no echo.
"""

from __future__ import annotations

from dataclasses import dataclass

from voice_coach.live.inbox import HeardCommand


@dataclass(frozen=True)
class GateSettings:
    """echo_tail_s: seconds after the speaker stops during which the mic still hears it.
    decision_delay_s: how long after the words end a recognizer decides (its
        end-of-command silence), used to estimate when the words ended.
    min_loudness_ratio: utterance level / echo level a command over the coach needs (2.0 ≈ +6 dB).
    """

    echo_tail_s: float = 0.35
    decision_delay_s: float = 0.25
    min_loudness_ratio: float = 2.0


@dataclass(frozen=True)
class Verdict:
    """accepted: the therapist's command; otherwise ``reason`` says why it was taken for the coach's echo."""

    accepted: bool
    reason: str


class SpeechGate:
    """Remembers when the coach spoke and judges heard commands against that."""

    def __init__(self, settings: GateSettings | None = None) -> None:
        self.settings = settings or GateSettings()
        self._spans: list[list[float | None]] = []  # [start, end or None while speaking]

    def speech_started(self, at: float) -> None:
        self._spans.append([at, None])
        # Only the last few spans can overlap a command being decided now.
        del self._spans[:-8]

    def speech_ended(self, at: float) -> None:
        for span in reversed(self._spans):
            if span[1] is None:
                span[1] = at
                return

    def speaking_at(self, t: float) -> bool:
        """Could the microphone have been hearing the coach at clock time ``t``?"""
        tail = self.settings.echo_tail_s
        for start, end in self._spans:
            if start <= t and (end is None or t <= end + tail):
                return True
        return False

    def judge(self, heard: HeardCommand) -> Verdict:
        if heard.typed:
            return Verdict(True, "typed")
        words_end = heard.heard_at - self.settings.decision_delay_s
        if not (self.speaking_at(words_end) or self.speaking_at(heard.heard_at)):
            return Verdict(True, "coach silent")
        ratio = heard.loudness_ratio
        if ratio is not None and ratio < self.settings.min_loudness_ratio:
            return Verdict(False, f"the coach's own echo: not louder than it "
                                  f"(×{ratio:.1f} < ×{self.settings.min_loudness_ratio:.1f})")
        return Verdict(True, "over the coach")
