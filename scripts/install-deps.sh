#!/usr/bin/env bash
# Installs what infertop needs, only where missing: from Debian/Ubuntu packages, ncurses with
# wide-character support and zlib (to build), tmux and curl (for the end-to-end tests); from
# PyPI, the OpenTelemetry Python SDK with its OTLP exporters (the end-to-end trace test sends
# real OTLP with it).
set -euo pipefail
otel=(opentelemetry-sdk==1.45.2 opentelemetry-exporter-otlp-proto-grpc==1.45.2 opentelemetry-exporter-otlp-proto-http==1.45.2)
if ! python3 -c "import opentelemetry.sdk.trace, opentelemetry.exporter.otlp.proto.grpc.trace_exporter, opentelemetry.exporter.otlp.proto.http.trace_exporter" 2>/dev/null; then
    python3 -m pip install --quiet --disable-pip-version-check "${otel[@]}" \
        || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "${otel[@]}"
fi
packages=(libncursesw5-dev zlib1g-dev tmux curl)
missing=()
for p in "${packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq "${missing[@]}"
