"""Run ``voice-coach`` as a subprocess and read its output lines with arrival times."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.waiting import PATIENCE_S

ROOT = Path(__file__).resolve().parents[2]
QUICK_ROUTINES = Path(__file__).parent / "data"
_SPEECH = re.compile(r"speech (-?\d+) (started|ended)")


def no_sound_env(extra: dict | None = None) -> dict:
    """The test's environment without any PulseAudio server: no sound device at all."""
    env = {k: v for k, v in os.environ.items() if k not in ("PULSE_SERVER", "PULSE_RUNTIME_PATH")}
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra or {})
    return env


def _default_sigint() -> None:
    # A suite started as a background job (`bash .ci/run &`, nohup) hands its children SIGINT
    # ignored, and Python keeps an inherited "ignore": Ctrl-C tests would then wait forever.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class CoachProcess:
    """``voice-coach ARGS`` with stdin to write to and stdout lines timed on arrival."""

    def __init__(self, args: list[str], env: dict) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "voice_coach", *args], cwd=ROOT, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, bufsize=1, preexec_fn=_default_sigint)
        self.lines: "queue.Queue[tuple[float, str]]" = queue.Queue()
        self.seen: list[tuple[float, str]] = []
        self.log: list[tuple[float, str]] = []  # stderr lines (``-v`` logs what was heard and said)
        self._readers = [threading.Thread(target=self._read, daemon=True),
                         threading.Thread(target=self._read_log, daemon=True)]
        for reader in self._readers:
            reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put((time.monotonic(), line.rstrip("\n")))

    def _read_log(self) -> None:
        for line in self.proc.stderr:
            self.log.append((time.monotonic(), line.rstrip("\n")))

    def wait_until_silent(self, timeout: float = PATIENCE_S, settle_s: float = 0.4) -> None:
        """Wait until every utterance the coach started has ended (needs ``-v``) and nothing new came."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            events = [m.groups() for _, l in self.log if (m := _SPEECH.search(l))]
            started = {uid for uid, what in events if what == "started"}
            ended = {uid for uid, what in events if what == "ended"}
            last = self.log[-1][0] if self.log else 0.0
            said = sum(l.startswith("coach:") for _, l in [*self.seen, *list(self.lines.queue)])
            engine_ended = {uid for uid in ended if not uid.startswith("-")}
            if (started <= ended and len(engine_ended) >= said
                    and time.monotonic() - last >= settle_s):
                return
            time.sleep(0.05)
        raise AssertionError("the coach did not fall silent; log:\n" + "\n".join(l for _, l in self.log[-20:]))

    def send(self, text: str) -> None:
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()

    def wait_for(self, fragment: str, timeout: float = PATIENCE_S, kill: bool = True) -> float:
        """Arrival time of the first not-yet-seen line containing ``fragment`` (else kill, fail)."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                if kill:
                    self.proc.kill()
                t0 = self.seen[0][0] if self.seen else 0.0
                raise AssertionError(f"no line with {fragment!r}; got:\n" + "\n".join(l for _, l in self.seen)
                                     + "\nlog:\n" + "\n".join(f"{t - t0:7.2f} {l}" for t, l in self.log[-25:]))
            try:
                t, line = self.lines.get(timeout=remaining)
            except queue.Empty:
                continue
            self.seen.append((t, line))
            if fragment in line:
                return t

    def finish(self, timeout: float = PATIENCE_S) -> tuple[int, str]:
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        rc = self.proc.wait(timeout)
        for reader in self._readers:  # they end at the pipes' end: then every line is taken
            reader.join(timeout)
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return rc, "\n".join(l for _, l in self.log)
