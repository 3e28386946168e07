"""Which voice profile a session uses: ``--user NAME`` or ``[recognizer] user`` in the config."""

from __future__ import annotations

from voice_coach.config import Settings
from voice_coach.enrollment.phrases import own_words
from voice_coach.enrollment.store import ProfileStore
from voice_coach.errors import VoiceCoachError
from voice_coach.recognition.neural.profile import VoiceProfile

PROFILE_ENGINES = ("neural", "fused")


def active_profile(settings: Settings, store: ProfileStore | None = None) -> VoiceProfile | None:
    """The configured user's profile, None when no user is set; ConfigError when it is missing."""
    user = settings.recognizer.user
    if not user:
        return None
    return (store or ProfileStore()).load(user)


def describe_profile(settings: Settings, engine: str, store: ProfileStore | None = None) -> tuple[bool, str]:
    """(usable, one line) for ``voice-coach check``."""
    user = settings.recognizer.user
    if not user:
        return True, "none (everyone is heard with the shared model; `voice-coach enroll --user NAME` makes one)"
    try:
        profile = active_profile(settings, store)
    except VoiceCoachError as exc:
        return False, str(exc)
    assert profile is not None
    line = f"{user}: {profile.takes} takes of {len(set(profile.labels))} commands"
    if words := own_words(profile.texts):
        line += f", own words: {', '.join(words)}"
    if not profile.meta.get("complete"):
        line += f" (unfinished: `voice-coach enroll --user {user}` goes on)"
    if engine not in PROFILE_ENGINES:
        line += f"; not used by the {engine} engine (only by {' and '.join(PROFILE_ENGINES)})"
    return True, line
