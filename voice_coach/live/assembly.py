"""Building a live coach from settings: which speaker, which input, which journal.

``voice-coach run`` and ``voice-coach demo`` differ only in where commands
come from and where speech goes; this module holds the pieces both pick from
so the wiring exists once.
"""

from __future__ import annotations

import logging
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any, Callable

from voice_coach.config import Settings
from voice_coach.errors import AudioError
from voice_coach.live.inbox import InboxItem, MicTrouble
from voice_coach.live.journal_link import JournalLink
from voice_coach.live.speaker_link import SpeakerLink
from voice_coach.live.text_io import PrintSpeaker

log = logging.getLogger(__name__)


def open_journal(settings: Settings, client: str | None, stack: ExitStack):
    """The journal link and the unfinished session to offer (or None, None when disabled)."""
    if not settings.journal.enabled:
        return None, None
    from voice_coach.journal.files import journal_path
    from voice_coach.journal.store import Journal

    journal = Journal.open(journal_path(settings.journal))
    stack.callback(journal.close)
    offered = journal.unfinished_session()
    return JournalLink(journal, client=client, offered=offered), offered


def resume_point_of(offered) -> Any:
    return None if offered is None else offered.resume_point()


def real_speaker(settings: Settings, post: Callable[[InboxItem], None], now: Callable[[], float],
                 stack: ExitStack) -> SpeakerLink:
    """espeak synthesis + sounddevice playback; AudioError when there is no speaker or engine."""
    from voice_coach.audio.speaker import SoundDeviceSpeaker

    link = SpeakerLink(post, now)
    speaker = SoundDeviceSpeaker(settings.speech, device=settings.audio.output_device,
                                 on_started=link.on_started, on_finished=link.on_finished)
    speaker.start()
    stack.callback(speaker.close)
    return link.attach(speaker)


def speaker_or_print(settings: Settings, post, now, stack: ExitStack, out=None) -> tuple[Any, bool]:
    """The real speaker when one works, else printed speech; returns (speaker, is_real)."""
    from voice_coach.audio import devices

    if devices.output_devices():
        try:
            return real_speaker(settings, post, now, stack), True
        except AudioError as exc:
            log.warning("speaking is not possible (%s); printing the coach's words instead", exc.message)
    return PrintSpeaker(post, now, out=out), False


def real_chimes(settings: Settings, stack: ExitStack):
    from voice_coach.audio.chimes import ChimePlayer

    chimes = ChimePlayer(settings.audio.output_device, settings.audio.chime_volume)
    chimes.start()
    stack.callback(chimes.close)
    return chimes


@dataclass
class MicWatch:
    """Turns the microphone's status reports into loop items (and resets the recognizer on return)."""

    post: Callable[[InboxItem], None]
    listener: Any = None

    def __call__(self, status) -> None:
        lost = status.kind == "lost"
        if not lost and self.listener is not None:
            self.listener.request_reset()
        self.post(MicTrouble(lost=lost, detail=f"({status.device})" if status.device else ""))


def make_recognizer(settings: Settings, library, grammar=None):
    """The configured recognizer for the routines' grammar (the recognition package decides how)."""
    from voice_coach.recognition.factory import make_recognizer as factory

    return factory(settings, library.all(), settings.recognizer.engine, settings.recognizer.model_dir or None)
