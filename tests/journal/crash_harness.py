"""Kill a journal writer with SIGKILL at a chosen moment, then check what survived.

``run_trial`` forks a writer process that records one long session record by
record and reports over a pipe how many records are committed after each
one; the parent kills it with SIGKILL around a chosen record and reopens the
journal the way the next run would.  What it finds is compared with an
independent model of the Log contract after exactly the reported number of
records — or one more, since the kill may land between a commit and its report.

Forking (rather than starting a new interpreter) keeps a trial at a few
milliseconds, so the test can afford many; the kill is just as real.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from voice_coach.journal import Journal
from voice_coach.session.messages import Log

from tests.journal.scripted import T0, per_foot_step

READY = "ready"


def crash_logs(steps: int = 3, seconds: float = 30.0) -> list[Log]:
    """A long session: pain, per-foot steps with a progress record every second, commands, the end."""
    logs = [Log("session_started", {"routine": "heel-spur"}), Log("pain", {"when": "before", "level": 5})]
    for index in range(steps):
        logs += per_foot_step(index, f"step-{index}", seconds, progress_every=1.0)
        logs.append(Log("command", {"intent": "time_left"}))
    logs += [Log("pain", {"when": "after", "level": 2}), Log("session_ended", {"completed": True})]
    return logs


@dataclass(frozen=True)
class JournalState:
    """What a reader can see: the resume position, row counts, whether the session ended."""

    position: tuple[int, str, str | None, float | None] | None
    step_rows: int
    commands: int
    ended: bool
    integrity: str = "ok"


def expected_after(logs: list[Log]) -> JournalState:
    """The model: what the journal must show after exactly these records, written from the contract."""
    position, feet_reached, commands, ended = None, set(), 0, False
    for log in logs:
        d = log.data
        if log.kind == "step_reached":
            position = (d["step_index"], d["step_id"], d["foot"], None)
            feet_reached.add((d["step_index"], d["foot"]))
        elif log.kind == "progress":
            position = (d["step_index"], d["step_id"], d["foot"], d["remaining_s"])
        elif log.kind == "foot_time":
            position = (d["step_index"], d["step_id"], d["foot"], 0.0)
        elif log.kind == "command":
            commands += 1
        elif log.kind == "session_ended":
            ended = True
    return JournalState(None if ended else position, len(feet_reached), commands, ended)


def observe(path: Path) -> JournalState:
    """Open the journal the way the next run would, and read what it holds."""
    with Journal.open(path) as journal:
        unfinished = journal.unfinished_session()
        p = unfinished.position if unfinished else None
        ((steps, commands, ended),) = journal.query(
            "SELECT (SELECT COUNT(*) FROM steps), (SELECT COUNT(*) FROM commands),"
            " (SELECT COUNT(*) FROM sessions WHERE ended_at IS NOT NULL)")
        return JournalState(
            (p.step_index, p.step_id, p.foot, p.remaining_s) if p else None,
            steps, commands, bool(ended), journal.integrity_check(),
        )


@dataclass(frozen=True)
class Trial:
    kill_at: int  # the kill was sent once this many records were reported committed…
    jitter_s: float  # …plus this delay, so it lands anywhere inside the following commits
    printed: int  # records the child reported committed before it died
    state: JournalState
    allowed: tuple[JournalState, ...]  # the model after `printed` records, and after one more

    @property
    def ok(self) -> bool:
        return self.state.integrity == "ok" and self.state in self.allowed

    @property
    def finished(self) -> bool:
        return self.state.ended


def run_trial(db: Path, kill_at: int, jitter_s: float = 0.0) -> Trial:
    """Fork the writer, SIGKILL it around record ``kill_at``, then check the journal.

    Aiming at a record count rather than a wall-clock delay keeps the kills
    spread over the whole session however fast or loaded the machine is.
    Call it from a single-threaded process (forking copies only this thread).
    """
    logs = crash_logs()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the writer: never returns into the caller's code
        status = 1
        try:
            os.close(read_fd)
            _write(db, logs, write_fd)
            status = 0
        finally:
            os._exit(status)
    os.close(write_fd)
    with os.fdopen(read_fd) as reports:
        assert reports.readline().strip() == READY, "the writer did not start"
        printed = 0
        while printed < kill_at:
            line = reports.readline()
            if not line:
                break  # the writer finished (or failed) before the aimed record
            printed = int(line)
        if jitter_s:
            time.sleep(jitter_s)
        os.kill(pid, signal.SIGKILL)  # harmless if it already exited: it is not reaped yet
        printed = max([printed, *map(int, reports.read().split())])
    os.waitpid(pid, 0)
    allowed = tuple(expected_after(logs[:n]) for n in (printed, printed + 1) if n <= len(logs))
    return Trial(kill_at, jitter_s, printed, observe(db), allowed)


def _write(db: Path, logs: list[Log], report_fd: int) -> None:
    journal = Journal.open(db)
    sid = journal.start_session("heel-spur", "CRASH", T0)
    os.write(report_fd, f"{READY}\n".encode())
    for n, log in enumerate(logs, start=1):
        journal.record(sid, log, T0 + timedelta(seconds=n))
        os.write(report_fd, f"{n}\n".encode())  # after the commit: a reported count is always committed
    journal.close()
