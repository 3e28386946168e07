"""The real engine's Log actions, recorded as the live runner would, give complete rows and a right resume."""

from __future__ import annotations

import pytest

from voice_coach.intents import Intent
from voice_coach.journal import Journal
from voice_coach.session import Phase, resume_point

from tests.journal.engine_run import PROGRESS_S, ROLL_S, ROUTINE, THUMB_S, EngineRun


@pytest.fixture
def journal(tmp_path):
    with Journal.open(tmp_path / "j.sqlite3") as j:
        yield j


def step_rows(journal, sid):
    return journal.query("SELECT step_index, step_id, foot, seconds_spent FROM steps WHERE session_id = ?"
                         " ORDER BY id", (sid,))


def test_a_whole_engine_session_is_journaled(journal):
    run = EngineRun(journal, "C09", routine_id=ROUTINE.id, pain=(7, 2))
    run.run()
    assert run.ended
    (s,) = journal.sessions()
    assert (s.client, s.routine, s.status, s.pain_before, s.pain_after) == ("C09", ROUTINE.id, "completed", 7, 2)
    assert s.duration_s == pytest.approx(run.t, abs=0.01)
    rows = step_rows(journal, s.id)
    assert [r[:3] for r in rows] == [(0, "roll", "left"), (0, "roll", "right"), (1, "oil", None),
                                     (2, "thumb", "left"), (2, "thumb", "right")]
    timed = [r[3] for r in rows if r[1] != "oil"]
    assert timed == pytest.approx([ROLL_S, ROLL_S, THUMB_S, THUMB_S], abs=0.01)
    intents = {r[0] for r in journal.query("SELECT intent FROM commands")}
    assert {"pain", "no", "next"} <= intents
    # Every kind the engine emitted is one the journal understands (none was skipped).
    assert {log.kind for _, log in run.logs} <= {"session_started", "step_reached", "foot_time", "progress",
                                              "command", "pain", "session_ended"}
    assert journal.unfinished_session() is None


def test_a_crash_mid_foot_resumes_there_and_completes_the_same_session(tmp_path, journal):
    with Journal.open(tmp_path / "dry-run.sqlite3") as dry_journal:
        dry = EngineRun(dry_journal, "C09", routine_id=ROUTINE.id)
        dry.run()  # learns when the right foot of the first step starts
    right_foot_s = next(t for t, log in dry.logs if log.kind == "step_reached" and log.data["foot"] == "right")
    crash_s = right_foot_s + 17

    crashed = EngineRun(journal, "C09", routine_id=ROUTINE.id, pain=(6, 3))
    crashed.run(until_s=crash_s)  # power cut: nothing more is recorded
    engine_point = resume_point(crashed.state, crashed.t)

    unfinished = journal.unfinished_session()
    last_progress = [log for _, log in crashed.logs if log.kind == "progress"][-1]
    assert (unfinished.position.step_index, unfinished.position.foot) == (0, "right")
    assert unfinished.position.remaining_s == last_progress.data["remaining_s"]
    # At most one progress interval behind where the engine really was.
    assert 0 <= unfinished.position.remaining_s - engine_point.remaining_s <= PROGRESS_S

    resumed = EngineRun(journal, "C09", start_s=crash_s + 600, resume=unfinished.resume_point(),
                        resumed_session_id=unfinished.session_id, pain=(6, 3))
    assert resumed.state.phase is Phase.RESUME_OFFER
    resumed.hear(Intent.YES)
    resumed.run()

    (s,) = journal.sessions()
    assert (s.id, s.status, s.pain_before, s.pain_after) == (unfinished.session_id, "completed", 6, 3)
    rows = step_rows(journal, s.id)
    assert [r[:3] for r in rows] == [(0, "roll", "left"), (0, "roll", "right"), (1, "oil", None),
                                     (2, "thumb", "left"), (2, "thumb", "right")]
    # The interrupted foot counts only the time run after the resume; the rest ran whole.
    assert rows[1][3] == pytest.approx(unfinished.position.remaining_s, abs=0.01)
    assert [rows[0][3], rows[3][3], rows[4][3]] == pytest.approx([ROLL_S, THUMB_S, THUMB_S], abs=0.01)
    assert journal.unfinished_session() is None


def test_declining_the_resume_abandons_the_old_session(journal):
    crashed = EngineRun(journal, None, routine_id=ROUTINE.id)
    crashed.run(until_s=60)
    unfinished = journal.unfinished_session()
    assert unfinished is not None

    # The runner offers the resume with a routine to fall back on; the user says no.
    fresh = EngineRun(journal, None, start_s=3600, routine_id=ROUTINE.id, resume=unfinished.resume_point(),
                      resumed_session_id=unfinished.session_id)
    fresh.hear(Intent.NO)
    fresh.run()
    assert [(s.id == unfinished.session_id, s.status) for s in journal.sessions()] == [
        (True, "abandoned"), (False, "completed")]


def test_a_session_ended_early_keeps_before_and_after_in_history_and_chart(tmp_path, capsys):
    from tests.journal.scripted import T0
    from voice_coach.cli import build_parser, main
    from voice_coach.cli.history import draw_chart, open_journal

    path = tmp_path / "early.sqlite3"
    with Journal.open(path) as journal:
        run = EngineRun(journal, "C07", routine_id=ROUTINE.id, pain=(7, 2))
        run.run(until_s=run.t + 60)  # into the first step's timer
        assert run.state.phase is Phase.STEP
        run.hear(Intent.STOP)
        run.hear(Intent.END)  # "stop" then "end session": the closing question, not the end yet
        assert not run.ended and run.state.phase is Phase.PAIN_AFTER
        run._settle_speech()
        run.hear(Intent.PAIN, level=3)
        assert run.ended
        (s,) = journal.sessions()
        assert (s.status, s.pain_before, s.pain_after) == ("ended early", 7, 3)

    assert main(["history", "--journal", str(path), "--client", "C07"]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if ROUTINE.id in line)
    assert row.split()[-5:] == ["ended", "early", "7", "3", "-4"]
    argv = ["history", "--journal", str(path), "--plot", str(tmp_path / "c07.png"), "--client", "C07"]
    args = build_parser(argv).parse_args(argv)
    with open_journal(args) as journal:
        chart = draw_chart(journal, args, today=T0.astimezone().date())
    assert [v for _, v in chart.before] == [7] and [v for _, v in chart.after] == [3]
