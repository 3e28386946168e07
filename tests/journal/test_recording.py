"""Every Log kind lands in the right rows; resume and abandon bookkeeping."""

from __future__ import annotations

import logging
import sqlite3
from datetime import timedelta

import pytest

from voice_coach.errors import JournalError
from voice_coach.journal import Journal, SessionRecorder
from voice_coach.journal.resume import ResumePosition
from voice_coach.journal.schema import SCHEMA_VERSION
from voice_coach.session.messages import Log

from tests.journal.scripted import T0, heel_session, per_foot_step, position, write


@pytest.fixture
def journal(tmp_path):
    with Journal.open(tmp_path / "j.sqlite3") as j:
        yield j


def test_a_session_is_complete_after_end(journal):
    logs = heel_session(pain_before=7, pain_after=4)
    sid = write(journal, logs, client="C07")

    (session,) = journal.query("SELECT client, routine, started_at, ended_at, completed, pain_before, pain_after"
                               " FROM sessions WHERE id = ?", (sid,))
    assert session[:2] == ("C07", "heel-spur")
    assert session[2] == T0.isoformat(timespec="microseconds")
    assert session[3] == (T0 + timedelta(seconds=len(logs))).isoformat(timespec="microseconds")
    assert session[4:] == (1, 7, 4)

    steps = journal.query("SELECT step_index, step_id, foot, seconds_spent FROM steps WHERE session_id = ?"
                          " ORDER BY id", (sid,))
    assert steps == [
        (0, "ball-rolling", "left", 20.0), (0, "ball-rolling", "right", 20.0),
        (1, "thumb-circles", "left", 15.0), (1, "thumb-circles", "right", 15.0),
        (2, "closing-tips", None, None),
    ]
    intents = [r[0] for r in journal.query("SELECT intent FROM commands WHERE session_id = ? ORDER BY at", (sid,))]
    assert intents == ["start_routine", "time_left", "next"]
    assert journal.unfinished_session() is None

    (summary,) = journal.sessions()
    assert (summary.status, summary.steps_reached, summary.commands) == ("completed", 3, 3)
    assert summary.duration_s == len(logs)


def test_ending_early_is_not_completed(journal):
    write(journal, heel_session(completed=False)[:5] + [Log("session_ended", {"completed": False})])
    (summary,) = journal.sessions()
    assert summary.status == "ended early" and not summary.completed
    assert summary.pain_after is None


def test_unfinished_session_gives_the_last_committed_position(journal):
    logs = heel_session()
    cut = logs.index(position("progress", 1, "thumb-circles", "right", remaining_s=5.0)) + 1
    sid = write(journal, logs[:cut])

    unfinished = journal.unfinished_session()
    assert unfinished.session_id == sid
    assert (unfinished.routine_id, unfinished.client) == ("heel-spur", "C01")
    assert unfinished.position == ResumePosition(1, "thumb-circles", "right", 5.0)
    (summary,) = journal.sessions()
    assert summary.status == "interrupted"


def test_resume_position_follows_step_reached_and_foot_time(journal):
    sid = write(journal, heel_session()[:3])
    assert journal.unfinished_session() is None  # no step reached: nothing to resume
    journal.record(sid, position("step_reached", 0, "ball-rolling", "left"), T0)
    assert journal.unfinished_session().position == ResumePosition(0, "ball-rolling", "left", None)
    journal.record(sid, position("progress", 0, "ball-rolling", "left", remaining_s=None), T0)
    assert journal.unfinished_session().position.remaining_s is None  # instructions still being read
    journal.record(sid, position("foot_time", 0, "ball-rolling", "left", seconds=120), T0)
    assert journal.unfinished_session().position == ResumePosition(0, "ball-rolling", "left", 0.0)


def test_only_the_latest_session_is_offered_for_resume(journal):
    write(journal, heel_session()[:6])  # interrupted
    write(journal, heel_session(), start=T0 + timedelta(days=1))  # then a whole session
    assert journal.unfinished_session() is None
    assert [s.status for s in journal.sessions()] == ["interrupted", "completed"]


def test_mark_abandoned_closes_the_session_at_its_last_record(journal):
    logs = heel_session()[:8]
    sid = write(journal, logs)
    journal.mark_abandoned(sid)
    assert journal.unfinished_session() is None
    (summary,) = journal.sessions()
    assert summary.status == "abandoned"
    assert summary.ended_at == T0 + timedelta(seconds=len(logs))
    with pytest.raises(ValueError, match="is over"):
        journal.record(sid, Log("session_started", {"routine": "heel-spur"}), T0)


def test_mark_abandoned_leaves_a_properly_ended_session_alone(journal):
    sid = write(journal, heel_session())
    journal.mark_abandoned(sid)
    assert journal.sessions()[0].status == "completed"


