# The steps of scripts/pi-check (sourced after setup.sh and pi-root.sh).  Each step's output goes
# to its own log under $PI_LOGS; the console shows PASS/FAIL, the time, and a failing log's tail.

PI_LOGS="$PI_CACHE/pi-check-logs"
rm -rf "$PI_LOGS"
mkdir -p "$PI_LOGS"
PI_PASSED=() PI_FAILED=()
# Commands a Pi owner would say, and one ordinary sentence the coach must not take as a command.
PI_COMMANDS=("start heel routine" "next" "pause" "resume" "how much time is left" "switch foot"
             "add thirty seconds" "stop" "repeat that" "next week I am travelling to the coast")
PI_WAKEWORD_PROBE='
import numpy as np
from pyopen_wakeword import OpenWakeWordFeatures
features = OpenWakeWordFeatures.from_builtin()
audio = (np.sin(np.arange(16000) * 2 * np.pi * 440 / 16000) * 3000).astype(np.int16)
frames = [f for i in range(0, 16000, 1280) for f in features.process_streaming(audio[i:i + 1280].tobytes())]
assert frames, "no feature frames from 1 s of audio"
print(f"{len(frames)} feature frames of shape {np.asarray(frames[0]).shape} from 1 s of audio")
'

# step NAME COMMAND…: run it, print PASS/FAIL with its time.
step() {
    local name="$1" log rc=0 t0 t1
    shift
    log="$PI_LOGS/$(printf '%02d' $(( ${#PI_PASSED[@]} + ${#PI_FAILED[@]} + 1 )))-$(echo "$name" | tr -cs 'A-Za-z0-9' '-' | cut -c1-40).log"
    t0=$(date +%s.%N)
    # A subshell with -e of its own: a step stops at its first failing command.
    set +e
    (set -e; "$@") >"$log" 2>&1
    rc=$?
    set -e
    t1=$(date +%s.%N)
    local took; took=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b - a}')
    if [ "$rc" = 0 ]; then
        PI_PASSED+=("$name")
        printf 'PASS %7ss  %s\n' "$took" "$name"
    else
        PI_FAILED+=("$name")
        printf 'FAIL %7ss  %s  (exit %s, log %s)\n' "$took" "$name" "$rc" "$log"
        tail -n 15 "$log" | sed 's/^/      | /'
    fi
    printf '%s\t%s\t%s\n' "$([ "$rc" = 0 ] && echo PASS || echo FAIL)" "$took" "$name" >>"$PI_LOGS/steps.tsv"
}

# expect TEXT COMMAND…: the command must succeed and print TEXT.
expect() {
    local text="$1" out rc=0
    shift
    out="$("$@" 2>&1)" || rc=$?
    printf '%s\n' "$out"
    [ "$rc" = 0 ] || return "$rc"
    grep -qF -- "$text" <<<"$out" || { echo "expected the output to contain: $text"; return 1; }
}

prepare_run_root() {
    mount_run_root
    local m="$PI_RUN/merged"
    # As in any chroot, packages' maintainer scripts must not start services.
    printf '#!/bin/sh\nexit 101\n' >"$m/usr/sbin/policy-rc.d"
    chmod +x "$m/usr/sbin/policy-rc.d"
    # The emulated root has no sound card (this machine has none): ALSA's null device stands in
    # for the Pi's, so the coach finds a microphone (hearing silence) and a speaker (playing nowhere).
    printf 'pcm.!default {\n    type null\n}\nctl.!default {\n    type hw\n    card 0\n}\n' >"$m/etc/asound.conf"
    # The first user, as Raspberry Pi Imager creates it.
    in_root root useradd --create-home --shell /bin/bash --groups audio,sudo pi
    mkdir -p "$m/home/pi/voice-coach"
    # What a clone holds: tracked files plus new ones not ignored (no .venv, models, caches).
    if git -C "$REPO_ROOT" rev-parse --git-dir >/dev/null 2>&1; then
        git -C "$REPO_ROOT" ls-files -z --cached --others --exclude-standard |
            (cd "$REPO_ROOT" && xargs -0 tar --no-recursion --ignore-failed-read -cf - 2>/dev/null) |
            tar -xf - -C "$m/home/pi/voice-coach"
    else
        tar -C "$REPO_ROOT" --exclude=.venv --exclude=.git -cf - . | tar -xf - -C "$m/home/pi/voice-coach"
    fi
    in_root root chown -R pi:pi /home/pi/voice-coach
    ls "$m/home/pi/voice-coach"
}

installed_pi_service() {
    in_root root bash -c "cd $APP && scripts/install-pi" || return 1
    local m="$PI_RUN/merged"
    in_root root id voicecoach | tee /dev/stderr | grep -q '(audio)' || { echo "voicecoach is not in audio"; return 1; }
    [ -f "$m/etc/systemd/system/voice-coach.service" ] || { echo "no unit installed"; return 1; }
    [ -L "$m/etc/systemd/system/multi-user.target.wants/voice-coach.service" ] || { echo "unit not enabled"; return 1; }
    [ -d "$m/etc/voice-coach" ] && [ -d "$m/var/lib/voice-coach" ] || { echo "config/data folders missing"; return 1; }
    # The service's own account must be able to start the installed program.
    in_root voicecoach /opt/voice-coach/.venv/bin/voice-coach --version
}

