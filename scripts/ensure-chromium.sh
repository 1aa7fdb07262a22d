#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium for the viewer's browser tests.
# Idempotent: does nothing when it is already there. Installs from Debian's packages only:
# never `playwright install` or any other browser download (the machines reach no other host).
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  echo "ensure-chromium: $CHROMIUM already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "ensure-chromium: $CHROMIUM is missing and this user cannot install packages; run as root: apt-get install -y chromium" >&2
    exit 1
  fi
fi

# Recommends (upower, cups helpers, ...) are skipped: headless tests need only the browser and fonts.
echo "ensure-chromium: installing Debian packages chromium and fonts (a few minutes)"
$SUDO apt-get update
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-liberation fonts-dejavu-core

if [ ! -x "$CHROMIUM" ]; then
  echo "ensure-chromium: apt-get finished but $CHROMIUM is still missing" >&2
  exit 1
fi
echo "ensure-chromium: installed $("$CHROMIUM" --version 2>/dev/null || echo chromium)"
