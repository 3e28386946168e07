"""The guided enrollment: prompts, retries on bad takes, progress, interrupt and resume."""

import threading

import numpy as np
import pytest

from voice_coach.enrollment.guided import enroll_guided
from voice_coach.enrollment.phrases import CORE_PHRASES, Prompt, core_prompts
from voice_coach.enrollment.store import ProfileStore
from voice_coach.enrollment.takes import NOISY_COPIES, PHASES_S, TakeJudge
from voice_coach.grammar import Grammar
from voice_coach.routines.loader import load_library

PROMPTS = [Prompt("next", "next"), Prompt("pain five", "pain:level=5")]


class FakeGuide:
    def __init__(self):
        self.said, self.shown = [], []

    def say(self, text):
        self.said.append(text)

    def show(self, text):
        self.shown.append(text)


class FakeRecorder:
    """Hands out the queued takes in order; raises KeyboardInterrupt where the queue holds one."""

    def __init__(self, takes):
        self.takes = list(takes)
        self.recorded = 0

    def record(self):
        take = self.takes.pop(0)
        if take is KeyboardInterrupt:
            raise KeyboardInterrupt
        self.recorded += 1
        return take


def pad(x):
    quiet = np.zeros(8000, np.int16)
    return np.concatenate([quiet, x, quiet])


@pytest.fixture(scope="module")
def takes(say):
    return {"next": [pad(say("next", t)) for t in (0.95, 1.0, 1.05)],
            "pain five": [pad(say("pain five", t)) for t in (0.95, 1.0, 1.05)],
            "quiet": pad(say("next", gain_db=-35))}


def test_the_core_list_covers_what_the_issue_asks_and_parses():
    prompts = core_prompts(Grammar.build(load_library().all()))
    texts = [p.text for p in prompts]
    for needed in ("stop", "next", "pause", "resume", "repeat", "go back", "skip", "time left",
                   "add thirty seconds", "yes", "no", "switch foot", "help"):
        assert needed in texts
    assert [f"pain {w}" for w in ("zero", "five", "ten")] == [t for t in texts if t in ("pain zero", "pain five", "pain ten")]
    assert len(set(p.label for p in prompts)) == len(CORE_PHRASES)
    # 25 commands x 3 takes of about 3 s each stays well inside five minutes
    assert len(prompts) * 3 * 3.5 < 300


def test_three_takes_each_with_a_retry_for_a_quiet_one(takes):
    store, guide = ProfileStore(), FakeGuide()
    recorder = FakeRecorder([takes["next"][0], takes["quiet"], *takes["next"][1:], *takes["pain five"]])
    result = enroll_guided("anna", PROMPTS, store, TakeJudge(None), guide, recorder)
    assert result.done == 2 and result.total == 2 and not result.skipped
    assert recorder.recorded == 7
    assert any("too quiet" in line for line in guide.said)
    assert "Say: next" in guide.said and "Again: next" in guide.said and "Say: pain five" in guide.said
    assert "[1/2] 'next', take 2 of 3" in guide.shown and "[2/2] 'pain five', take 3 of 3" in guide.shown
    profile = store.load("anna")
    assert profile.count("next") == 3 and profile.count("pain:level=5") == 3
    assert profile.meta["complete"] is True


def test_interrupted_then_resumed_where_it_stopped(takes):
    store = ProfileStore()
    with pytest.raises(KeyboardInterrupt):
        enroll_guided("anna", PROMPTS, store, TakeJudge(None), FakeGuide(),
                      FakeRecorder([*takes["next"], takes["pain five"][0], KeyboardInterrupt]))
    kept = store.load("anna")
    assert kept.count("next") == 3 and kept.count("pain:level=5") == 1  # every accepted take was saved
    guide = FakeGuide()
    recorder = FakeRecorder(takes["pain five"][1:])
    result = enroll_guided("anna", PROMPTS, store, TakeJudge(None), guide, recorder)
    assert recorder.recorded == 2  # only the missing takes were asked for
    assert guide.said[0].startswith("Welcome back. 1 of 2 commands are done")
    assert guide.shown[0] == "[2/2] 'pain five', take 2 of 3"
    assert result.done == 2 and store.load("anna").meta["complete"] is True


