"""Run ``voice-coach`` as a subprocess and read its output lines with arrival times."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QUICK_ROUTINES = Path(__file__).parent / "data"


def no_sound_env(extra: dict | None = None) -> dict:
    """The test's environment without any PulseAudio server: no sound device at all."""
    env = {k: v for k, v in os.environ.items() if k not in ("PULSE_SERVER", "PULSE_RUNTIME_PATH")}
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra or {})
    return env


class CoachProcess:
    """``voice-coach ARGS`` with stdin to write to and stdout lines timed on arrival."""

    def __init__(self, args: list[str], env: dict) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "voice_coach", *args], cwd=ROOT, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, bufsize=1)
        self.lines: "queue.Queue[tuple[float, str]]" = queue.Queue()
        self.seen: list[tuple[float, str]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put((time.monotonic(), line.rstrip("\n")))

    def send(self, text: str) -> None:
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()

    def wait_for(self, fragment: str, timeout: float = 15.0) -> float:
        """Arrival time of the first not-yet-seen line containing ``fragment``."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.proc.kill()
                raise AssertionError(f"no line with {fragment!r}; got:\n" + "\n".join(l for _, l in self.seen))
            try:
                t, line = self.lines.get(timeout=remaining)
            except queue.Empty:
                continue
            self.seen.append((t, line))
            if fragment in line:
                return t

    def finish(self, timeout: float = 15.0) -> tuple[int, str]:
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        rc = self.proc.wait(timeout)
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return rc, self.proc.stderr.read()
