"""The README stays true: every voice phrase, routine name and the two set-up commands are in it."""

from pathlib import Path

from voice_coach.grammar.phrases import ADD_TIME_FIXED, FIXED_PHRASES
from voice_coach.routines.loader import load_library

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text().lower()


def test_every_fixed_phrase_is_documented():
    missing = [p for phrases in FIXED_PHRASES.values() for p in phrases if f'"{p}"' not in README]
    missing += [p for p in ADD_TIME_FIXED if f'"{p}"' not in README]
    assert not missing, f"README's voice table lacks: {missing}"


def test_every_routine_name_is_documented():
    for routine in load_library(include_user_dir=False):
        for name in routine.spoken_names:
            assert f"**{name}**" in README, name


def test_two_setup_commands_and_ci():
    assert "scripts/run " in README and "scripts/test " in README
    assert "scripts/test" in (REPO / ".ci/run").read_text()
    for script in ("scripts/run", "scripts/test"):
        assert (REPO / script).stat().st_mode & 0o111, f"{script} must be executable"
