"""Walk each of the five built-in routines end to end through the simulator.

The script is grown answer by answer: run, see what the coach waits for, add
the answer a therapist would give one second later, run again.  The run is
deterministic, so each re-run replays the same prefix.
"""

import pytest

from voice_coach.grammar import Grammar
from voice_coach.routines.loader import load_library
from voice_coach.routines.model import StepKind
from voice_coach.session.simulate import ScriptLine, Simulation
from voice_coach.session.state import Phase, Stage

LIBRARY = load_library(include_user_dir=False)
BUILT_IN = ("heel-spur", "plantar-fasciitis", "foot-ankle", "neuropathy", "heel-pain-exercises")
ANSWERS = {Phase.PAIN_BEFORE: "pain four", Phase.SAFETY: "no", Phase.PAIN_AFTER: "pain two"}


def walk(routine_id: str) -> Simulation:
    grammar = Grammar.build(LIBRARY.all())
    name = max(LIBRARY.get(routine_id).spoken_names, key=len)
    script = [ScriptLine(1.0, f"start {name} routine", 1)]
    for _ in range(30):
        sim = Simulation(LIBRARY, grammar.parse)
        sim.run(script)
        if sim.ended:
            return sim
        phase = sim.state.phase
        if phase is Phase.STEP:
            assert sim.state.stage is Stage.WAITING, "only manual steps wait for the therapist"
            answer = "done"
        else:
            answer = ANSWERS[phase]
        script.append(ScriptLine(sim.t + 1.0, answer, len(script) + 1))
    raise AssertionError(f"{routine_id} did not end: {[e.text for e in sim.entries[-5:]]}")


def test_all_five_built_in_routines_load():
    assert set(BUILT_IN) <= set(LIBRARY.ids())


@pytest.mark.parametrize("routine_id", BUILT_IN)
def test_walk_built_in_routine_end_to_end(routine_id):
    routine = LIBRARY.get(routine_id)
    sim = walk(routine_id)
    said = [e.text for e in sim.entries if e.kind == "say"]
    logs = [(e.text, dict(e.data)) for e in sim.entries if e.kind == "log"]
    # Every step announced once, in order.
    count = len(routine.steps)
    positions = []
    for number, step in enumerate(routine.steps, start=1):
        hits = [i for i, s in enumerate(said) if f"step {_words(number)} of {_words(count)}: {step.title}." in s]
        assert len(hits) == 1, step.title
        positions.append(hits[0])
    assert positions == sorted(positions)
    # Per-foot steps switch feet once; foot time is logged per foot and equals the step's length.
    switches = sum(s.startswith("Switch to the right foot.") for s in said)
    assert switches == sum(step.per_foot for step in routine.steps)
    for index, step in enumerate(routine.steps):
        times = [d["seconds"] for kind, d in logs if kind == "foot_time" and d["step_index"] == index]
        if step.kind is StepKind.MANUAL:
            assert times == []
        else:
            length = step.seconds if step.kind is StepKind.TIMED else step.reps * step.seconds_per_rep
            assert times == [length] * (2 if step.per_foot else 1), step.title
    reps_steps = [s for s in routine.steps if s.kind is StepKind.REPS]
    for step in reps_steps:
        assert f"{_words(step.reps).capitalize()}." in said
    assert logs[0] == ("session_started", {"routine": routine_id})
    assert [d for kind, d in logs if kind == "pain"] == [{"when": "before", "level": 4},
                                                         {"when": "after", "level": 2}]
    assert logs[-1] == ("session_ended", {"completed": True})
    assert sim.entries[-1].kind == "end"
    assert not any(e.kind == "not_understood" for e in sim.entries)


def _words(n: int) -> str:
    from voice_coach.grammar import number_words
    return number_words(n)
