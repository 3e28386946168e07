"""``voice-coach simulate``: script parsing, transcript format, JSON lines, the virtual-time cap."""

import json
from pathlib import Path

import pytest

from voice_coach.cli import main
from voice_coach.session.simulate import ScriptError, parse_script

SCRIPT = """\
# a short session
1 start quick press routine
12 pain five
20 how much time is left
21 hello there coach
60 pain two
"""

QUICK = """\
id = "quick"
title = "Quick press"
source = "004_a627a7490bc9df0b.txt"
spoken_names = ["quick press"]
intro = "Just one short step."

[[steps]]
id = "press"
title = "Short press"
kind = "timed"
seconds = 30
instructions = "Press gently with the thumb."
"""


@pytest.fixture
def routines_dir(tmp_path):
    folder = tmp_path / "routines"
    folder.mkdir()
    (folder / "quick.toml").write_text(QUICK, encoding="utf-8")
    return folder


def run_cli(capsys, *args):
    code = main(["simulate", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_text_transcript(tmp_path, routines_dir, capsys):
    script = tmp_path / "s.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    code, out, err = run_cli(capsys, script, "--routines", routines_dir)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "[00:00] coach: Say start and a routine name, or list routines."
    assert "[00:01] you: start quick press routine" in lines
    # one utterance per sentence, so a cut-in answer repeats only the sentence it cut off
    assert "[00:01] coach: Quick press." in lines and "[00:01] coach: Just one short step." in lines
    assert "[00:12] you: pain five" in lines
    assert "[00:21] you: hello there coach  (not a command)" in lines
    assert "[00:20] you: how much time is left" in lines
    time_left = [line for line in lines if "left." in line and "coach:" in line]
    assert time_left and time_left[0].startswith("[00:20] coach: ")
    assert lines[-2:] == ["[01:00] coach: Thank you. Well done, the routine is complete. Take care.",
                          "[01:00] coach: (session ended)"]


def test_json_lines_are_deterministic(tmp_path, routines_dir, capsys):
    script = tmp_path / "s.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    _, first, _ = run_cli(capsys, script, "--json", "--routines", routines_dir)
    _, second, _ = run_cli(capsys, script, "--json", "--routines", routines_dir)
    assert first == second
    records = [json.loads(line) for line in first.splitlines()]
    assert all({"t", "who", "kind", "text"} <= set(r) for r in records)
    assert {"say", "heard", "not_understood", "log", "end"} <= {r["kind"] for r in records}
    heard = [r for r in records if r["kind"] == "heard"]
    assert heard[0]["data"] == {"intent": "start_routine", "routine": "quick"}
    pains = [r["data"] for r in records if r["kind"] == "log" and r["text"] == "pain"]
    assert pains == [{"when": "before", "level": 5}, {"when": "after", "level": 2}]
    assert [r["t"] for r in records] == sorted(r["t"] for r in records)


@pytest.mark.parametrize("content, where", [
    ("1 start heel\nsoon next\n", "line 2"),
    ("# fine\n\n3\n", "line 3"),
    ("5 next\n2 pause\n", "line 2"),
    ("-1 next\n", "line 1"),
])
def test_bad_script_lines_name_file_and_line(tmp_path, capsys, content, where):
    script = tmp_path / "bad.txt"
    script.write_text(content, encoding="utf-8")
    code, out, err = run_cli(capsys, script)
    assert code == 2 and out == ""
    assert f"{script}, {where}" in err and "fix:" in err


def test_missing_script_file(tmp_path, capsys):
    code, _, err = run_cli(capsys, tmp_path / "nope.txt")
    assert code == 2 and "nope.txt" in err


def test_parse_script_allows_comments_and_fractions():
    lines = parse_script("# c\n\n0.5   next step \n2 pause\n", "x")
    assert [(l.at, l.text, l.line_no) for l in lines] == [(0.5, "next step", 3), (2.0, "pause", 4)]
    with pytest.raises(ScriptError):
        parse_script("nan next\n", "x")


def test_virtual_time_is_capped(tmp_path, routines_dir, capsys):
    script = tmp_path / "s.txt"
    script.write_text("1 start quick press\n5 skip\n", encoding="utf-8")
    code, out, _ = run_cli(capsys, script, "--routines", routines_dir, "--max-hours", "0.001")
    assert code == 0
    assert out.splitlines()[-1].endswith("(stopped after 0.001 hours of virtual time)")


def test_unknown_routine_option(tmp_path, capsys):
    script = tmp_path / "s.txt"
    script.write_text("1 next\n", encoding="utf-8")
    code, _, err = run_cli(capsys, script, "--routine", "nope")
    assert code == 2 and "nope" in err


def test_a_session_using_most_commands_on_the_built_in_heel_spur_routine(capsys):
    script = Path(__file__).parent / "scripts" / "heel_spur_commands.txt"
    code, out, err = run_cli(capsys, script)
    assert code == 0, err
    lines = out.splitlines()
    expected_in_order = [
        "[00:06] you: pain six",
        "[00:06] coach: Wait for my question, please.",  # heard before the pain question: not an answer
        "[00:07] coach: A heel spur is a small bony growth under the heel bone.",  # the cut sentence again
        "[00:08] you: skip",
        "[00:08] coach: (stops speaking)",  # "skip" during the intro goes to the pain question, not past it
        "[00:08] coach: On a scale of zero to ten, how is the pain? Say pain and a number, for example pain three.",
        "[00:14] coach: Thank you.",
        "[00:34] coach: All right, carefully then.",
        "[00:40] coach: The timer starts after the instructions: two minutes on the left foot.",
        "[00:44] coach: Stay seated and set the ball on the floor under your foot.",
        "[01:00] coach: You can say: next, pause, how much time is left, add thirty seconds, switch foot, repeat, "
        "or stop.",
        "[01:18] coach: Left foot, two minutes, begin.",
        "[01:30] coach: About one minute fifty seconds left on the left foot.",
        "[01:40] coach: Paused. Say resume to go on, or end session to finish.",
        "[02:10] coach: Resuming. About one minute forty seconds left on the left foot.",
        "[02:30] coach: Added thirty seconds. About one minute fifty seconds left on the left foot.",
        "[03:20] coach: (chime: switch)",
        "[05:30] coach: (speech rate 140 wpm)",
        "[05:40] coach: (volume 1)",
        "[06:40] coach: The heel spur routine is running. Say end session first.",
        "[07:10] coach: Before we finish: how is the pain now? Say pain and a number, or say no.",
        "[07:20] coach: Thank you. Session ended. Take care.",
        "[07:20] coach: (session ended)",
    ]
    positions = [lines.index(line) for line in expected_in_order]
    assert positions == sorted(positions)
    # "stop" at 01:40 cut nothing (the coach was silent), so no "(stops speaking)" is shown then.
    assert "[01:40] coach: (stops speaking)" not in lines


def test_answers_are_true_when_spoken_add_time_during_the_instructions(tmp_path, capsys):
    script = tmp_path / "s.txt"
    script.write_text("0 start heel routine\n4 skip\n10 pain three\n16 no\n22 no\n"
                      "30 add a minute\n45 how long left\n100 how long left\n", encoding="utf-8")
    code, out, err = run_cli(capsys, script)
    assert code == 0, err
    lines = out.splitlines()
    added = next(i for i, l in enumerate(lines) if "coach: Added one minute." in l)
    begin = next(i for i, l in enumerate(lines) if "coach: Left foot" in l and "begin." in l)
    assert added < begin, "the answer comes at once, not after the instructions"
    assert lines[added].startswith("[00:30]")
    assert "Left foot, three minutes, begin." in lines[begin]
    assert not any("timer starts after the instructions" in l for l in lines[begin:])
    assert "ignored" not in out
