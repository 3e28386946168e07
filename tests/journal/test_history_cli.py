"""``voice-coach history`` and ``voice-coach export`` on real journal rows."""

from __future__ import annotations

import csv
import json
import os
import stat
from datetime import date, datetime, time, timedelta

import pytest

from voice_coach.cli import main
from voice_coach.journal import Journal
from voice_coach.journal.export_csv import COLUMNS
from voice_coach.session.messages import Log

from tests.journal.scripted import heel_session, write

TODAY = date.today()


def local(days_ago: int, hour: int = 10) -> datetime:
    return datetime.combine(TODAY - timedelta(days=days_ago), time(hour)).astimezone()


# (client, days ago, hour, pain before, pain after or None when the session ended early)
SESSIONS = [
    ("C01", 40, 10, 9, 7),  # outside a 3-week chart
    ("C01", 18, 10, 8, 6),
    ("C01", 14, 10, 7, 5),
    ("C01", 10, 9, 7, None),
    ("C01", 7, 10, 6, 4),
    ("C01", 3, 9, 6, 3),
    ("C01", 3, 17, 4, 2),  # a second session that day: the chart shows the mean
    ("C01", 0, 8, 3, 1),
    ("C02", 5, 11, 5, 5),
    ("C02", 1, 11, 4, 3),
]


def session_logs(before: int, after: int | None) -> list[Log]:
    if after is None:
        return heel_session(pain_before=before)[:8] + [Log("session_ended", {"completed": False})]
    return heel_session(pain_before=before, pain_after=after)


@pytest.fixture(scope="module")
def journal_file(tmp_path_factory):
    """Built once: every record is an fsync'd commit, and these tests only read it."""
    path = tmp_path_factory.mktemp("journal") / "clinic.sqlite3"
    with Journal.open(path) as journal:
        for client, days_ago, hour, before, after in SESSIONS:
            write(journal, session_logs(before, after), client=client, start=local(days_ago, hour), gap_s=30)
    return path


