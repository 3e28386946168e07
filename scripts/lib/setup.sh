# Shared set-up steps for scripts/run, scripts/test and scripts/install-pi.
# Sourced, not executed.  Every step is idempotent: repeated runs skip work already done.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$REPO_ROOT/.venv"

say() { printf '[voice-coach setup] %s\n' "$*" >&2; }

# Debian packages the coach needs at run time: speech (espeak-ng, aplay for pyttsx3),
# PortAudio for sounddevice, and venv/pip for Python.
RUNTIME_APT=(espeak-ng libespeak-ng1 libportaudio2 alsa-utils python3-venv python3-pip)
# Extra packages the tests need: a real PulseAudio server with virtual devices, the
# flite voices and sox used to synthesize test speech, tmux for the full-screen test.
TEST_APT=(pulseaudio pulseaudio-utils libasound2-plugins flite sox tmux)

missing_apt() {
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || printf '%s ' "$pkg"
    done
}

ensure_apt() {
    local missing
    missing="$(missing_apt "$@")"
    [ -z "$missing" ] && return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        say "these Debian packages are missing: $missing"
        say "this is not a Debian/Raspberry Pi OS machine; install their equivalents and run again."
        exit 1
    fi
    if [ "$(id -u)" -ne 0 ]; then
        say "some system packages are missing. Run this once, then run the same command again:"
        printf '\n    sudo apt-get update && sudo apt-get install -y %s\n\n' "$missing" >&2
        exit 1
    fi
    say "installing Debian packages: $missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

pick_python() {
    local py
    for py in python3.13 python3.12 python3.11 python3; do
        if command -v "$py" >/dev/null 2>&1 &&
            "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
            echo "$py"
            return 0
        fi
    done
    say "Python 3.11 or newer is needed (Debian 12 / Raspberry Pi OS Bookworm ship it as python3)."
    exit 1
}

pip_install_package() {
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip &&
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$1"
}

# ensure_venv [EXTRAS]: create .venv and install the package (with optional extras such as "test").
# Re-installs only when pyproject.toml or the extras changed since the last run.
ensure_venv() {
    local extras="${1:-}" spec stamp want
    if [ ! -x "$VENV/bin/python" ]; then
        say "creating $VENV"
        "$(pick_python)" -m venv "$VENV"
    fi
    spec="$REPO_ROOT"
    [ -n "$extras" ] && spec="$REPO_ROOT[$extras]"
    stamp="$VENV/.voice-coach-installed"
    want="$(cat "$REPO_ROOT/pyproject.toml" | sha256sum | cut -d' ' -f1) extras=$extras"
    if [ -f "$stamp" ] && [ -x "$VENV/bin/voice-coach" ]; then
        # A venv installed with the test extras also serves the plain run.
        [ "$(cat "$stamp")" = "$want" ] && return 0
        [ -z "$extras" ] && [ "$(cut -d' ' -f1 "$stamp")" = "${want%% *}" ] && return 0
    fi
    say "installing voice-coach into $VENV (a few minutes the first time)"
    local log="$VENV/pip-install.log"
    # pip's build chatter goes to a log; it is shown only when the install fails.  One more try
    # after a pause: a dropped connection to the index (flaky Wi-Fi, a busy proxy) is common.
    if ! pip_install_package "$spec" >"$log" 2>&1 &&
       ! { say "the install failed; trying once more in 10 s"; sleep 10; pip_install_package "$spec" >>"$log" 2>&1; }; then
        tail -n 30 "$log" >&2
        say "installing the Python packages failed (full log: $log). Check the network to the package index and run again."
        exit 1
    fi
    echo "$want" >"$stamp"
}
