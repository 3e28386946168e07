"""Finding, checking and loading a Vosk model folder (never downloading one).

Asking vosk for a model by language or by model name would fetch it from the
internet at run time; the coach is offline, so only ``vosk.Model(path)`` is
ever called, on a folder found here.  Fetching the model for a Pi is the job
of ``voice-coach download-model``.
"""

from __future__ import annotations

import functools
import os
import struct
from pathlib import Path

from voice_coach.config import Settings
from voice_coach.errors import RecognizerError

MODEL_ENV = "VOICE_COACH_MODEL"
MODELS_FOLDER = "models"
# Files vosk's "v2" model layout needs (vosk-api src/model.cc); the graph is
# checked separately because either layout will do.
REQUIRED_FILES = ("am/final.mdl", "conf/model.conf", "conf/mfcc.conf")
LOOKAHEAD_GRAPH = ("graph/HCLr.fst", "graph/Gr.fst", "graph/disambig_tid.int")
STATIC_GRAPH = ("graph/HCLG.fst",)
FST_MAGIC = 2125659606
_ARC_BYTES = 16  # ilabel, olabel, weight, nextstate
# Bytes per state: vector = final weight + arc count; const = weight + 4 counters.
_STATE_BYTES = {b"vector": 12, b"const": 20}
_FIX_DOWNLOAD = "run `voice-coach download-model` (needs internet once), or pass --model DIR of an unzipped Vosk model"


def looks_like_vosk_model(folder: Path) -> bool:
    return (folder / "am/final.mdl").is_file() and (folder / "conf/model.conf").is_file()


def model_problem(folder: Path) -> str | None:
    """What is missing from ``folder`` for it to be a Vosk model, or None when complete."""
    if not folder.exists():
        return "does not exist"
    if not folder.is_dir():
        return "is not a folder"
    missing = [f for f in REQUIRED_FILES if not (folder / f).is_file()]
    if not all((folder / f).is_file() for f in LOOKAHEAD_GRAPH) and not (folder / STATIC_GRAPH[0]).is_file():
        missing.append("graph/HCLr.fst + graph/Gr.fst (or graph/HCLG.fst)")
    if missing:
        return f"is missing {', '.join(missing)}"
    for name in (*LOOKAHEAD_GRAPH[:2], *STATIC_GRAPH):
        problem = fst_problem(folder / name) if (folder / name).is_file() else None
        if problem:
            return f"has a damaged {name} ({problem})"
    return None


def fst_problem(path: Path) -> str | None:
    """Check an OpenFst binary file's header and size.

    libvosk does not survive a damaged graph: it logs a read error, carries on
    without the graph and crashes (segfault) on the first recognizer.  Finding
    truncation here turns that into an error message.
    """
    try:
        with path.open("rb") as f:
            head = f.read(4096)
        size = path.stat().st_size
        (magic,) = struct.unpack_from("<i", head, 0)
        if magic != FST_MAGIC:
            return "not an OpenFst file"
        pos, names = 4, []
        for _ in range(2):  # FST type, arc type: length-prefixed strings
            (length,) = struct.unpack_from("<i", head, pos)
            if not 0 < length < 64:
                return "bad header"
            names.append(head[pos + 4 : pos + 4 + length])
            pos += 4 + length
        _version, _flags, _props, _start, num_states, num_arcs = struct.unpack_from("<iiQqqq", head, pos)
        pos += struct.calcsize("<iiQqqq")
    except (OSError, struct.error):
        return "unreadable or truncated header"
    state_bytes = _STATE_BYTES.get(names[0], 4)
    if num_states < 0 or num_arcs < 0 or size < pos + num_states * state_bytes + num_arcs * _ARC_BYTES:
        return f"truncated: {size} bytes cannot hold {num_arcs} arcs"
    return None


def supports_grammar(folder: Path) -> bool:
    """Runtime phrase lists need the lookahead graph; a static HCLG ignores them."""
    return all((folder / f).is_file() for f in LOOKAHEAD_GRAPH)


def _search_models_folder(models: Path) -> Path | None:
    if not models.is_dir():
        return None
    if looks_like_vosk_model(models):
        return models
    # e.g. models/vosk-model-small-en-us-0.15; English models first, then by name.
    candidates = sorted((p for p in models.iterdir() if p.is_dir() and looks_like_vosk_model(p)),
                        key=lambda p: ("en-us" not in p.name, p.name))
    return candidates[0] if candidates else None


def repo_root() -> Path | None:
    """The source checkout this package runs from (None when installed elsewhere)."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "pyproject.toml").is_file() else None


def find_vosk_model(settings: Settings | None = None, model_dir: str | Path | None = None) -> Path | None:
    """The Vosk model folder to use, or None when there is none.

    Order: ``model_dir`` (--model), ``settings.recognizer.model_dir``,
    ``$VOICE_COACH_MODEL``, then ``models/`` in the current folder and in the
    source checkout (the folder itself or a model folder inside it).  A folder
    named explicitly that is not a complete model is an error, not a fallback.
    """
    configured = model_dir or (settings.recognizer.model_dir if settings else "")
    explicit = [(str(configured), "--model / recognizer.model_dir")] if configured else []
    if os.environ.get(MODEL_ENV):
        explicit.append((os.environ[MODEL_ENV], f"${MODEL_ENV}"))
    if explicit:
        raw, source = explicit[0]
        folder = Path(raw).expanduser()
        found = _search_models_folder(folder) if folder.is_dir() and not looks_like_vosk_model(folder) else None
        folder = found or folder
        problem = model_problem(folder)
        if problem:
            raise RecognizerError(f"Vosk model {folder} (from {source}) {problem}", _FIX_DOWNLOAD)
        return folder
    roots = [Path.cwd()] + ([repo_root()] if repo_root() else [])
    for root in dict.fromkeys(roots):
        found = _search_models_folder(root / MODELS_FOLDER)
        if found and model_problem(found) is None:
            return found
    return None


@functools.lru_cache(maxsize=2)
def load_vosk_model(folder: Path):
    """Load (once per folder) with ``vosk.Model(path)``; RecognizerError when it fails."""
    import vosk

    vosk.SetLogLevel(-1)  # Kaldi's log lines would drown the coach's own messages
    problem = model_problem(folder)
    if problem:
        raise RecognizerError(f"Vosk model {folder} {problem}", _FIX_DOWNLOAD)
    try:
        return vosk.Model(str(folder))
    except Exception as exc:  # vosk raises a bare Exception("Failed to create a model")
        raise RecognizerError(f"Vosk could not load the model in {folder} ({exc})",
                              "the folder is damaged: " + _FIX_DOWNLOAD) from None
