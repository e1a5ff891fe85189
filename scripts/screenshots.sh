#!/usr/bin/env bash
# Regenerates screenshots/ from `infertop snapshot`: the same frames every time (seeded).
#   .svg  pictures in the theme's colours; GitHub and browsers show them (the README opens with one)
#   .txt  the same frames as plain text, to read or diff anywhere
# Waterfalls, dialogs and help are opened as keys would open them (--waterfall, --command).
set -euo pipefail
cd "$(dirname "$0")/.."
# INFERTOP_BIN=path uses an infertop already built (a debug build draws the same frames).
if [ -n "${INFERTOP_BIN:-}" ]; then
    bin=$INFERTOP_BIN
else
    swift build -c release --product infertop >/dev/null
    bin="$(swift build -c release --show-bin-path)/infertop"
fi
out=screenshots
mkdir -p "$out"
rm -f "$out"/*.svg "$out"/*.txt "$out"/*.ans

shot() { # name, then snapshot arguments: a picture and its text
    local name=$1
    shift
    "$bin" snapshot --demo "$@" --format svg >"$out/$name.svg"
    "$bin" snapshot --demo "$@" --format text >"$out/$name.txt"
}

# Every view, default theme.
shot overview-kv-pressure-120x40 --seed 7 --at 70 --size 120x40
shot overview-kv-pressure-200x50 --seed 7 --at 70 --size 200x50
shot overview-80x24 --seed 7 --at 70 --size 80x24
shot overview-straggler-120x40 --seed 7 --at 210 --size 120x40
shot overview-node-lost-120x40 --seed 7 --at 465 --size 120x40
shot overview-1024-gpus-200x50 --seed 7 --at 60 --size 200x50 --nodes 128
shot overview-ascii-80x24 --seed 7 --at 70 --size 80x24 --ascii
shot memory-120x40 --seed 7 --at 70 --size 120x40 --view memory
shot interconnect-degraded-nvlink-120x40 --seed 7 --at 340 --size 120x40 --view interconnect
shot requests-kv-pressure-120x40 --seed 7 --at 75 --size 120x40 --view requests
shot requests-80x24 --seed 7 --at 75 --size 80x24 --view requests
shot waterfall-kv-pressure-120x40 --seed 7 --at 75 --size 120x40 --waterfall
shot node-10-120x40 --seed 7 --at 70 --size 120x40 --node node-10
shot shards-120x40 --seed 7 --at 70 --size 120x40 --view shards
shot events-120x40 --seed 7 --at 70 --size 120x40 --view events
shot help-120x40 --seed 7 --at 70 --size 120x40 --command help

# Dialogs: each opens with its impact and focus on Cancel; nothing is sent to a cluster.
shot dialog-drain-120x40 --seed 7 --at 70 --size 120x40 --command 'drain node-10 --reason "KV cache full"'
shot dialog-cordon-120x40 --seed 7 --at 70 --size 120x40 --command 'cordon node-03 --reason "disk errors"'
shot dialog-rebalance-120x40 --seed 7 --at 70 --size 120x40 --command 'rebalance --relieve node-10:6'

# The overview in every built-in theme (themes/*.toml).
for file in themes/*.toml; do
    theme=$(basename "$file" .toml)
    "$bin" snapshot --demo --seed 7 --at 70 --size 120x40 --theme "$theme" --format svg >"$out/theme-$theme-120x40.svg"
done

# The wall (`infertop wall`), at the sizes its goldens use: calm, and holding on a culprit in
# large type (the KV squeeze at 70 s). --wall prints the frame the wall shows.
wall_shot() { # name, then snapshot arguments
    local name=$1
    shift
    "$bin" snapshot --demo --wall "$@" --format svg >"$out/$name.svg"
    "$bin" snapshot --demo --wall "$@" --format text >"$out/$name.txt"
}
wall_shot wall-culprit-200x50 --seed 7 --at 70 --size 200x50
wall_shot wall-culprit-100x30 --seed 7 --at 70 --size 100x30
wall_shot wall-culprit-40x12 --seed 7 --at 70 --size 40x12
wall_shot wall-calm-100x30 --seed 7 --at 30 --size 100x30

echo "wrote $(ls "$out" | wc -l) files to $out/"
