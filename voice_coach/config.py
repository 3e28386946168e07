"""Settings: frozen dataclasses (units in docstrings) loaded from a TOML file.

The config file lives in the per-user config folder (``voice-coach check``
prints its path); every key is optional.  Command-line flags override it.
Sections map one-to-one onto the dataclasses below: ``[speech]``, ``[audio]``,
``[recognizer]``, ``[session]``, ``[journal]``, plus top-level ``routines_dirs``.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from voice_coach.errors import ConfigError

APP_NAME = "voice-coach"


@dataclass(frozen=True)
class SpeechSettings:
    """rate_wpm: speaking rate, words per minute (default 160).
    volume: speech volume, 0.0–1.0 (default 0.9).
    voice: espeak-ng voice id such as "en-us" or "en-gb+f3"; "" = engine default.
    rate_step_wpm: how much "slower"/"faster" change the rate, words per minute.
    volume_step: how much "louder"/"quieter" change the volume, 0.0–1.0.
    """

    rate_wpm: int = 160
    volume: float = 0.9
    voice: str = ""
    rate_step_wpm: int = 20
    volume_step: float = 0.1


@dataclass(frozen=True)
class AudioSettings:
    """input_device / output_device: sounddevice name or index; "" = system default.
    chime_volume: loudness of chimes, 0.0–1.0.
    """

    input_device: str = ""
    output_device: str = ""
    chime_volume: float = 0.5


@dataclass(frozen=True)
class RecognizerSettings:
    """engine: "auto" (Vosk when a model is found, else "fused"), "fused" (PocketSphinx + the neural
        command model behind a verifier), "neural", "sphinx" or "vosk".
    model_dir: Vosk model folder; "" = $VOICE_COACH_MODEL, then ./models/.
    wake_word: when set (e.g. "coach"), commands count only after it ("coach next");
        "stop" always works.  "" = off.
    user: voice profile made with ``voice-coach enroll --user NAME``, used by the neural
        and fused engines; "" = none.
    """

    engine: str = "auto"
    model_dir: str = ""
    wake_word: str = ""
    user: str = ""


@dataclass(frozen=True)
class SessionSettings:
    """final_warning_s: seconds before the end of a timer at which "ten seconds" is said.
    halfway_cue: announce the halfway point of every timer of 60 s or more.
    progress_log_s: how often (seconds) progress is journaled for resume after a power cut.
    """

    final_warning_s: int = 10
    halfway_cue: bool = True
    progress_log_s: float = 5.0


@dataclass(frozen=True)
class JournalSettings:
    """path: SQLite journal file; "" = the per-user data folder.
    enabled: write a journal at all.
    """

    path: str = ""
    enabled: bool = True


@dataclass(frozen=True)
class Settings:
    speech: SpeechSettings = field(default_factory=SpeechSettings)
    audio: AudioSettings = field(default_factory=AudioSettings)
    recognizer: RecognizerSettings = field(default_factory=RecognizerSettings)
    session: SessionSettings = field(default_factory=SessionSettings)
    journal: JournalSettings = field(default_factory=JournalSettings)
    routines_dirs: tuple[str, ...] = ()


def config_dir() -> Path:
    """Per-user config folder ($VOICE_COACH_CONFIG_DIR overrides)."""
    env = os.environ.get("VOICE_COACH_CONFIG_DIR")
    return Path(env) if env else Path(platformdirs.user_config_dir(APP_NAME))


def data_dir() -> Path:
    """Per-user data folder ($VOICE_COACH_DATA_DIR overrides)."""
    env = os.environ.get("VOICE_COACH_DATA_DIR")
    return Path(env) if env else Path(platformdirs.user_data_dir(APP_NAME))


def config_file() -> Path:
    return config_dir() / "config.toml"


def user_routines_dir() -> Path:
    return config_dir() / "routines"


_SECTIONS = {f.name: f.type for f in dataclasses.fields(Settings) if f.name != "routines_dirs"}


def _build_section(name: str, cls: type, raw: Any, path: Path) -> Any:
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: [{name}] must be a table", f"write it as a [{name}] section")
    known = {f.name: f for f in dataclasses.fields(cls)}
    values = {}
    for key, value in raw.items():
        if key not in known:
            raise ConfigError(
                f"{path}: unknown setting {name}.{key}",
                f"allowed in [{name}]: {', '.join(sorted(known))}",
            )
        default = known[key].default
        expected = type(default)
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise ConfigError(
                f"{path}: {name}.{key} = {value!r} is a {type(value).__name__}",
                f"use a {expected.__name__}, e.g. {name}.{key} = {default!r}",
            )
        values[key] = value
    return cls(**values)


def load_settings(path: Path | None = None) -> Settings:
    """Read the TOML config (missing file = defaults); errors name the file and key."""
    path = path or config_file()
    if not path.exists():
        return Settings()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})", "fix the syntax or delete the file") from None
    sections = {}
    for key, value in raw.items():
        if key == "routines_dirs":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{path}: routines_dirs must be a list of folder paths",
                                  'e.g. routines_dirs = ["/home/pi/my-routines"]')
            sections[key] = tuple(value)
        elif key in _SECTIONS:
            cls = {f.name: f.default_factory for f in dataclasses.fields(Settings) if f.name == key}[key]
            sections[key] = _build_section(key, cls, value, path)
        else:
            raise ConfigError(f"{path}: unknown section [{key}]",
                              f"allowed: {', '.join(sorted([*_SECTIONS, 'routines_dirs']))}")
    return Settings(**sections)


def override(settings: Settings, section: str, **changes: Any) -> Settings:
    """Return settings with some fields of one section replaced (None values ignored)."""
    changes = {k: v for k, v in changes.items() if v is not None}
    if not changes:
        return settings
    return dataclasses.replace(settings, **{section: dataclasses.replace(getattr(settings, section), **changes)})
