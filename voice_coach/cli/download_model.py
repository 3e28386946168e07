"""``voice-coach download-model [--dest models/]``: fetch the Vosk English model for a real Pi.

Needs internet once; everything else in voice-coach is offline.  The model
lands in ``DEST/vosk-model-small-en-us-0.15`` where ``voice-coach run`` finds
it (``models/`` in the current folder or the source checkout).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from voice_coach.errors import ConfigError



def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dest", metavar="DIR", default="models",
                        help="folder to put the model in (default: models/ in the current folder)")
    parser.add_argument("--url", metavar="URL", help="download from this mirror instead of the official address")
    parser.add_argument("--sha256", metavar="HEX", help="expected SHA-256 of the zip (default: the pinned one)")


def run(args: argparse.Namespace) -> int:
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn, TransferSpeedColumn

    from voice_coach.model_download import DEFAULT_SOURCE, ModelSource, download_model

    source = DEFAULT_SOURCE
    if args.sha256 is not None:
        if not re.fullmatch(r"[0-9a-fA-F]{64}", args.sha256):
            raise ConfigError(f"--sha256 {args.sha256!r} is not a SHA-256 checksum", "give 64 hexadecimal digits")
        source = ModelSource(source.name, source.url, args.sha256.lower(), size_bytes=None)
    if args.url:
        source = ModelSource(source.name, args.url, source.sha256, source.size_bytes)
    target = Path(args.dest) / source.name
    if target.exists():
        folder = download_model(args.dest, source)  # checks it is complete, downloads nothing
        print(f"the model is already there: {folder}")
        return 0
    columns = ("[progress.description]{task.description}", BarColumn(), DownloadColumn(), TransferSpeedColumn(),
               TimeRemainingColumn())
    with Progress(*columns, transient=True, disable=not sys.stderr.isatty()) as bar:
        task = bar.add_task(source.name, total=source.size_bytes)
        folder = download_model(args.dest, source, lambda done, total: bar.update(task, completed=done, total=total))
    print(f"model ready: {folder}")
    return 0
