"""Fetch and unpack the Vosk English model (the only thing voice-coach ever downloads).

Safety rules, because a model zip is untrusted input:
* the archive's SHA-256 must match before anything is extracted;
* every member must land inside the destination folder: absolute paths, ".."
  parts and symbolic links are refused (zip-slip), as are absurd sizes;
* extraction goes to a temporary folder beside the destination and is moved
  into place with one rename, so an interrupted run never leaves a
  half-written model that the coach would try to load.

The checksum: alphacephei.com publishes no digest for its models.  The pinned
value below is the SHA-256 of the 41,205,931-byte archive as recorded
independently by several public projects that pin this exact file (among them
an Arch Linux PKGBUILD); they all agree.  ``--sha256`` overrides it (e.g. for
a mirror that repacked the model).
"""

from __future__ import annotations

import hashlib
import http.client
import os
import shutil
import stat
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable

from voice_coach.errors import RecognizerError
from voice_coach.recognition.vosk_model import looks_like_vosk_model, model_problem

MODEL_NAME = "vosk-model-small-en-us-0.15"
MODEL_URL = f"https://alphacephei.com/vosk/models/{MODEL_NAME}.zip"
MODEL_SHA256 = "30f26242c4eb449f948e42cb302dd7a686cb29a3423a8367f99ff41780942498"
MODEL_SIZE_BYTES = 41_205_931
MAX_UNPACKED_BYTES = 2 * 1024**3  # the small model unpacks to ~70 MB; anything near this is not a model
CHUNK_BYTES = 64 * 1024
TIMEOUT_S = 60.0

_NOT_GENUINE = "the archive is not a genuine Vosk model; do not use it"
Progress = Callable[[int, int | None], None]  # (bytes so far, total bytes or None)


class ModelDownloadError(RecognizerError):
    """The model could not be downloaded, verified or unpacked."""


@dataclass(frozen=True)
class ModelSource:
    """name: the folder the model ends up in; size_bytes: None = not pinned."""

    name: str = MODEL_NAME
    url: str = MODEL_URL
    sha256: str = MODEL_SHA256
    size_bytes: int | None = MODEL_SIZE_BYTES


DEFAULT_SOURCE = ModelSource()


def download_model(dest: Path | str, source: ModelSource = DEFAULT_SOURCE, progress: Progress | None = None,
                   timeout_s: float = TIMEOUT_S) -> Path:
    """Download, verify and unpack the model into ``dest/<source.name>``; returns that folder.

    An existing complete model there is kept and returned without downloading.
    """
    dest = Path(dest)
    target = dest / source.name
    if target.exists():
        if model_problem(target) is None:
            return target
        raise ModelDownloadError(f"{target} exists but is not a complete model ({model_problem(target)})",
                                 f"delete {target} and run the download again")
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelDownloadError(f"cannot create {dest} ({exc.strerror or exc})", "choose another --dest") from None
    fd, part_name = tempfile.mkstemp(dir=dest, prefix=f".{source.name}-", suffix=".zip.part")
    part = Path(part_name)
    try:
        with os.fdopen(fd, "wb") as out:
            digest = _fetch(source, out, progress, timeout_s)
        if digest != source.sha256.lower():
            raise ModelDownloadError(
                f"checksum mismatch for {source.url}: got sha256 {digest}, expected {source.sha256}",
                "the download is damaged or not the expected file: try again; if a mirror repacked it, "
                "pass its checksum with --sha256")
        return _unpack(part, dest, target)
    finally:
        part.unlink(missing_ok=True)


def _fetch(source: ModelSource, out, progress: Progress | None, timeout_s: float) -> str:
    fix = "check the internet connection and try again, or download the zip on another computer and unzip it into models/"
    sha = hashlib.sha256()
    done = 0
    try:
        with urllib.request.urlopen(source.url, timeout=timeout_s) as response:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else source.size_bytes
            while chunk := response.read(CHUNK_BYTES):
                sha.update(chunk)
                out.write(chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)
    except urllib.error.HTTPError as exc:
        raise ModelDownloadError(f"download of {source.url} failed: HTTP {exc.code} {exc.reason}", fix) from None
    except (urllib.error.URLError, OSError) as exc:  # no network, refused, timed out
        reason = getattr(exc, "reason", None) or exc
        raise ModelDownloadError(f"download of {source.url} failed ({reason})", fix) from None
    except http.client.HTTPException as exc:  # e.g. IncompleteRead: the connection dropped mid-way
        raise ModelDownloadError(f"download of {source.url} was cut off after {done} bytes ({type(exc).__name__})",
                                 fix) from None
    if length and length.isdigit() and done < int(length):
        raise ModelDownloadError(f"download of {source.url} was cut off: {done} of {length} bytes", fix)
    if source.size_bytes is not None and done != source.size_bytes:
        raise ModelDownloadError(f"{source.url} is {done} bytes, expected {source.size_bytes}",
                                 "try again later; if the file really changed, pass its checksum with --sha256")
    return sha.hexdigest()


def unsafe_member(info: zipfile.ZipInfo) -> str | None:
    """Why this zip member must not be extracted, or None when it is safe."""
    name = info.filename
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return "absolute path"
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if ".." in parts:
        return "path leaves the folder ('..')"
    kind = stat.S_IFMT(info.external_attr >> 16)  # 0 when the zip was not made on Unix
    if kind == stat.S_IFLNK:
        return "symbolic link"
    if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
        return "special file"
    return None


def _unpack(archive: Path, dest: Path, target: Path) -> Path:
    try:
        zf = zipfile.ZipFile(archive)
    except zipfile.BadZipFile:
        raise ModelDownloadError(f"the download is not a zip archive ({archive.name})",
                                 "the server sent something else: try again later") from None
    staging = Path(tempfile.mkdtemp(dir=dest, prefix=f".{target.name}-unpack-"))
    try:
        with zf:
            members = zf.infolist()
            for info in members:  # check everything before writing anything
                problem = unsafe_member(info)
                if problem:
                    raise ModelDownloadError(f"refusing to unpack the model: member {info.filename!r} ({problem})",
                                             _NOT_GENUINE)
            if sum(info.file_size for info in members) > MAX_UNPACKED_BYTES:
                raise ModelDownloadError("refusing to unpack the model: it would unpack to more than 2 GB",
                                         _NOT_GENUINE)
            root = staging.resolve()
            for info in members:
                path = (staging / info.filename).resolve()
                if path != root and root not in path.parents:  # belt and braces over unsafe_member
                    raise ModelDownloadError(f"refusing to unpack the model: member {info.filename!r} "
                                             f"(escapes {dest})", _NOT_GENUINE)
                zf.extract(info, staging)
        model_root = _model_root(staging)
        if model_root is None:
            raise ModelDownloadError("the archive does not contain a Vosk model (no am/final.mdl + conf/model.conf)",
                                     "check the --url")
        problem = model_problem(model_root)
        if problem:
            raise ModelDownloadError(f"the unpacked model {problem}", "download it again")
        os.rename(model_root, target)  # atomic within one file system
        return target
    except zipfile.BadZipFile as exc:
        raise ModelDownloadError(f"the model archive is damaged ({exc})", "download it again") from None
    except OSError as exc:
        raise ModelDownloadError(f"cannot unpack into {dest} ({exc.strerror or exc})",
                                 "check free space and permissions") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _model_root(staging: Path) -> Path | None:
    if looks_like_vosk_model(staging):
        return staging
    inner = [p for p in staging.iterdir() if p.is_dir()]
    return inner[0] if len(inner) == 1 and looks_like_vosk_model(inner[0]) else None
