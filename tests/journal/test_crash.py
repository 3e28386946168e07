"""SIGKILL at random moments never corrupts the journal or loses a committed step."""

from __future__ import annotations

import os
import random

from tests.journal.crash_harness import crash_logs, expected_after, run_trial

TRIALS = 50
# Up to 2 ms past the aimed record: commits take ~1 ms, so kills fall before,
# inside and after the following commits.
MAX_JITTER_S = 0.002


def test_the_model_matches_a_journal_written_without_a_crash(tmp_path):
    """The oracle itself must agree with the journal when nothing is killed."""
    trial = run_trial(tmp_path / "j.sqlite3", kill_at=len(crash_logs()) + 1)  # never reached: no kill
    assert trial.printed == len(crash_logs())
    assert trial.state == expected_after(crash_logs()) and trial.state.ended


def test_sigkill_at_random_moments_leaves_a_readable_journal_that_resumes_right(tmp_path):
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    total = len(crash_logs())
    # A few aims past the end: a session that got its session_ended must not be offered.
    aims = [(rng.randint(0, total + 5), rng.uniform(0.0, MAX_JITTER_S)) for _ in range(TRIALS)]
    trials = [run_trial(tmp_path / f"j{i}.sqlite3", *aim) for i, aim in enumerate(aims)]

    bad = [t for t in trials if not t.ok]
    assert not bad, f"seed {seed}: {len(bad)} bad trials, first {bad[0]}"
    mid_session = [t for t in trials if not t.finished and t.state.position is not None]
    # Guard against a harness whose kills never land mid-session (then nothing was tested).
    assert len(mid_session) >= TRIALS // 2, f"seed {seed}: only {len(mid_session)} kills landed mid-session"
