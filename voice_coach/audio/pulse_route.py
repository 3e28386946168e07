"""Is our recording stream still on a microphone?  Asked of the PulseAudio/PipeWire server.

When the source a stream records from disappears (a USB microphone unplugged on a machine
whose sound goes through PulseAudio or PipeWire), the server does not fail the stream: it
moves it to another source, typically the *monitor* of a speaker.  PortAudio sees nothing
wrong, blocks keep coming, and the coach would listen to its own voice without ever saying
the microphone stopped (measured on the tests' virtual stack: the stream lands on
``vspk.monitor``).  The server knows: ``pactl`` lists this process's recording streams and
the source each one is on.

Without ``pactl`` or a reachable server (Raspberry Pi OS Lite: the coach talks to ALSA
directly, and an unplug fails the stream, which the microphone already handles) there is
nothing to ask and the answer is "unknown".
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from typing import Callable

Runner = Callable[[list[str]], str | None]  # pactl arguments -> stdout, None when pactl failed


def _run_pactl(args: list[str]) -> str | None:
    try:
        done = subprocess.run(["pactl", "-f", "json", *args], capture_output=True, text=True, timeout=3)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


class PulseRoute:
    """Where this process's recording streams are, according to the sound server."""

    def __init__(self, pid: int | None = None, runner: Runner | None = None) -> None:
        self.pid = str(os.getpid() if pid is None else pid)
        self._run = runner or (_run_pactl if shutil.which("pactl") else None)
        self.last_source = ""  # name of the source our stream was last seen on

    def on_microphone(self) -> bool | None:
        """False when a recording stream of ours sits on a monitor (a speaker's output), not a
        microphone; True when all of ours are on real sources; None when the server cannot be
        asked or lists no stream of ours."""
        if self._run is None:
            return None
        outputs, sources = self._list("source-outputs"), self._list("sources")
        if outputs is None or sources is None:
            return None
        by_index = {s.get("index"): s for s in sources}
        ours = [by_index.get(o.get("source"), {}) for o in outputs
                if str(o.get("properties", {}).get("application.process.id")) == self.pid]
        if not ours:
            return None
        self.last_source = str(ours[-1].get("name", ""))
        return not any(s.get("properties", {}).get("device.class") == "monitor" for s in ours)

    def _list(self, kind: str) -> list[dict] | None:
        out = self._run(["list", kind])
        if out is None:
            return None
        try:
            parsed = json.loads(out)
        except ValueError:
            return None
        return parsed if isinstance(parsed, list) else None
