"""A private PulseAudio server with a virtual speaker and a virtual microphone, for real-audio tests.

Registered for the whole suite from tests/conftest.py (``pytest_plugins``), so any
test can ask for the session-scoped ``audio_stack`` fixture::

    @pytest.mark.audio
    def test_it_speaks(audio_stack, tmp_path):
        with audio_stack.record_speaker(tmp_path / "out.raw") as rec:   # what reaches the speaker
            audio_stack.play_into_mic("commands.wav")                     # "say" it into the mic
            ...run the code under test with device=audio_stack.device ("pulse")...
        heard = rec.samples()                                             # int16 mono 16 kHz

While the fixture is alive ``PULSE_SERVER``/``XDG_RUNTIME_DIR`` point at the
private server in this process, so sounddevice (re-initialized here, because
PortAudio lists devices only when it initializes) and every subprocess started
afterwards (``voice-coach run`` …) use it; pass ``audio_stack.env`` explicitly
if you build a subprocess environment from scratch.  Sinks: ``vspk`` (the
speaker; record ``vspk.monitor``) and ``micfeed`` whose monitor is remapped as
the source ``vmic`` (the microphone).  The test is skipped — with the reason —
only when ``pulseaudio`` cannot start.  The server is stopped by its PID.

A test that needs its own server (e.g. to kill it as an "unplug") uses
``start_audio_stack(dir)`` + ``with activated(stack):`` + ``stop_audio_stack(stack)``;
``activated`` restores the environment and PortAudio's device list afterwards.
``scripts/pulse-virtual`` starts the same stack from a shell for manual tries.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np
import pytest

RATE_HZ = 16000
_CONFIG = """\
load-module module-native-protocol-unix auth-anonymous=1 socket={dir}/native
load-module module-null-sink sink_name=vspk rate=16000 channels=1 norewinds=1
load-module module-null-sink sink_name=micfeed rate=16000 channels=1 norewinds=1
load-module module-remap-source source_name=vmic master=micfeed.monitor
set-default-sink vspk
set-default-source vmic
"""


@dataclass
class Recording:
    """What the virtual speaker played while the ``record_speaker`` block ran."""

    path: Path
    started_at: float  # monotonic time parec was started (its first sample is a little later)
    _samples: np.ndarray | None = field(default=None, repr=False)

    def samples(self) -> np.ndarray:
        if self._samples is None:
            self._samples = np.frombuffer(self.path.read_bytes(), dtype="<i2").astype(np.int16)
        return self._samples


@dataclass
class AudioStack:
    dir: Path
    env: dict[str, str]  # the variables that point clients at this server
    process: subprocess.Popen  # the server we started (stopped through its PID, never by name)
    device: str = "pulse"  # the PortAudio/ALSA device that reaches the server
    speaker_sink: str = "vspk"
    mic_sink: str = "micfeed"
    mic_source: str = "vmic"

    def _child_env(self) -> dict[str, str]:
        return {**os.environ, **self.env}

    def play_into_mic(self, wav_path: str | Path, wait: bool = True) -> subprocess.Popen:
        """Play a WAV into the virtual microphone at real-time pace (paplay -d micfeed)."""
        proc = subprocess.Popen(["paplay", "-d", self.mic_sink, str(wav_path)], env=self._child_env(),
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if wait:
            _, err = proc.communicate(timeout=120)
            if proc.returncode:
                raise RuntimeError(f"paplay failed: {err.decode(errors='replace').strip()}")
        return proc

    @contextlib.contextmanager
    def record_speaker(self, path: str | Path, lead_s: float = 0.5) -> Iterator[Recording]:
        """Record the speaker's monitor into ``path`` (raw s16le 16 kHz mono) for the block's duration.

        A file, not a pipe: reading parec's stdout can overrun and drop audio.
        """
        path = Path(path)
        with open(path, "wb") as sink:
            proc = subprocess.Popen(["parec", "-d", f"{self.speaker_sink}.monitor", f"--rate={RATE_HZ}",
                                     "--channels=1", "--format=s16le", "--raw"],
                                    stdout=sink, stderr=subprocess.DEVNULL, env=self._child_env())
            rec = Recording(path, time.monotonic())
            # parec needs a moment before it captures anything: wait until it wrote audio (the
            # monitor of a null sink delivers silence all along), and at least ``lead_s``.
            _wait_for_bytes(path, 1, proc)
            time.sleep(max(0.0, rec.started_at + lead_s - time.monotonic()))
            try:
                yield rec
            finally:
                # Let the sink's buffers drain into the file: wait until it holds audio up to
                # 0.3 s after now.  Its first sample came after started_at, so this many samples
                # are enough however late parec started or how far its writes lag behind.
                wanted_s = time.monotonic() + 0.3 - rec.started_at
                _wait_for_bytes(path, int(wanted_s * RATE_HZ) * 2, proc)
                proc.send_signal(signal.SIGTERM)  # SIGINT is ignored in a suite run as a background job
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()

    def reinit_portaudio(self) -> None:
        """Make this process's PortAudio list the current devices."""
        import sounddevice as sd

        sd._terminate()
        sd._initialize()


