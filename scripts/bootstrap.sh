#!/usr/bin/env bash
# Set up everything hucheng needs on a Debian/Ubuntu machine; safe to run again (idempotent).
#   as root:  installs the missing Debian packages, then the venv and the package
#   otherwise: prints exactly which packages are missing and the command that installs them,
#              then sets up the venv (tests that need a missing server skip, or fail under CI=true)
# Environment: VENV (default .venv), PYTHON (default python3), HUCHENG_SKIP_APT=1 to skip apt.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}
# Real components the tools and their tests use (see docs/testing.md for who needs what).
APT_PACKAGES=(
  git python3-venv chromium redis-server nginx ninja-build
  prometheus prometheus-alertmanager prometheus-pushgateway
  prometheus-blackbox-exporter prometheus-node-exporter
  openssl
)

say() { printf 'bootstrap: %s\n' "$*" >&2; }

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${APT_PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
  done
else
  say "not a Debian-like system: install these yourself: ${APT_PACKAGES[*]}"
fi

if ((${#missing[@]})); then
  if [[ "${HUCHENG_SKIP_APT:-}" == 1 ]]; then
    say "HUCHENG_SKIP_APT=1: not installing: ${missing[*]}"
  elif [[ $(id -u) -eq 0 ]]; then
    say "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # policy-rc.d keeps the packages from starting services of their own: tests start their own
    # servers on free ports, and nothing should hold 9090/9093/6379/80 on a developer machine.
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
      trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    fi
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    say "missing Debian packages: ${missing[*]}"
    say "install them with: sudo apt-get install -y ${missing[*]}"
  fi
fi

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  say "$PYTHON is $("$PYTHON" -V 2>&1); hucheng needs Python 3.11 or newer (set PYTHON=...)"
  exit 2
fi
if [[ ! -x "$VENV/bin/python" ]]; then
  say "creating virtual environment $VENV"
  "$PYTHON" -m venv "$VENV"
fi
# reinstall only when the package's metadata changed
stamp="$VENV/.hucheng-installed"
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  say "installing hucheng with its dev extra into $VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
  "$VENV/bin/python" -m pip install -q -e '.[dev]'
  echo "$want" > "$stamp"
fi
say "ready: $VENV/bin/hucheng"
