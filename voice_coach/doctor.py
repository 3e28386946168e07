"""``voice-coach check``: one OK/FAIL line per thing a clinic set-up needs, each FAIL with its fix.

Each check is a small function returning a ``CheckResult``; none raises, so one
broken part (say, no speaker) never hides the report on the others.
"""

from __future__ import annotations

import textwrap
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from voice_coach.config import Settings, config_file
from voice_coach.errors import VoiceCoachError

RECORD_SECONDS = 2.0
SILENT_DBFS = -70.0  # quieter than this over 2 s means the microphone delivers nothing useful
CLIPPING_PEAK = 32000  # int16 peak at which the input is overdriven


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str
    fix: str = ""

    def lines(self) -> list[str]:
        head = f"{'OK  ' if self.ok else 'FAIL'}  {self.name}: {self.detail}"
        return [head] + ([f"      fix: {self.fix}"] if self.fix and not self.ok else [])


def _guard(name: str, body: Callable[[], CheckResult]) -> CheckResult:
    """Turn any failure inside a check into a FAIL line instead of a traceback."""
    try:
        return body()
    except VoiceCoachError as exc:
        return CheckResult(name, False, exc.message, exc.fix)
    except Exception as exc:  # an unexpected library failure is still a finding, not a crash
        return CheckResult(name, False, f"{type(exc).__name__}: {exc}", "run `voice-coach check` again; report it if it persists")


def check_config(path: Path | None) -> CheckResult:
    from voice_coach.config import load_settings

    path = path or config_file()

    def body() -> CheckResult:
        load_settings(path)
        state = "loaded" if path.exists() else "not present, using defaults"
        return CheckResult("config", True, f"{path} ({state})")

    return _guard("config", body)


def check_routines(settings: Settings, extra_dirs: tuple[str, ...]) -> CheckResult:
    from voice_coach.routines.loader import load_library

    def body() -> CheckResult:
        library = load_library([*settings.routines_dirs, *extra_dirs])
        return CheckResult("routines", len(library) > 0, f"{len(library)} loaded: {', '.join(library.ids())}",
                           "add routine files or reinstall the package")

    return _guard("routines", body)


def check_devices(settings: Settings) -> CheckResult:
    from voice_coach.audio import devices

    def body() -> CheckResult:
        available = devices.list_devices()
        mic = devices.find_device(settings.audio.input_device, "input", available)
        spk = devices.find_device(settings.audio.output_device, "output", available)
        listing = "".join(f"\n      {kind}s:\n" + textwrap.indent(devices.describe(kind, available).strip(), "        ")
                          for kind in ("input", "output"))
        used = f"microphone = {mic.label() if mic else 'none'}; speaker = {spk.label() if spk else 'none'}"
        if mic and spk:
            return CheckResult("audio devices", True, used + listing)
        return CheckResult("audio devices", False, used + listing,
                           "plug in a USB microphone and a speaker, then pick them with --input-device / "
                           "--output-device or audio.input_device / audio.output_device in the config; "
                           "without sound hardware use `voice-coach run --text` or `voice-coach demo`")

    return _guard("audio devices", body)


def check_chime(settings: Settings) -> CheckResult:
    from voice_coach.audio.chimes import RATE_HZ, chime_audio
    from voice_coach.audio.player import ClipPlayer

    def body() -> CheckResult:
        player = ClipPlayer(settings.audio.output_device)
        played = player.play(chime_audio("attention", settings.audio.chime_volume), RATE_HZ)
        return CheckResult("test chime", True, f"played for {played.ended_at - played.started_at:.2f} s — did you hear it?")

    return _guard("test chime", body)


def check_speech(settings: Settings) -> CheckResult:
    from voice_coach.audio.player import ClipPlayer
    from voice_coach.audio.tts import synthesize

    def body() -> CheckResult:
        samples, rate = synthesize("This is voice coach. If you can hear me, the speaker works.", settings.speech)
        ClipPlayer(settings.audio.output_device).play(samples, rate)
        voice = settings.speech.voice or "default voice"
        return CheckResult("test sentence", True, f"spoke {len(samples) / rate:.1f} s ({voice}, {settings.speech.rate_wpm} wpm)")

    return _guard("test sentence", body)


def level_dbfs(samples: np.ndarray) -> tuple[float, int]:
    """RMS level in dB relative to int16 full scale, and the absolute peak."""
    if len(samples) == 0:
        return float("-inf"), 0
    x = samples.astype(np.float64)
    rms = float(np.sqrt(np.mean(x * x)))
    return (20 * np.log10(rms / 32768) if rms > 0 else float("-inf")), int(np.max(np.abs(x)))