def _wait_for_bytes(path: Path, size: int, proc: subprocess.Popen, timeout: float = 30.0) -> None:
    """Until ``path`` holds ``size`` bytes (or the recorder died, or a loaded machine took ``timeout`` s)."""
    deadline = time.monotonic() + timeout
    while path.stat().st_size < size and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)


def _wait_ready(env: dict[str, str], proc: subprocess.Popen, timeout: float = 60.0) -> str | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return f"pulseaudio exited with code {proc.returncode}"
        ok = subprocess.run(["pactl", "info"], env={**os.environ, **env}, capture_output=True).returncode == 0
        if ok:
            return None
        time.sleep(0.05)
    return f"pulseaudio did not answer within {timeout:.0f} s"


def start_audio_stack(base: Path) -> tuple[AudioStack | None, str]:
    """Start the server under ``base``; returns (stack, "") or (None, reason)."""
    missing = [tool for tool in ("pulseaudio", "pactl", "paplay", "parec") if shutil.which(tool) is None]
    if missing:
        return None, f"not installed: {', '.join(missing)} (apt-get install pulseaudio pulseaudio-utils)"
    run_dir, home = base / "run", base / "home"
    run_dir.mkdir(mode=0o700, parents=True)
    home.mkdir()
    (base / "default.pa").write_text(_CONFIG.format(dir=base))
    env = {"XDG_RUNTIME_DIR": str(run_dir), "PULSE_SERVER": f"unix:{base}/native",
           "PULSE_COOKIE": str(base / "cookie")}
    log = base / "pa.log"
    proc = subprocess.Popen(
        ["pulseaudio", "-n", "-F", str(base / "default.pa"), "--daemonize=no", "--exit-idle-time=-1",
         "--use-pid-file=no", "--disable-shm=yes", f"--log-target=file:{log}"],
        env={**os.environ, **env, "HOME": str(home)}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    problem = _wait_ready(env, proc)
    if problem:
        if proc.poll() is None:
            proc.kill()
        err = proc.stderr.read().decode(errors="replace").strip() if proc.poll() is not None else ""
        tail = log.read_text(errors="replace").strip().splitlines()[-3:] if log.exists() else []
        return None, "; ".join(filter(None, [problem, err, *tail]))
    return AudioStack(dir=base, env=env, process=proc), ""


def stop_audio_stack(stack: AudioStack) -> None:
    proc = stack.process
    if proc.poll() is None:
        proc.terminate()  # SIGTERM to that PID
        try:
            proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def activated(stack: AudioStack) -> Iterator[AudioStack]:
    """Point this process (env + PortAudio) at ``stack`` for the block, then back to what it was."""
    saved = {key: os.environ.get(key) for key in stack.env}
    os.environ.update(stack.env)
    try:
        stack.reinit_portaudio()
        yield stack
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        with contextlib.suppress(Exception):
            stack.reinit_portaudio()  # forget this server's devices


@contextlib.contextmanager
def running_audio_stack(base: Path) -> Iterator[AudioStack]:
    """A server of its own under ``base``, this process pointed at it, stopped afterwards;
    the test is skipped (saying why) when PulseAudio cannot start."""
    stack, reason = start_audio_stack(base)
    if stack is None:
        print(f"\naudio_stack: PulseAudio could not start: {reason}")
        pytest.skip(f"PulseAudio could not start: {reason}")
    try:
        with activated(stack):
            yield stack
    finally:
        stop_audio_stack(stack)


@pytest.fixture(scope="session")
def audio_stack() -> Iterator[AudioStack]:
    base = Path(tempfile.mkdtemp(prefix="vc-pulse-"))
    try:
        with running_audio_stack(base) as stack:
            yield stack
    finally:
        shutil.rmtree(base, ignore_errors=True)
