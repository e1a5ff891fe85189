#!/usr/bin/env bash
# Installs what infertop needs from Debian/Ubuntu packages, only where missing:
# ncurses with wide-character support (to build) and tmux (for the end-to-end tests).
set -euo pipefail
packages=(libncursesw5-dev tmux)
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
