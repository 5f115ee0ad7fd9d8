#!/usr/bin/env bash
# Installs the Debian 12 packages symjit needs, only those that are missing.
set -euo pipefail
PKGS=(build-essential cmake pkg-config llvm-19-dev llvm-19-tools libopenblas-dev zlib1g-dev
      dataset-fashion-mnist python3)
missing=()
for p in "${PKGS[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
