# The emulated arm64 Debian Bookworm root that scripts/pi-check runs in.  Sourced, not executed.
# The pristine root is built once with debootstrap and cached; each check runs in a throw-away
# overlay on top of it, so every run starts from the same fresh "just flashed" system.

PI_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/voice-coach"
PI_ROOT="$PI_CACHE/pi-root"          # pristine debootstrap result
PI_RUN="$PI_CACHE/pi-run"            # this run's overlay (upper, work, merged)
PI_SUITE=bookworm
# What a fresh Raspberry Pi OS Lite already has that minbase lacks: systemd, python3, sudo, certificates.
PI_BASE_PACKAGES=systemd,systemd-sysv,python3,ca-certificates,sudo,procps

# Register qemu's aarch64 handler with the kernel (the F flag opens the interpreter now,
# so the root needs no copy of qemu).
ensure_binfmt_aarch64() {
    local fs=/proc/sys/fs/binfmt_misc conf=/usr/lib/binfmt.d/qemu-aarch64.conf
    [ -e "$fs/register" ] || mount -t binfmt_misc binfmt_misc "$fs"
    [ -e "$fs/qemu-aarch64" ] && return 0
    [ -f "$conf" ] || { say "no $conf: install qemu-user-static"; exit 1; }
    grep -v '^#' "$conf" | grep . >"$fs/register"
    say "registered the qemu aarch64 handler with binfmt_misc"
}

# The Debian archive this machine itself installs from (deb822 .sources or sources.list);
# never a hard-coded host.
host_debian_mirror() {
    local uri
    uri="$(awk 'BEGIN{RS=""; IGNORECASE=1}
        /(^|\n)Types:[^\n]*deb([ \n]|$)/ && !/Suites:[^\n]*-security/ {
            if (match($0, /URIs:[ \t]*[^ \t\n]+/)) { u = substr($0, RSTART, RLENGTH); sub(/URIs:[ \t]*/, "", u); print u; exit }
        }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)"
    if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
        uri="$(awk '$1 == "deb" && $0 !~ /-security/ { for (i = 2; i <= NF; i++) if ($i !~ /^\[/) { print $i; exit } }' \
            /etc/apt/sources.list)"
    fi
    [ -n "$uri" ] || { say "found no Debian mirror in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list"; exit 1; }
    echo "$uri"
}

build_pi_root() {
    if [ -x "$PI_ROOT/usr/bin/python3" ] && [ -f "$PI_ROOT/.voice-coach-pi-root" ]; then
        say "reusing the cached arm64 root $PI_ROOT (--rebuild to build it again)"
        return 0
    fi
    local mirror tmp="$PI_ROOT.partial"
    mirror="$(host_debian_mirror)"
    say "building an arm64 Debian $PI_SUITE root from $mirror into $PI_ROOT (a few minutes)"
    rm -rf "$tmp"
    mkdir -p "$PI_CACHE"
    if ! debootstrap --arch=arm64 --variant=minbase --include="$PI_BASE_PACKAGES" \
            --keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
            "$PI_SUITE" "$tmp" "$mirror" >"$PI_CACHE/debootstrap.log" 2>&1; then
        tail -n 20 "$PI_CACHE/debootstrap.log" >&2
        say "debootstrap failed (full log: $PI_CACHE/debootstrap.log)"
        return 1
    fi
    rm -rf "$tmp/var/cache/apt/archives/"*.deb "$tmp/var/lib/apt/lists/"*_Packages 2>/dev/null || true
    echo "$PI_SUITE arm64 from $mirror, $(date -u +%FT%TZ)" >"$tmp/.voice-coach-pi-root"
    rm -rf "$PI_ROOT"
    mv "$tmp" "$PI_ROOT"
}

# A fresh overlay on the pristine root with /proc, /sys and /dev bound (TFLite's CPU probe
# reads /sys and crashes without it) and the caches for .debs, apt's lists and pip wheels shared
# between runs.
mount_run_root() {
    umount_run_root
    rm -rf "$PI_RUN"
    mkdir -p "$PI_RUN/upper" "$PI_RUN/work" "$PI_RUN/merged" "$PI_CACHE/apt-archives/partial" \
        "$PI_CACHE/apt-lists/partial" "$PI_CACHE/pip"
    local m="$PI_RUN/merged"
    mount -t overlay overlay -o "lowerdir=$PI_ROOT,upperdir=$PI_RUN/upper,workdir=$PI_RUN/work" "$m"
    mount -t proc proc "$m/proc"
    mount -t sysfs sysfs "$m/sys"
    mount --rbind /dev "$m/dev"
    mount --make-rslave "$m/dev"
    mount --bind "$PI_CACHE/apt-archives" "$m/var/cache/apt/archives"
    mount --bind "$PI_CACHE/apt-lists" "$m/var/lib/apt/lists"
    mkdir -p "$m/root/.cache/pip"
    mount --bind "$PI_CACHE/pip" "$m/root/.cache/pip"
    cp -L /etc/resolv.conf "$m/etc/resolv.conf"
    # Trust what this machine trusts (a local CA in front of the package registries, if any).
    # Appended to the bundle directly: update-ca-certificates takes minutes under emulation.
    if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
        cp /usr/local/share/ca-certificates/*.crt "$m/usr/local/share/ca-certificates/"
        cat /usr/local/share/ca-certificates/*.crt >>"$m/etc/ssl/certs/ca-certificates.crt"
    fi
}

umount_run_root() {
    local m="$PI_RUN/merged"
    mountpoint -q "$m" 2>/dev/null || return 0
    umount -R "$m" 2>/dev/null || umount -R -l "$m"
}

# in_root USER COMMAND…: run a command in the run's root as root or as another user there, with
# a clean environment like a login shell's.  root_argv USER sets ROOT_ARGV to that prefix (for
# wrappers such as /usr/bin/time that cannot call a shell function).
root_argv() {
    local user="$1" home=/root
    [ "$user" = root ] || home="$(awk -F: -v u="$user" '$1 == u {print $6}' "$PI_RUN/merged/etc/passwd")"
    ROOT_ARGV=(chroot --userspec="$user:$user" "$PI_RUN/merged" /usr/bin/env -i HOME="$home" USER="$user"
        LOGNAME="$user" LANG=C.UTF-8 PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
        PIP_CERT=/etc/ssl/certs/ca-certificates.crt PIP_DEFAULT_TIMEOUT=180)
}

in_root() {
    root_argv "$1"
    shift
    "${ROOT_ARGV[@]}" "$@"
}
