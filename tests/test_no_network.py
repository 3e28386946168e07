"""The coach opens no network socket: every entry point runs with IP sockets forbidden.

A ``sitecustomize`` on PYTHONPATH makes any AF_INET/AF_INET6 socket in the child
process fail loudly and leave a marker file, so a library that quietly phones
home (or a ``vosk.Model(lang=…)`` download) would fail this test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

GUARD = '''
import os, socket
_real_init = socket.socket.__init__
def _guarded(self, family=-1, *args, **kwargs):
    if family in (socket.AF_INET, socket.AF_INET6) or (family == -1 and not kwargs.get("fileno")):
        with open(os.environ["NET_MARKER"], "a") as f:
            f.write(f"socket family {family}\\n")
        raise OSError("network use is forbidden in this test")
    _real_init(self, family, *args, **kwargs)
socket.socket.__init__ = _guarded
'''


@pytest.fixture
def guarded_env(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(GUARD)
    env = {k: v for k, v in os.environ.items() if k not in ("PULSE_SERVER",)}
    env.update(PYTHONPATH=f"{site}{os.pathsep}{env.get('PYTHONPATH', '')}", NET_MARKER=str(tmp_path / "net"),
               VOICE_COACH_CONFIG_DIR=str(tmp_path / "config"), VOICE_COACH_DATA_DIR=str(tmp_path / "data"))
    return env


def coach(env, *args, stdin=""):
    return subprocess.run([sys.executable, "-m", "voice_coach", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=600)


def test_guard_itself_catches_a_socket(guarded_env, tmp_path):
    result = subprocess.run([sys.executable, "-c", "import socket; socket.create_connection(('127.0.0.1', 9))"],
                            env=guarded_env, capture_output=True, text=True)
    assert result.returncode != 0 and (tmp_path / "net").exists()


def test_entry_points_open_no_network_socket(guarded_env, tmp_path):
    script = tmp_path / "session.txt"
    script.write_text("0 start heel routine\n40 pain four\n60 no\n70 no\n300 how much time is left\n400 end session\n")
    wav = tmp_path / "silence.wav"
    subprocess.run([sys.executable, "-c", f"import wave; w = wave.open('{wav}', 'wb'); w.setnchannels(1); "
                    "w.setsampwidth(2); w.setframerate(16000); w.writeframes(bytes(32000)); w.close()"], check=True)
    runs = [
        coach(guarded_env, "simulate", str(script)),
        coach(guarded_env, "run", "--text", stdin="start heel routine\npain four\nno\nno\nhow much time is left\nend session\n"),
        coach(guarded_env, "transcribe", "--engine", "sphinx", "--json", str(wav)),
        coach(guarded_env, "check", "--no-sound"),
        coach(guarded_env, "routines", "--json"),
        coach(guarded_env, "history"),
    ]
    for result in runs:
        assert "Traceback" not in result.stderr, result.args
    assert runs[0].returncode == 0 and "coach:" in runs[0].stdout
    assert runs[1].returncode == 0 and "Left foot" in runs[1].stdout
    assert runs[2].returncode == 0 and '"commands": []' in runs[2].stdout
    assert not (tmp_path / "net").exists(), (tmp_path / "net").read_text()
