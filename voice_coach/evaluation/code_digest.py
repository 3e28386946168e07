"""Which engine code a cached result came from: a change to those files invalidates the cache."""

from __future__ import annotations

import hashlib
from pathlib import Path


def recognition_code_digest(*names: str) -> str:
    """sha256 (16 hex digits) of the named files under ``voice_coach/recognition/``, in order."""
    import voice_coach.recognition as package

    root = Path(package.__file__).parent
    digest = hashlib.sha256()
    for name in names:
        digest.update((root / name).read_bytes())
    return digest.hexdigest()[:16]