def cli(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_table_lists_sessions_with_pain_and_routine(capsys, journal_file):
    code, out, _ = cli(capsys, "history", "--journal", str(journal_file), "--client", "C02")
    assert code == 0
    lines = [line for line in out.splitlines() if "heel-spur" in line]
    assert len(lines) == 2
    assert local(5, 11).strftime("%Y-%m-%d %H:%M") in lines[0]
    assert lines[0].split()[-4:] == ["completed", "5", "5", "+0"]
    assert lines[1].split()[-4:] == ["completed", "4", "3", "-1"]
    assert "2 sessions" in out


def test_json_is_a_list_of_sessions_filtered_by_since(capsys, journal_file):
    since = (TODAY - timedelta(days=10)).isoformat()
    code, out, _ = cli(capsys, "history", "--journal", str(journal_file), "--since", since, "--json")
    assert code == 0
    rows = json.loads(out)
    expected = sorted((s for s in SESSIONS if s[1] <= 10), key=lambda s: local(s[1], s[2]))
    assert [(r["client"], r["pain_before"], r["pain_after"]) for r in rows] == [(c, b, a) for c, _, _, b, a in expected]
    early = next(r for r in rows if r["pain_after"] is None)
    assert (early["status"], early["completed"]) == ("ended early", False)
    assert set(rows[0]) == set(COLUMNS)
    assert rows[-1]["duration_s"] == 30 * len(heel_session())  # one record every 30 s
    assert early["duration_s"] == 30 * len(session_logs(7, None))


@pytest.mark.parametrize("bad", ["2026-13-01", "yesterday", "01/02/2026", "2026-02-30"])
def test_a_bad_since_date_says_the_format(capsys, journal_file, bad):
    code, out, err = cli(capsys, "history", "--journal", str(journal_file), "--since", bad)
    assert code == 2 and out == ""
    assert f"--since {bad!r} is not a date" in err
    assert "YYYY-MM-DD" in err and "Traceback" not in err


def test_an_unknown_client_lists_the_known_codes(capsys, journal_file):
    code, _, err = cli(capsys, "history", "--journal", str(journal_file), "--client", "C99")
    assert code == 2
    assert "no sessions for client code 'C99'" in err
    assert "known client codes: C01, C02" in err


def test_an_unknown_client_in_a_journal_without_codes(capsys, tmp_path):
    path = tmp_path / "home.sqlite3"
    with Journal.open(path) as journal:
        write(journal, heel_session(), client=None)
    code, _, err = cli(capsys, "export", "--journal", str(path), "--csv", str(tmp_path / "x.csv"), "--client", "A1")
    assert code == 2 and "no client codes yet" in err


def test_a_missing_journal_file_is_a_clear_error(capsys, tmp_path):
    code, _, err = cli(capsys, "history", "--journal", str(tmp_path / "nope.sqlite3"))
    assert code == 2 and "no journal at" in err and "--journal" in err


def test_default_journal_is_used_and_an_empty_one_says_so(capsys):
    code, out, _ = cli(capsys, "history")
    assert code == 0 and "No sessions yet" in out
    code, out, _ = cli(capsys, "history", "--json")
    assert json.loads(out) == []


def test_plot_draws_one_point_per_day_from_the_journal(capsys, journal_file, tmp_path):
    from voice_coach.cli.history import draw_chart, open_journal
    from voice_coach.cli import build_parser

    png = tmp_path / "charts" / "c01.png"
    argv = ["history", "--journal", str(journal_file), "--plot", str(png), "--client", "C01", "--weeks", "3"]
    args = build_parser(argv).parse_args(argv)
    with open_journal(args) as journal:
        chart = draw_chart(journal, args, today=TODAY)

    in_window = [s for s in SESSIONS if s[0] == "C01" and s[1] < 21]
    days = sorted({s[1] for s in in_window}, reverse=True)
    assert [d for d, _ in chart.before] == [TODAY - timedelta(days=n) for n in days]
    assert [v for _, v in chart.before] == [8, 7, 7, 6, 5, 3]  # 3 days ago: mean of 6 and 4
    assert [d for d, _ in chart.after] == [TODAY - timedelta(days=n) for n in days if n != 10]  # ended early
    assert [v for _, v in chart.after] == [6, 5, 4, 2.5, 1]
    assert chart.first_day == TODAY - timedelta(days=20)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_plot_command_writes_the_file_and_reports_points(capsys, journal_file, tmp_path):
    png = tmp_path / "c02.png"
    code, out, _ = cli(capsys, "history", "--journal", str(journal_file), "--plot", str(png), "--client", "C02")
    assert code == 0 and png.stat().st_size > 20_000
    assert "2 days with pain before, 2 with pain after" in out


def test_plot_picks_the_only_client_there_is(capsys, tmp_path):
    path = tmp_path / "one.sqlite3"
    with Journal.open(path) as journal:
        for days_ago in (6, 2):
            write(journal, heel_session(pain_before=5, pain_after=2), client="Z9", start=local(days_ago))
    code, out, _ = cli(capsys, "history", "--journal", str(path), "--plot", str(tmp_path / "z9.png"))
    assert code == 0 and "2 days with pain before, 2 with pain after" in out


def test_plot_asks_for_a_client_when_there_are_several(capsys, journal_file, tmp_path):
    code, _, err = cli(capsys, "history", "--journal", str(journal_file), "--plot", str(tmp_path / "x.png"))
    assert code == 2
    assert "several clients" in err and "--client CODE" in err and "C01, C02" in err
    assert not (tmp_path / "x.png").exists()


def test_plot_without_scores_in_the_window_says_what_to_do(capsys, journal_file, tmp_path):
    code, _, err = cli(capsys, "history", "--journal", str(journal_file), "--plot", str(tmp_path / "x.png"),
                       "--client", "C02", "--since", (TODAY + timedelta(days=1)).isoformat())
    assert code == 2 and "no pain scores for client C02" in err and "--weeks" in err
    code, _, err = cli(capsys, "history", "--journal", str(journal_file), "--plot", str(tmp_path / "x.png"),
                       "--client", "C02", "--weeks", "0")
    assert code == 2 and "--weeks 0" in err


def test_export_csv_has_one_documented_row_per_session(capsys, journal_file, tmp_path):
    out_file = tmp_path / "export.csv"
    code, out, _ = cli(capsys, "export", "--journal", str(journal_file), "--csv", str(out_file), "--client", "C01")
    assert code == 0 and "wrote 8 sessions" in out
    assert stat.S_IMODE(os.stat(out_file).st_mode) == 0o600
    with out_file.open(newline="") as f:
        reader = csv.DictReader(f)
        assert tuple(reader.fieldnames) == COLUMNS
        rows = list(reader)
    c01 = [s for s in SESSIONS if s[0] == "C01"]
    assert len(rows) == len(c01)
    for row, (client, days_ago, hour, before, after) in zip(rows, c01):
        assert row["client"] == client and row["routine"] == "heel-spur"
        assert datetime.fromisoformat(row["started_at"]) == local(days_ago, hour)
        assert row["pain_before"] == str(before)
        assert row["pain_after"] == ("" if after is None else str(after))
        assert row["pain_change"] == ("" if after is None else str(after - before))
        assert row["status"] == ("ended early" if after is None else "completed")
        assert row["completed"] == ("no" if after is None else "yes")
        assert row["steps_reached"] == ("1" if after is None else "3")


def test_docs_describe_every_export_column():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "journal.md").read_text(encoding="utf-8")
    assert all(f"`{column}`" in doc for column in COLUMNS)
