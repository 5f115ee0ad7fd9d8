#!/usr/bin/env bash
# Usage: scripts/build.sh [build-dir] [extra cmake args...]
# Installs missing packages, configures and builds.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
dir="${1:-build}"
shift || true
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$dir" -j2
