"""The five built-in routines say what issue 2 requires of each source article."""

from __future__ import annotations

import pytest

from voice_coach.routines import Routine, StepKind, load_library

# id -> (source article, spoken names exactly as the speech grammar must read them)
EXPECTED = {
    "heel-spur": ("000_3466b776a7fa7708.txt", ("heel", "heel spur")),
    "plantar-fasciitis": ("001_281a885ce8c11fae.txt", ("plantar fasciitis",)),
    "foot-ankle": ("002_15eafb2fdb191801.txt", ("relaxation", "foot and ankle")),
    "neuropathy": ("003_c968af0aa997a8a7.txt", ("neuropathy",)),
    "heel-pain-exercises": ("004_a627a7490bc9df0b.txt", ("heel pain exercises",)),
}


@pytest.fixture(scope="module")
def library():
    return load_library(include_user_dir=False)


def _steps(routine: Routine) -> dict:
    return {step.id: step for step in routine.steps}


@pytest.mark.parametrize("routine_id", sorted(EXPECTED))
def test_common_shape(library, routine_id):
    routine = library.get(routine_id)
    assert (routine.source, routine.spoken_names) == EXPECTED[routine_id]
    assert 1 <= len(routine.safety_questions) <= 2
    assert all(q.question.endswith("?") and q.if_yes for q in routine.safety_questions)
    # The engine itself adds "say stop at any time if it hurts" after the intro.
    assert "say stop at any time" not in routine.intro.lower()
    assert routine.cautions and routine.closing and routine.title


@pytest.mark.parametrize("routine_id", sorted(EXPECTED))
def test_source_article_exists(seeds_dir, routine_id):
    assert (seeds_dir / EXPECTED[routine_id][0]).is_file()


def test_heel_spur(library):
    routine = library.get("heel-spur")
    steps = _steps(routine)
    assert list(steps) == ["ball-roll", "thumb-circles", "frozen-bottle-roll", "golf-ball-roll", "fascia-kneading"]
    for step in routine.steps:
        assert step.kind is StepKind.TIMED and step.per_foot
        assert 60 <= step.seconds <= 300  # "a few minutes on each foot"
    assert "tennis ball" in steps["ball-roll"].tools[0]
    assert "frozen" in steps["frozen-bottle-roll"].tools[0]
    assert "golf ball" in steps["golf-ball-roll"].tools[0]
    closing = routine.closing.lower()
    for tip in ("stretch your calves", "soles", "arch support", "healthy weight", "podiatrist"):
        assert tip in closing
    assert "podiatrist" in " ".join(routine.cautions).lower()


def test_plantar_fasciitis_works_from_knee_to_toes(library):
    routine = library.get("plantar-fasciitis")
    ids = [step.id for step in routine.steps]
    assert ids.index("calf-strokes") < ids.index("calf-kneading") < ids.index("sole-warmup")
    assert ids.index("sole-warmup") < ids.index("deep-fascia") < ids.index("toes-and-ball")
    assert all(step.kind is StepKind.TIMED and step.per_foot for step in routine.steps)
    assert "knee" in routine.steps[0].instructions.lower()
    deep = _steps(routine)["deep-fascia"]
    warning = " ".join(deep.cautions).lower()
    assert "intense" in warning and "breathe" in warning and "say stop" in warning
    assert "intense" in routine.intro.lower() and "say stop if it is too much" in routine.intro.lower()


def test_foot_ankle_order_and_kinds(library):
    routine = library.get("foot-ankle")
    kinds = [(step.id, step.kind, step.per_foot) for step in routine.steps]
    assert kinds == [
        ("warm-soak", StepKind.TIMED, False),
        ("dry-feet", StepKind.MANUAL, False),
        ("apply-oil", StepKind.MANUAL, False),
        ("long-strokes", StepKind.TIMED, True),
        ("ankle-leg-circles", StepKind.TIMED, True),
        ("reflex-points", StepKind.TIMED, True),
    ]
    steps = _steps(routine)
    assert 120 <= steps["warm-soak"].seconds <= 600  # "a few minutes"
    assert "top" in steps["long-strokes"].instructions and "sole" in steps["long-strokes"].instructions
    assert "circle" in steps["ankle-leg-circles"].instructions and "lower leg" in steps["ankle-leg-circles"].instructions
    assert "sole" in steps["reflex-points"].instructions
    cautions = " ".join(routine.cautions).lower()
    for condition in ("diabetes", "plantar warts", "open wounds"):
        assert condition in cautions


def test_neuropathy(library):
    routine = library.get("neuropathy")
    steps = _steps(routine)
    assert routine.steps[0].id == "warm-soak" and routine.steps[-1].id == "rest"
    soak = steps["warm-soak"]
    # 10–15 minutes, one timer (long enough for the engine's halfway cue)
    assert soak.kind is StepKind.TIMED and not soak.per_foot and 600 <= soak.seconds <= 900
    assert steps["dry-feet"].kind is StepKind.MANUAL and steps["mix-oil"].kind is StepKind.MANUAL
    oil = steps["mix-oil"].instructions.lower()
    assert "three to five drops" in oil and "tablespoon" in oil and "carrier oil" in oil
    assert "undiluted" in " ".join(steps["mix-oil"].cautions)
    ids = [step.id for step in routine.steps]
    assert ids == ["warm-soak", "dry-feet", "mix-oil", "arch-circles", "kneading", "ball-roll", "toe-stretch",
                   "ankles", "rest"]
    assert "arch" in steps["arch-circles"].instructions and "heel" in steps["arch-circles"].instructions
    assert "each" in steps["toe-stretch"].instructions.lower()
    for step_id in ("arch-circles", "kneading", "ball-roll", "toe-stretch", "ankles"):
        assert steps[step_id].kind is StepKind.TIMED and steps[step_id].per_foot
    cautions = " ".join(routine.cautions).lower()
    assert "gentle pressure" in cautions and "skin" in cautions and "health professional" in cautions


def test_heel_pain_exercises_are_counted_reps(library):
    routine = library.get("heel-pain-exercises")
    assert [step.id for step in routine.steps] == [
        "heel-circles", "foot-mobility", "ankle-mobility", "butt-and-big-toe", "articulated-bridges",
        "posterior-hip-press",
    ]
    for step in routine.steps:
        assert step.kind is StepKind.REPS and step.reps >= 5 and 1 <= step.seconds_per_rep <= 10
    heel = _steps(routine)["heel-circles"]
    assert heel.reps == 10 and heel.seconds_per_rep == 3 and heel.per_foot
    closing = routine.closing.lower()
    for advice in ("heel cup", "both shoes", "toe spacers", "five to seven days", "note how you feel"):
        assert advice in closing


@pytest.mark.parametrize("routine_id", sorted(EXPECTED))
def test_diabetes_or_numbness_is_asked_about(library, routine_id):
    questions = " ".join(q.question.lower() for q in library.get(routine_id).safety_questions)
    assert "diabetes" in questions


@pytest.mark.parametrize("routine_id", ["heel-spur", "plantar-fasciitis", "foot-ankle", "neuropathy"])
def test_skin_problems_are_asked_about(library, routine_id):
    questions = " ".join(q.question.lower() for q in library.get(routine_id).safety_questions)
    assert "wounds" in questions or "cuts" in questions
