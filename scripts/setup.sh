#!/usr/bin/env bash
# Create .venv with Python 3.10 (Rasa 3.6 runs on 3.8-3.10 only) and install the pinned dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "setup failed: $*" >&2; exit 1; }

find_python() {
  if command -v python3.10 >/dev/null 2>&1 && python3.10 -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
    command -v python3.10; return
  fi
  if command -v pyenv >/dev/null 2>&1; then
    local root version
    root=$(pyenv root)
    version=$(ls "$root/versions" 2>/dev/null | grep -E '^3\.10(\.[0-9]+)?$' | sort -V | tail -n 1 || true)
    if [ -n "$version" ] && [ -x "$root/versions/$version/bin/python3.10" ]; then
      echo "$root/versions/$version/bin/python3.10"; return
    fi
  fi
  for candidate in "$HOME/.pyenv/versions"/3.10*/bin/python3.10 /usr/local/bin/python3.10 /usr/bin/python3.10; do
    [ -x "$candidate" ] && { echo "$candidate"; return; }
  done
  return 1
}

PYTHON=$(find_python) || fail "Python 3.10 not found. Install it (e.g. 'pyenv install 3.10' or your package manager's python3.10), then run make again."
echo "==> Using $PYTHON ($("$PYTHON" --version))"

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
  rm -rf .venv
  "$PYTHON" -m venv .venv || fail "could not create .venv; on Debian/Ubuntu install python3.10-venv"
fi

echo "==> Installing pinned dependencies into .venv (first time: about 2 minutes, 2.7 GB)"
.venv/bin/python -m pip install --quiet --upgrade pip || fail "could not upgrade pip; check your network connection to PyPI"
.venv/bin/python -m pip install --progress-bar on -r requirements.lock \
  || fail "pip could not install requirements.lock; check the network, then run make again"
touch .venv/.installed
echo "==> Dependencies installed"
