"""Model download against a local HTTP server: checksum, zip-slip, truncation, network errors.

Never touches the real URL: every test serves generated zips from 127.0.0.1.
"""

import hashlib
import http.server
import io
import socket
import stat
import subprocess
import threading
import zipfile
from pathlib import Path

import pytest

from fixtures.tiny_vosk_model import build
from voice_coach.cli import main
from voice_coach.model_download import (
    DEFAULT_SOURCE, MODEL_SHA256, MODEL_SIZE_BYTES, MODEL_URL, ModelDownloadError, ModelSource, download_model,
    unsafe_member,
)
from voice_coach.recognition.vosk_model import load_vosk_model, model_problem

NAME = "vosk-model-small-en-us-0.15"


def model_zip(tmp_path, prefix=f"{NAME}/", extra=()):
    """A zip of the tiny test model, laid out like the real archive (one top folder)."""
    model = build(tmp_path / "src-model", {"stop", "next"})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for path in sorted(model.rglob("*")):
            if path.is_file():
                zf.write(path, prefix + path.relative_to(model).as_posix())
        for info, data in extra:
            zf.writestr(info, data)
    return buf.getvalue()


class Server:
    """Serves ``routes[path] = (body, declared_length)`` on 127.0.0.1; counts requests."""

    def __init__(self):
        self.routes, self.hits = {}, []
        routes, hits = self.routes, self.hits

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                hits.append(self.path)
                if self.path not in routes:
                    self.send_error(404, "Not Found")
                    return
                body, length = routes[self.path]
                self.send_response(200)
                self.send_header("Content-Type", "application/zip")
                self.send_header("Content-Length", str(length))
                self.end_headers()
                self.wfile.write(body)  # fewer bytes than declared = a dropped connection

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def serve(self, path, body, length=None):
        self.routes[path] = (body, len(body) if length is None else length)
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    s = Server()
    yield s
    s.close()


def source(url, body):
    return ModelSource(NAME, url, hashlib.sha256(body).hexdigest(), len(body))


def leftovers(dest):
    return sorted(p.name for p in dest.iterdir()) if dest.exists() else []


def test_the_pinned_source_is_the_official_small_english_model():
    assert DEFAULT_SOURCE.url == MODEL_URL == f"https://alphacephei.com/vosk/models/{NAME}.zip"
    assert len(MODEL_SHA256) == 64 and int(MODEL_SHA256, 16) and MODEL_SIZE_BYTES == 41_205_931


def test_good_download_is_verified_unpacked_and_loadable(server, tmp_path):
    body = model_zip(tmp_path)
    url = server.serve("/m.zip", body)
    dest = tmp_path / "models"
    seen = []
    folder = download_model(dest, source(url, body), progress=lambda done, total: seen.append((done, total)))
    assert folder == dest / NAME and model_problem(folder) is None
    assert leftovers(dest) == [NAME]  # no .part file, no staging folder
    assert seen[-1] == (len(body), len(body))
    load_vosk_model(folder)  # the real libvosk accepts what was unpacked
    # A second run finds the model and does not download again.
    assert download_model(dest, source(url, body)) == folder and server.hits == ["/m.zip"]


def test_zip_with_model_files_at_the_top_level(server, tmp_path):
    body = model_zip(tmp_path, prefix="")
    folder = download_model(tmp_path / "models", source(server.serve("/flat.zip", body), body))
    assert model_problem(folder) is None


def test_checksum_mismatch_leaves_nothing(server, tmp_path):
    body = model_zip(tmp_path)
    wrong = ModelSource(NAME, server.serve("/m.zip", body), "0" * 64, len(body))
    dest = tmp_path / "models"
    with pytest.raises(ModelDownloadError, match="checksum mismatch") as err:
        download_model(dest, wrong)
    assert "--sha256" in err.value.fix
    assert leftovers(dest) == []


def _member(name, mode=0o100644):
    info = zipfile.ZipInfo(name)
    info.external_attr = mode << 16
    return info


