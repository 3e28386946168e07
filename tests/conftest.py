"""Shared test fixtures.  Keep each domain's fixtures in its own tests/<domain> conftest or helpers."""

import os

import pytest
from hypothesis import HealthCheck, settings

# A busy CI machine makes examples slow, which must not fail a test: no per-example deadline and
# no "too slow" health check (each test's own @settings still sets how many examples it runs).
settings.register_profile("loaded-machine", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("loaded-machine")

# The session-scoped `audio_stack` fixture (private PulseAudio server); see tests/audio_stack.py.
pytest_plugins = ["audio_stack"]


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path, monkeypatch):
    """Never touch the real per-user config/data folders from tests."""
    monkeypatch.setenv("VOICE_COACH_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("VOICE_COACH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("VOICE_COACH_MODEL", raising=False)
    yield
