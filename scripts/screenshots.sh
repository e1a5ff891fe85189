#!/usr/bin/env bash
# Regenerates screenshots/ from `infertop snapshot`: the same frames every time (seeded).
# Text frames (.txt) read anywhere; ANSI frames (.ans) show the colours with `cat` in a terminal.
set -euo pipefail
cd "$(dirname "$0")/.."
# INFERTOP_BIN=path uses an infertop already built (the frames do not depend on the build).
bin=${INFERTOP_BIN:-.build/release/infertop}
[ -n "${INFERTOP_BIN:-}" ] || swift build -c release --product infertop >/dev/null
out=screenshots
mkdir -p "$out"
shot() { # name, then snapshot arguments
    local name=$1
    shift
    "$bin" snapshot --demo "$@" >"$out/$name.txt"
    "$bin" snapshot --demo --format ansi "$@" >"$out/$name.ans"
}
shot overview-kv-pressure-200x50 --seed 7 --at 70 --size 200x50
shot overview-kv-pressure-120x40 --seed 7 --at 70 --size 120x40
shot overview-80x24 --seed 7 --at 70 --size 80x24
shot memory-120x40 --seed 7 --at 70 --size 120x40 --view memory
shot node-10-120x40 --seed 7 --at 70 --size 120x40 --node node-10
shot overview-straggler-120x40 --seed 7 --at 210 --size 120x40
shot overview-node-lost-120x40 --seed 7 --at 465 --size 120x40
shot overview-1024-gpus-200x50 --seed 7 --at 60 --size 200x50 --nodes 128
shot overview-ascii-80x24 --seed 7 --at 70 --size 80x24 --ascii
shot interconnect-degraded-nvlink-120x40 --seed 7 --at 340 --size 120x40 --view interconnect
shot requests-kv-pressure-120x40 --seed 7 --at 75 --size 120x40 --view requests
shot requests-80x24 --seed 7 --at 75 --size 80x24 --view requests
echo "wrote $(ls "$out" | wc -l) files to $out/"