def test_gives_up_on_a_command_after_repeated_bad_takes_and_says_so(takes):
    store, guide = ProfileStore(), FakeGuide()
    recorder = FakeRecorder([takes["quiet"]] * 4 + takes["pain five"])
    result = enroll_guided("anna", PROMPTS, store, TakeJudge(None), guide, recorder, max_attempts=4)
    assert result.skipped == ("next",) and result.done == 1
    assert "Let's leave 'next' for later." in guide.said
    assert store.load("anna").meta["complete"] is False
    assert "1 of 2 commands are done" in guide.said[-1]


def test_a_take_that_keeps_sounding_like_another_command_is_kept_on_the_last_tries(takes):
    class AlwaysPause(TakeJudge):
        def sounded_like(self, vector, label, profile):
            return "pause"

    store, guide = ProfileStore(), FakeGuide()
    recorder = FakeRecorder([*takes["next"], *takes["next"], *takes["next"]])
    result = enroll_guided("anna", PROMPTS[:1], store, AlwaysPause(None), guide, recorder, max_attempts=4)
    assert result.done == 1
    assert guide.said.count("That sounded like pause. Again please.") == 6  # twice per take, then kept
    assert recorder.recorded == 9


def test_each_saved_take_keeps_all_its_views(takes):
    store = ProfileStore()
    enroll_guided("anna", PROMPTS[:1], store, TakeJudge(None), FakeGuide(), FakeRecorder(takes["next"]))
    profile = store.load("anna")
    whole = [TakeJudge(None).judge(take, "next").take.vectors for take in takes["next"]]
    assert all(len(PHASES_S) < len(rows) <= len(PHASES_S) + len(NOISY_COPIES) for rows in whole)
    assert profile.takes == 3 and len(profile.labels) == sum(len(rows) for rows in whole)
    np.testing.assert_allclose(profile.vectors, np.concatenate(whole), rtol=1e-5)


def test_a_takes_views_are_embedded_while_the_next_take_is_recorded(takes):
    """The slow part of a take runs on the worker during the next prompt and recording: a views()
    that waits for the next recording to start would wait forever in a flow that ran it first."""
    started = [threading.Event() for _ in range(3)]

    class Recorder(FakeRecorder):
        def record(self):
            started[self.recorded].set()
            return super().record()

    class Overlapping(TakeJudge):
        overlapped: list = []

        def views(self, audio):
            k = len(self.overlapped)
            self.overlapped.append(k + 1 == len(started) or started[k + 1].wait(timeout=120))
            return super().views(audio)

    store = ProfileStore()
    enroll_guided("anna", PROMPTS[:1], store, Overlapping(None), FakeGuide(), Recorder(takes["next"]))
    assert Overlapping.overlapped == [True, True, True]
    assert store.load("anna").count("next") == 3


def test_own_words_for_an_enrolled_command_get_their_own_three_takes(takes, say):
    store = ProfileStore()
    enroll_guided("anna", PROMPTS[:1], store, TakeJudge(None), FakeGuide(), FakeRecorder(takes["next"]))
    assert store.load("anna").meta["complete"] is True
    guide = FakeGuide()
    recorder = FakeRecorder([pad(say("next step", t)) for t in (0.95, 1.0, 1.05)])
    result = enroll_guided("anna", [Prompt("next step", "next", own=True)], store, TakeJudge(None), guide, recorder)
    assert recorder.recorded == 3  # the three takes of "next" do not count for "next step"
    assert result.done == result.total == 1
    assert guide.said[0].startswith("I will ask for 1 phrase of your own, 3 times each.")
    profile = store.load("anna")
    assert profile.count("next") == 6 and profile.count_text("next step") == 3 and profile.count_text("next") == 3
    assert profile.meta["complete"] is True  # own phrases neither make nor break a complete core list


def test_own_words_alone_do_not_make_a_profile_complete(say):
    store = ProfileStore()
    recorder = FakeRecorder([pad(say("next step", t)) for t in (0.95, 1.0, 1.05)])
    enroll_guided("anna", [Prompt("next step", "next", own=True)], store, TakeJudge(None), FakeGuide(), recorder)
    assert store.load("anna").meta["complete"] is False
    guide = FakeGuide()
    enroll_guided("anna", [Prompt("next step", "next", own=True)], store, TakeJudge(None), guide, FakeRecorder([]))
    assert guide.shown == ["The profile 'anna' already has these phrases; `voice-coach enroll --forget anna` starts over."]
