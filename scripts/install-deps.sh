#!/usr/bin/env bash
# Installs what infertop needs, only where missing: from Debian/Ubuntu packages, ncurses with
# wide-character support and zlib (to build), tmux and curl (for the end-to-end tests), munge and
# Slurm (a real Slurm for the drain test, started by scripts/slurm-lab.sh); from PyPI, the
# OpenTelemetry Python SDK with its OTLP exporters (the end-to-end trace test sends real OTLP with
# it) and, in a venv of its own, sglang-router 0.3.2 (the router executor's end-to-end test).
set -euo pipefail
otel=(opentelemetry-sdk==1.45.2 opentelemetry-exporter-otlp-proto-grpc==1.45.2 opentelemetry-exporter-otlp-proto-http==1.45.2)
if ! python3 -c "import opentelemetry.sdk.trace, opentelemetry.exporter.otlp.proto.grpc.trace_exporter, opentelemetry.exporter.otlp.proto.http.trace_exporter" 2>/dev/null; then
    python3 -m pip install --quiet --disable-pip-version-check "${otel[@]}" \
        || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "${otel[@]}"
fi
packages=(libncursesw5-dev zlib1g-dev tmux curl)
# A real single-node Slurm for the end-to-end drain test (scripts/slurm-lab.sh starts it), and a
# real Prometheus (Debian's 2.42) for the Prometheus source's end-to-end test, which starts its
# own server on a loopback port: both are daemons the policy-rc.d guard below keeps from starting.
slurm_packages=(munge slurmctld slurmd slurm-client prometheus)
missing=()
for p in "${packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
missing_slurm=()
for p in "${slurm_packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing_slurm+=("$p")
done
if [ ${#missing[@]} -gt 0 ] || [ ${#missing_slurm[@]} -gt 0 ]; then
    as_root=()
    [ "$(id -u)" -eq 0 ] || as_root=(sudo)
    export DEBIAN_FRONTEND=noninteractive
    apt=("${as_root[@]}" apt-get -o DPkg::Lock::Timeout=600)
    # apt-get update fails at once when another apt holds the lists lock: retry it for a while.
    for try in $(seq 1 30); do
        "${apt[@]}" update -qq && break
        [ "$try" -eq 30 ] && { echo "install-deps: apt-get update kept failing" >&2; exit 1; }
        sleep 5
    done
    [ ${#missing[@]} -eq 0 ] || "${apt[@]}" install -y -qq "${missing[@]}"
    if [ ${#missing_slurm[@]} -gt 0 ]; then
        # Without systemd, munge's, Slurm's and Prometheus's postinst start system daemons through invoke-rc.d;
        # a policy-rc.d that exits 101 forbids that (the tests start private daemons themselves).
        added_policy=0
        if [ ! -e /usr/sbin/policy-rc.d ]; then
            printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee /usr/sbin/policy-rc.d >/dev/null
            "${as_root[@]}" chmod 755 /usr/sbin/policy-rc.d
            added_policy=1
        fi
        status=0
        "${apt[@]}" install -y -qq --no-install-recommends "${missing_slurm[@]}" || status=$?
        [ "$added_policy" -eq 0 ] || "${as_root[@]}" rm -f /usr/sbin/policy-rc.d
        [ "$status" -eq 0 ] || { echo "install-deps: apt-get install ${missing_slurm[*]} failed ($status)" >&2; exit "$status"; }
    fi
fi

# The real sglang-router (0.3.2, from PyPI) for the router executor's end-to-end test
# (Tests/EndToEndTests/RouterEndToEndTests.swift), in a venv of its own at a fixed place:
# ${INFERTOP_ROUTER_VENV:-$HOME/.cache/infertop/sglang-router-venv}. The test looks there too.
# Only where missing; python3-venv from apt when python3 cannot make a venv.
router_venv="${INFERTOP_ROUTER_VENV:-$HOME/.cache/infertop/sglang-router-venv}"
router_version=0.3.2
if ! "$router_venv/bin/python" -c "import importlib.metadata as m, sglang_router; assert m.version('sglang-router') == '$router_version'" 2>/dev/null; then
    mkdir -p "$(dirname "$router_venv")"
    if ! python3 -m venv --clear "$router_venv" >/dev/null 2>&1; then
        as_root=()
        [ "$(id -u)" -eq 0 ] || as_root=(sudo)
        venv_packages=(python3-venv "python3.$(python3 -c 'import sys; print(sys.version_info[1])')-venv")
        export DEBIAN_FRONTEND=noninteractive
        "${as_root[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${venv_packages[@]}" \
            || { "${as_root[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq \
                && "${as_root[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${venv_packages[@]}"; }
        python3 -m venv --clear "$router_venv"
    fi
    "$router_venv/bin/python" -m pip install --quiet --disable-pip-version-check "sglang-router==$router_version"
fi