synthesize_commands() {
    in_root pi mkdir -p /home/pi/wavs
    local i=0 words
    for words in "${PI_COMMANDS[@]}"; do
        i=$((i + 1))
        in_root pi espeak-ng -v en-us -s 150 -w "/home/pi/wavs/$(printf '%02d' $i)-${words// /_}.wav" "$words" || return 1
    done
    ls -l "$PI_RUN/merged/home/pi/wavs"
}

# cpu_seconds FILE COMMAND…: run the command, write its user+system CPU seconds (children included) to FILE.
cpu_seconds() {
    local file="$1"
    shift
    /usr/bin/time -f '%U %S' -o "$file.raw" "$@" || return $?
    awk '{printf "%.2f\n", $1 + $2}' "$file.raw" >"$file"
}

transcribe_arm64() {
    local wavs
    wavs=$(cd "$PI_RUN/merged/home/pi/wavs" && ls ./*.wav | sed 's#^\./#/home/pi/wavs/#')
    # shellcheck disable=SC2086
    root_argv pi
    cpu_seconds "$PI_LOGS/cpu-arm64" "${ROOT_ARGV[@]}" "$APP/.venv/bin/voice-coach" transcribe --json $wavs \
        >"$PI_LOGS/decisions-arm64.jsonl" || return 1
    cat "$PI_LOGS/decisions-arm64.jsonl"
    echo "CPU seconds: $(cat "$PI_LOGS/cpu-arm64")"
}

# The x86 side runs this clone's code with the host's venv (PI_CHECK_X86_PYTHON may name another
# Python that has the dependencies, to skip installing a second venv).
transcribe_x86() {
    local py="${PI_CHECK_X86_PYTHON:-}"
    rm -rf "$PI_LOGS/wavs"
    cp -r "$PI_RUN/merged/home/pi/wavs" "$PI_LOGS/wavs"
    if [ -z "$py" ]; then
        ensure_venv
        py="$VENV/bin/python"
    fi
    (cd "$REPO_ROOT" && cpu_seconds "$PI_LOGS/cpu-x86" "$py" -m voice_coach transcribe --json \
        "$PI_LOGS"/wavs/*.wav) >"$PI_LOGS/decisions-x86.jsonl" || return 1
    cat "$PI_LOGS/decisions-x86.jsonl"
    echo "CPU seconds: $(cat "$PI_LOGS/cpu-x86")"
}

# Same commands (text, intent, slots) per file; decision times may differ by a frame or so.
same_decisions() {
    python3 - "$PI_LOGS/decisions-arm64.jsonl" "$PI_LOGS/decisions-x86.jsonl" <<'PY'
import json, os, sys
def load(path):
    out = {}
    for line in open(path):
        rec = json.loads(line)
        out[os.path.basename(rec["file"])] = rec["commands"]
    return out
arm, x86 = (load(p) for p in sys.argv[1:3])
bad = 0
for name in sorted(set(arm) | set(x86)):
    a, b = arm.get(name), x86.get(name)
    key = lambda cmds: [(c["text"], c["intent"], c["slots"]) for c in cmds or []]
    same = a is not None and b is not None and key(a) == key(b)
    drift = max((abs(p["at_s"] - q["at_s"]) for p, q in zip(a or [], b or [])), default=0.0)
    print(f"{'same' if same else 'DIFFERENT':9s} {name}: arm64 {key(a)} x86 {key(b)} (decision times differ by {drift:.3f} s)")
    bad += not same
heard = sum(bool(c) for c in arm.values())
print(f"{len(arm) - bad} of {len(arm)} files decided the same; {heard} files with a command")
sys.exit(1 if bad or not arm else 0)
PY
}

summary() {
    local arm x86 total=$(( ${#PI_PASSED[@]} + ${#PI_FAILED[@]} ))
    arm=$(cat "$PI_LOGS/cpu-arm64" 2>/dev/null || echo "?")
    x86=$(cat "$PI_LOGS/cpu-x86" 2>/dev/null || echo "?")
    echo
    echo "CPU seconds for transcribing the same ${#PI_COMMANDS[@]} WAVs (whole command, start-up included):" \
        "arm64 emulated $arm, x86 native $x86$(awk -v a="$arm" -v b="$x86" \
        'BEGIN{if (a+0 > 0 && b+0 > 0) printf ", ratio %.1f x", a / b}') (emulation cost, not a Pi speed claim)"
    echo "logs: $PI_LOGS"
    if [ ${#PI_FAILED[@]} = 0 ]; then
        echo "pi-check: ALL $total STEPS PASSED"
    else
        echo "pi-check: FAILED ${#PI_FAILED[@]} of $total steps: $(IFS=';'; echo "${PI_FAILED[*]}")"
        exit 1
    fi
}