def test_a_journal_opened_on_one_thread_can_record_from_another(journal):
    import threading

    sid = write(journal, heel_session()[:3])
    errors = []

    def record():
        try:
            journal.record(sid, position("step_reached", 0, "ball-rolling", "left"), T0)
        except Exception as exc:  # surfaced below: the live loop records from its own thread
            errors.append(exc)

    worker = threading.Thread(target=record)
    worker.start()
    worker.join()
    assert not errors and journal.unfinished_session().position.step_index == 0


def test_revisited_steps_add_up_their_time(journal):
    sid = write(journal, per_foot_step(0, "roll", 10.0))
    again = [position("step_reached", 0, "roll", "right"), position("foot_time", 0, "roll", "right", seconds=4.5)]
    for log in again:
        journal.record(sid, log, T0 + timedelta(minutes=5))
    rows = journal.query("SELECT foot, seconds_spent FROM steps WHERE session_id = ? ORDER BY id", (sid,))
    assert rows == [("left", 10.0), ("right", 14.5)]


def test_a_later_pain_answer_replaces_the_earlier_one(journal):
    sid = write(journal, heel_session()[:3])
    journal.record(sid, Log("pain", {"when": "before", "level": 2}), T0)
    assert journal.sessions()[0].pain_before == 2


@pytest.mark.parametrize("log, message", [
    (Log("pain", {"when": "before", "level": 11}), "outside 0–10"),
    (Log("pain", {"when": "during", "level": 3}), "'before' or 'after'"),
    (Log("step_reached", {"step_index": 0, "step_id": "x", "foot": "middle"}), "foot"),
    (Log("step_reached", {"step_index": -1, "step_id": "x", "foot": None}), "negative"),
    (Log("progress", {"step_index": 0, "step_id": "x", "foot": None}), "missing 'remaining_s'"),
    (Log("foot_time", {"step_index": 0, "step_id": "x", "foot": "left", "seconds": -2}), "negative"),
    (Log("session_ended", {"completed": "yes"}), "not bool"),
    (Log("command", {}), "missing 'intent'"),
])
def test_malformed_logs_raise_and_write_nothing(journal, log, message):
    sid = write(journal, [])
    before = journal.query("SELECT * FROM sessions")
    with pytest.raises(ValueError, match=message):
        journal.record(sid, log, T0 + timedelta(hours=1))
    assert journal.query("SELECT * FROM sessions") == before
    assert journal.query("SELECT COUNT(*) FROM steps")[0][0] == 0


def test_an_unknown_log_kind_is_skipped_with_a_warning(journal, caplog):
    sid = write(journal, [])
    with caplog.at_level(logging.WARNING):
        journal.record(sid, Log("heart_rate", {"bpm": 70}), T0)
    assert "heart_rate" in caplog.text


def test_recorder_opens_sessions_as_routines_start(journal):
    recorder = SessionRecorder(journal, client="C02")
    recorder.record(Log("command", {"intent": "list_routines"}), T0)  # before any routine: no session
    for round_ in range(2):
        for i, log in enumerate(heel_session()):
            recorder.record(log, T0 + timedelta(days=round_, seconds=i))
    sessions = journal.sessions()
    assert [(s.client, s.status, s.commands) for s in sessions] == [("C02", "completed", 3)] * 2
    assert recorder.session_id is None


def test_recorder_continues_a_resumed_session(journal):
    logs = heel_session()
    sid = write(journal, logs[:9])
    offered = journal.unfinished_session()
    recorder = SessionRecorder(journal, client="C01", resumed_session_id=offered.session_id)
    recorder.record(Log("session_started", {"routine": "heel-spur", "resumed": True}), T0 + timedelta(hours=1))
    for log in logs[9:]:
        recorder.record(log, T0 + timedelta(hours=1))
    (summary,) = journal.sessions()
    assert (summary.id, summary.status, summary.pain_before, summary.pain_after) == (sid, "completed", 6, 3)


def test_recorder_abandons_a_declined_resume_and_starts_afresh(journal):
    old = write(journal, heel_session()[:9])
    recorder = SessionRecorder(journal, client="C01", resumed_session_id=old)
    for log in heel_session():
        recorder.record(log, T0 + timedelta(hours=2))
    assert [(s.id == old, s.status) for s in journal.sessions()] == [(True, "abandoned"), (False, "completed")]


def test_a_journal_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "j.sqlite3"
    Journal.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(JournalError, match="newer|knows up to"):
        Journal.open(path)


def test_a_file_that_is_not_a_journal_gets_a_clear_error(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"this is a text file, not SQLite " * 100)
    with pytest.raises(JournalError, match="not a readable voice-coach journal"):
        Journal.open(path)


def test_reopening_keeps_rows_and_schema(tmp_path):
    path = tmp_path / "j.sqlite3"
    with Journal.open(path) as j:
        write(j, heel_session())
    with Journal.open(path) as j:
        assert j.query("PRAGMA user_version")[0][0] == SCHEMA_VERSION
        assert j.query("PRAGMA journal_mode")[0][0] == "wal"
        assert j.query("PRAGMA synchronous")[0][0] == 2  # FULL
        assert len(j.sessions()) == 1