@pytest.mark.parametrize("evil,why", [
    (_member(f"{NAME}/../../evil.txt"), "'..'"),
    (_member("../evil.txt"), "'..'"),
    (_member("/tmp/evil.txt"), "absolute path"),
    (_member("C:/evil.txt"), "absolute path"),
    (_member(f"{NAME}/link", stat.S_IFLNK | 0o777), "symbolic link"),
    (_member(f"{NAME}/fifo", stat.S_IFIFO | 0o644), "special file"),
])
def test_members_outside_the_folder_are_refused(server, tmp_path, evil, why):
    body = model_zip(tmp_path, extra=[(evil, b"/etc/passwd")])
    dest = tmp_path / "deep" / "models"
    with pytest.raises(ModelDownloadError, match="refusing to unpack") as err:
        download_model(dest, source(server.serve("/evil.zip", body), body))
    assert why in err.value.message
    assert leftovers(dest) == []  # checked before anything was written
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path / "deep" / "evil.txt").exists()


def test_unsafe_member_rules():
    assert unsafe_member(_member(f"{NAME}/am/final.mdl")) is None
    assert unsafe_member(_member(f"{NAME}/am/", stat.S_IFDIR | 0o755)) is None
    assert unsafe_member(_member("a/..b/c")) is None  # ".." only as a whole part
    assert unsafe_member(_member("a\\..\\b")) == "path leaves the folder ('..')"


def test_truncated_download(server, tmp_path):
    body = model_zip(tmp_path)
    url = server.serve("/cut.zip", body[: len(body) // 2], length=len(body))
    dest = tmp_path / "models"
    with pytest.raises(ModelDownloadError, match="cut off"):
        download_model(dest, source(url, body))
    assert leftovers(dest) == []


def test_wrong_size_with_the_pinned_size(server, tmp_path):
    body = model_zip(tmp_path)
    src = ModelSource(NAME, server.serve("/m.zip", body), hashlib.sha256(body).hexdigest(), len(body) + 1)
    with pytest.raises(ModelDownloadError, match="expected"):
        download_model(tmp_path / "models", src)


def test_not_a_zip(server, tmp_path):
    body = b"<html>maintenance</html>"
    with pytest.raises(ModelDownloadError, match="not a zip"):
        download_model(tmp_path / "models", source(server.serve("/m.zip", body), body))


def test_zip_without_a_model(server, tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "hello")
    body = buf.getvalue()
    dest = tmp_path / "models"
    with pytest.raises(ModelDownloadError, match="does not contain a Vosk model"):
        download_model(dest, source(server.serve("/m.zip", body), body))
    assert leftovers(dest) == []


def test_http_error_and_no_server(server, tmp_path):
    with pytest.raises(ModelDownloadError, match="HTTP 404"):
        download_model(tmp_path / "models", ModelSource(NAME, server.serve("/x", b"") + "-missing", "0" * 64, None))
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ModelDownloadError, match="failed") as err:
        download_model(tmp_path / "models", ModelSource(NAME, f"http://127.0.0.1:{port}/m.zip", "0" * 64, None),
                       timeout_s=5)
    assert "internet" in err.value.fix


def test_existing_incomplete_folder_is_not_overwritten(tmp_path):
    (tmp_path / "models" / NAME).mkdir(parents=True)
    with pytest.raises(ModelDownloadError, match="not a complete model"):
        download_model(tmp_path / "models")


def test_command_line(server, tmp_path, capsys):
    body = model_zip(tmp_path)
    url = server.serve("/m.zip", body)
    dest = tmp_path / "models"
    argv = ["download-model", "--dest", str(dest), "--url", url, "--sha256", hashlib.sha256(body).hexdigest().upper()]
    assert main(argv) == 0
    assert capsys.readouterr().out.strip() == f"model ready: {dest / NAME}"
    assert main(argv) == 0
    assert "already there" in capsys.readouterr().out
    bad = ["download-model", "--dest", str(tmp_path / "other"), "--url", url, "--sha256", "1" * 64]
    assert main(bad) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: checksum mismatch") and "Traceback" not in err
    assert main(["download-model", "--sha256", "xyz"]) == 2
    assert "not a SHA-256" in capsys.readouterr().err


def test_script_wrapper_runs_the_same_command(server, tmp_path):
    body = model_zip(tmp_path)
    url = server.serve("/m.zip", body)
    script = Path(__file__).resolve().parents[2] / "scripts" / "download-model"
    done = subprocess.run([str(script), "--dest", str(tmp_path / "models"), "--url", url,
                           "--sha256", hashlib.sha256(body).hexdigest()], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert model_problem(tmp_path / "models" / NAME) is None
