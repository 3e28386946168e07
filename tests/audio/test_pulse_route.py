"""PulseRoute reads pactl's JSON: which source this process's recording streams are on."""

import json

from voice_coach.audio.pulse_route import PulseRoute

SOURCES = [{"index": 0, "name": "vspk.monitor", "properties": {"device.class": "monitor"}},
           {"index": 2, "name": "vmic", "properties": {"device.class": "filter"}}]


def outputs(source: int, pid: str = "42") -> list[dict]:
    return [{"index": 0, "source": 1, "properties": {"media.role": "filter"}},  # a module's own stream
            {"index": 3, "source": source, "properties": {"application.process.id": pid}}]


def route(outs, sources=SOURCES) -> PulseRoute:
    answers = {"source-outputs": outs, "sources": sources}
    return PulseRoute(pid=42, runner=lambda args: None if answers[args[1]] is None else json.dumps(answers[args[1]]))


def test_on_a_microphone():
    r = route(outputs(2))
    assert r.on_microphone() is True and r.last_source == "vmic"


def test_moved_to_a_monitor():
    r = route(outputs(0))
    assert r.on_microphone() is False and r.last_source == "vspk.monitor"


def test_unknown_when_no_stream_of_ours_or_no_server():
    assert route(outputs(2, pid="7")).on_microphone() is None
    assert route(None).on_microphone() is None
    assert PulseRoute(runner=lambda args: "not json").on_microphone() is None