def judge_level(samples: np.ndarray) -> CheckResult:
    db, peak = level_dbfs(samples)
    detail = f"recorded {len(samples) / 16000:.1f} s: level {db:.0f} dBFS, peak {peak}"
    if db < SILENT_DBFS:
        return CheckResult("microphone level", False, detail + " (silence)",
                           "check the microphone is plugged in and not muted (alsamixer, F4 for capture)")
    if peak >= CLIPPING_PEAK:
        return CheckResult("microphone level", False, detail + " (clipping)",
                           "lower the capture gain in alsamixer or move the microphone away from the speaker")
    return CheckResult("microphone level", True, detail + " — speak during the check to see a higher level")


def check_microphone(settings: Settings) -> CheckResult:
    from voice_coach.audio.microphone import SoundDeviceMicrophone

    def body() -> CheckResult:
        mic = SoundDeviceMicrophone(settings.audio.input_device)
        mic.start()
        blocks, deadline = [], time.monotonic() + RECORD_SECONDS + 1.0
        try:
            while sum(map(len, blocks)) < RECORD_SECONDS * 16000 and time.monotonic() < deadline:
                block = mic.read(timeout=0.2)
                if block is not None:
                    blocks.append(block)
        finally:
            mic.stop()
        return judge_level(np.concatenate(blocks) if blocks else np.zeros(0, np.int16))

    return _guard("microphone level", body)


def check_recognizer(settings: Settings, engine: str | None, model_dir: str | None,
                     extra_dirs: tuple[str, ...] = ()) -> CheckResult:
    from voice_coach.recognition.factory import choose_engine, make_recognizer
    from voice_coach.recognition.vosk_model import model_problem
    from voice_coach.routines.loader import load_library

    def body() -> CheckResult:
        choice = choose_engine(settings, engine, model_dir)
        if choice.model is not None and (problem := model_problem(choice.model)):
            return CheckResult("recognizer", False, f"{choice.describe()}: the model {problem}",
                               "download it again with `voice-coach download-model`")
        started = time.monotonic()
        recognizer = make_recognizer(settings, load_library([*settings.routines_dirs, *extra_dirs]), engine, model_dir)
        # One second of silence proves the engine decodes, not just that its files exist.
        recognizer.accept(np.zeros(16000, np.int16))
        recognizer.flush()
        detail = f"{choice.describe()}; loaded and decoded in {time.monotonic() - started:.1f} s"
        missing = [label.partition("=")[2] for label in getattr(getattr(recognizer, "classes", None), "missing", ())
                   if label.startswith("start_routine:")]
        if missing and choice.engine == "neural":
            return CheckResult("recognizer", False,
                               f"{detail}; the neural model does not know the routine name(s) of: {', '.join(missing)}",
                               "use the default fused engine (PocketSphinx's grammar decodes every routine name) "
                               "or retrain with scripts/train_command_model.py")
        if missing:
            detail += (f"; routine name(s) not in the neural model, decoded by PocketSphinx's grammar: "
                       f"{', '.join(missing)}")
        return CheckResult("recognizer", True, detail)

    return _guard("recognizer", body)


def check_profile(settings: Settings, engine: str | None, model_dir: str | None) -> CheckResult:
    from voice_coach.enrollment.active import describe_profile
    from voice_coach.recognition.factory import choose_engine

    def body() -> CheckResult:
        ok, line = describe_profile(settings, choose_engine(settings, engine, model_dir).engine)
        return CheckResult("voice profile", ok, line, "see `voice-coach enroll --list`")

    return _guard("voice profile", body)


def check_journal(settings: Settings) -> CheckResult:
    from voice_coach.journal.files import journal_path
    from voice_coach.journal.store import Journal

    def body() -> CheckResult:
        if not settings.journal.enabled:
            return CheckResult("journal", True, "disabled in the config")
        path = journal_path(settings.journal)
        with Journal.open(path) as journal:
            state = journal.integrity_check()
        return CheckResult("journal", state == "ok", f"{path} (integrity {state})",
                           "move the damaged file aside; a new journal is created on the next start")

    return _guard("journal", body)


def run_checks(settings: Settings, *, config_path: Path | None, routines_dirs: tuple[str, ...] = (),
               engine: str | None = None, model_dir: str | None = None, sound: bool = True,
               report: Callable[[CheckResult], None] = lambda r: None) -> list[CheckResult]:
    """Run every check in order, reporting each as soon as it is known (the sound checks take seconds)."""
    steps: list[Callable[[], CheckResult]] = [
        lambda: check_config(config_path),
        lambda: check_routines(settings, routines_dirs),
        lambda: check_recognizer(settings, engine, model_dir, routines_dirs),
        lambda: check_profile(settings, engine, model_dir),
        lambda: check_journal(settings),
        lambda: check_devices(settings),
    ]
    results = []
    for run in steps:
        results.append(run())
        report(results[-1])
    if not sound:
        return results
    # Without a device the play/record checks could only repeat the device FAIL above.
    has_devices = results[-1].ok
    for name, run in (("test chime", check_chime), ("test sentence", check_speech), ("microphone level", check_microphone)):
        result = run(settings) if has_devices else CheckResult(name, False, "not tried: no sound device",
                                                               "see audio devices above")
        report(result)
        results.append(result)
    return results
