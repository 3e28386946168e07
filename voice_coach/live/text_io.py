"""``--text`` mode: commands typed on stdin, speech printed when there is no speaker."""

from __future__ import annotations

import sys
import threading
from typing import Callable, Protocol, TextIO

from voice_coach.intents import Command
from voice_coach.live.inbox import HeardCommand, InboxItem, InputClosed, SpeechEnded, SpeechStarted


class Parser(Protocol):
    def parse(self, text: str) -> Command | None: ...


class TextCommandReader:
    """Reads lines from ``stream`` in a daemon thread and posts typed commands.

    The same grammar parser the recognizers use decides what a line means; a
    line that is no command gets a one-line hint instead of reaching the engine.
    End of input (EOF, Ctrl-D) posts ``InputClosed`` so the session ends cleanly.
    """

    def __init__(self, parser: Parser, post: Callable[[InboxItem], None], now: Callable[[], float],
                 stream: TextIO | None = None, out: TextIO | None = None, prompt: str = "you> ",
                 hint: Callable[[str], None] | None = None) -> None:
        """``hint``: where "not a command" goes (default: a line on ``out``)."""
        self.parser = parser
        self.post = post
        self.now = now
        self.stream = stream if stream is not None else sys.stdin
        self.out = out if out is not None else sys.stdout
        self.prompt = prompt
        self.hint = hint or self._print_hint
        self._thread = threading.Thread(target=self._run, name="text-commands", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def submit(self, line: str) -> None:
        """One typed line: post its command, or hint when it is none."""
        text = line.strip()
        if not text:
            return
        command = self.parser.parse(text)
        if command is None:
            self.hint(f"not a command: {text!r} — say 'help' for what you can say")
            return
        self.post(HeardCommand(command=command, heard_at=self.now(), text=text, typed=True))

    def _print_hint(self, text: str) -> None:
        self.out.write(f"  ({text})\n")
        self.out.flush()

    def _run(self) -> None:
        try:
            for line in self.stream:
                self.submit(line)
        except (OSError, ValueError) as exc:  # stdin closed under us
            self.post(InputClosed(f"input error: {exc}"))
            return
        self.post(InputClosed("end of input"))


class PrintSpeaker:
    """A speaker that prints instead of speaking (no output device, or --text without sound).

    Speech "finishes" at once, so the engine is never left waiting for audio.
    """

    def __init__(self, post: Callable[[InboxItem], None], now: Callable[[], float],
                 out: TextIO | None = None, prefix: str = "coach: ") -> None:
        self.post = post
        self.now = now
        self.out = out if out is not None else sys.stdout
        self.prefix = prefix
        self.rate_delta_wpm = 0
        self.volume_delta = 0.0

    def say(self, text: str, utterance_id: int) -> None:
        t = self.now()
        self.post(SpeechStarted(utterance_id, t))
        self.out.write(f"{self.prefix}{text}\n")
        self.out.flush()
        self.post(SpeechEnded(utterance_id, t))

    def stop(self) -> None:
        pass

    def adjust(self, rate_delta_wpm: int, volume_delta: float) -> None:
        self.rate_delta_wpm += rate_delta_wpm
        self.volume_delta += volume_delta

    def wait_idle(self, timeout: float) -> bool:
        return True

    def close(self) -> None:
        pass
