"""Owner-only folders and files for what the coach keeps about people (journal, voice profiles).

Health notes and speech embeddings are private: folders the coach creates are 0700 and its
files 0600, whatever the umask.
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def make_private_dirs(folder: Path) -> None:
    """Create ``folder`` and any missing parents as 0700; folders that already exist are left
    alone.  Raises the OSError of the folder that could not be made (its ``filename`` names it)."""
    missing = []
    probe = Path(folder)
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=PRIVATE_DIR_MODE)
        except FileExistsError:
            pass  # created by a concurrent process in between
        os.chmod(path, PRIVATE_DIR_MODE)  # mkdir's mode is masked by the umask
