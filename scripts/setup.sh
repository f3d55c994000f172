#!/usr/bin/env bash
# Installs every build, test and benchmark dependency of fhir837 from Debian 12 packages.
# Idempotent and non-interactive; run as root. Skips apt entirely when everything is present.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libboost1.81-dev libpugixml-dev rapidjson-dev
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  libsqlite3-dev libtomlplusplus-dev libcli11-dev
  libarchive-dev libssl-dev zlib1g-dev
  clang libclang-rt-14-dev clang-format
  nats-server libnats-dev
  python3 time libjemalloc-dev
  wrk nginx-light
  systemd
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages already installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "setup: missing packages (${missing[*]}); run this script as root" >&2
  exit 2
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: installed ${missing[*]}"
