#!/usr/bin/env bash
# Installs the Debian packages canvasfx builds with, only those missing.
# Uses sudo when not root. Safe to run repeatedly: a no-op once all are present.
# `install-deps.sh asan` adds clang and libFuzzer for `make check-asan`.
set -euo pipefail
packages=(
  build-essential cmake pkg-config
  antlr4 default-jre-headless libantlr4-runtime-dev uuid-dev
  libsqlite3-dev libfmt-dev libicu-dev
  libgtest-dev libgmock-dev libbenchmark-dev liblua5.4-dev
  libedit-dev libyaml-cpp-dev libyaml-dev nlohmann-json3-dev libcli11-dev libzip-dev
  libcpp-httplib-dev libssl-dev libpq-dev libpqxx-dev postgresql
  chromium chromium-driver
)
if [ "${1:-}" = asan ]; then
  packages+=(clang libfuzzer-14-dev)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
