"""Where voice profiles live: ``<data folder>/profiles/<name>.npz``, owner-only like the journal.

A profile file holds pooled speech embeddings and the command label of each
take, never audio.  The folder is 0700 and every file 0600 whatever the umask;
files are written to a private temporary file and renamed, so an interrupted
enrollment never leaves half a profile behind.
"""

from __future__ import annotations

import io
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voice_coach.config import data_dir
from voice_coach.enrollment.phrases import own_words
from voice_coach.errors import ConfigError
from voice_coach.private_files import PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, make_private_dirs
from voice_coach.recognition.neural.profile import POOL_VERSION, VoiceProfile

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}")


def profiles_dir() -> Path:
    return data_dir() / "profiles"


def check_name(name: str) -> str:
    if not _NAME.fullmatch(name or "") or name.endswith("."):
        raise ConfigError(f"{name!r} cannot be a profile name",
                          "use up to 40 letters, digits, '-', '_' or '.', starting with a letter or digit (e.g. anna)")
    return name


@dataclass(frozen=True)
class ProfileSummary:
    user: str
    takes: int
    commands: int
    complete: bool
    own_words: tuple[str, ...] = ()  # enrolled words beyond the core list


class ProfileStore:
    """Profiles in one folder (default: the per-user data folder's ``profiles``)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else profiles_dir()

    def path(self, name: str) -> Path:
        return self.folder / f"{check_name(name)}.npz"

    def exists(self, name: str) -> bool:
        return self.path(name).exists()

    def save(self, profile: VoiceProfile) -> Path:
        target = self.path(profile.user)
        self._make_folder()
        meta = dict(profile.meta, user=profile.user, labels=list(profile.labels), texts=list(profile.texts),
                    take_ids=list(profile.take_ids), pool_version=POOL_VERSION)
        buffer = io.BytesIO()
        np.savez_compressed(buffer, vectors=profile.vectors.astype(np.float32),
                            meta=np.frombuffer(json.dumps(meta, sort_keys=True).encode(), np.uint8))
        tmp = target.with_name(f".{target.name}.tmp")
        try:
            fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, PRIVATE_FILE_MODE)
            with os.fdopen(fd, "wb") as out:
                out.write(buffer.getvalue())
            os.chmod(tmp, PRIVATE_FILE_MODE)
            os.replace(tmp, target)
        except OSError as exc:
            raise ConfigError(f"cannot write the voice profile {target}: {exc.strerror}",
                              f"make {self.folder} writable, or set VOICE_COACH_DATA_DIR to a writable folder") from None
        return target

    def load(self, name: str) -> VoiceProfile:
        path = self.path(name)
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(bytes(data["meta"]).decode())
                vectors = data["vectors"].astype(np.float32)
        except FileNotFoundError:
            known = ", ".join(self.names()) or "none yet"
            raise ConfigError(f"there is no voice profile {name!r} (known: {known})",
                              f"enroll it with `voice-coach enroll --user {name}`, or leave the user out") from None
        except (KeyError, ValueError, OSError) as exc:
            raise ConfigError(f"the voice profile {path} is damaged ({exc})",
                              f"enroll again: `voice-coach enroll --forget {name}` then `voice-coach enroll --user {name}`") from None
        if meta.get("pool_version") != POOL_VERSION:
            raise ConfigError(f"the voice profile {path} was made by another version of voice-coach",
                              f"enroll again: `voice-coach enroll --forget {name}` then `voice-coach enroll --user {name}`")
        extra = {k: v for k, v in meta.items() if k not in ("user", "labels", "texts", "take_ids", "pool_version")}
        return VoiceProfile(meta["user"], tuple(meta["labels"]), vectors, tuple(meta.get("texts", ())), extra,
                            tuple(int(i) for i in meta.get("take_ids", ())))

    def forget(self, name: str) -> Path:
        path = self.path(name)
        try:
            path.unlink()
        except FileNotFoundError:
            known = ", ".join(self.names()) or "none"
            raise ConfigError(f"there is no voice profile {name!r} to forget (known: {known})",
                              "see them with `voice-coach enroll --list`") from None
        return path

    def names(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(p.stem for p in self.folder.glob("*.npz") if not p.name.startswith("."))

    def summaries(self) -> list[ProfileSummary]:
        out = []
        for name in self.names():
            profile = self.load(name)
            out.append(ProfileSummary(name, profile.takes, len(set(profile.labels)), bool(profile.meta.get("complete")),
                                      own_words(profile.texts)))
        return out

    def _make_folder(self) -> None:
        try:
            make_private_dirs(self.folder)
            os.chmod(self.folder, PRIVATE_DIR_MODE)  # the profiles folder is ours, also when it existed
        except OSError as exc:
            raise ConfigError(f"cannot create the profile folder {self.folder}: {exc.strerror}",
                              "set VOICE_COACH_DATA_DIR to a writable folder") from None
