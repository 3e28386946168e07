"""Fixtures for routine tests: a minimal valid routine as data, and a TOML writer for it."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest
from routine_samples import to_toml, valid_routine_data

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO.parent / "shared" / "seeds"


@pytest.fixture
def routine_data() -> dict[str, Any]:
    return valid_routine_data()


@pytest.fixture
def write_routine(tmp_path: Path) -> Callable[..., Path]:
    """write_routine(data, name=None, folder=None) -> path of a .toml file."""

    def write(data: dict[str, Any], name: str | None = None, folder: Path | None = None) -> Path:
        folder = folder or tmp_path / "routines"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / (name or f"{data.get('id', 'routine')}.toml")
        path.write_text(to_toml(data), encoding="utf-8")
        return path

    return write


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"source articles not present at {SEEDS}")
    return SEEDS
