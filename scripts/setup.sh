#!/usr/bin/env bash
# gfv set-up: installs what is missing, idempotently, then runs the demo or the tests.
#
#   bash scripts/setup.sh run    # set up .venv/, fetch the model, train the n-gram model, open gfv edit on a sample
#   bash scripts/setup.sh test   # the same set-up, then the whole test suite
#   bash scripts/setup.sh        # set-up only
#
# Needs Python >= 3.11. As root it installs missing Debian packages with apt-get
# (a C++ tool chain, cmake, boost and compression headers for KenLM; tmux for TUI tests;
# bubblewrap, the property sandbox's file-system isolation, see docs/sandbox.md).
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-setup}"
case "$mode" in setup|run|test) ;; *) echo "usage: bash scripts/setup.sh [setup|run|test]" >&2; exit 2 ;; esac

say() { printf 'setup: %s\n' "$*" >&2; }

# 1. Debian packages (only what is missing; apt-get update only when something is)
apt_packages=(build-essential cmake git tmux bubblewrap libboost-program-options-dev libboost-system-dev
  libboost-thread-dev libboost-test-dev zlib1g-dev libbz2-dev liblzma-dev)
missing=()
if command -v dpkg >/dev/null 2>&1; then
  for pkg in "${apt_packages[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    say "missing Debian packages: ${missing[*]}"
    say "install them (sudo apt-get install ${missing[*]}) and run this again"
    exit 2
  fi
fi

# 2. The virtual environment, re-installed only when pyproject.toml changes
python="${PYTHON:-python3}"
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { say "Python >= 3.11 is needed"; exit 2; }
[ -x .venv/bin/python ] || { say "creating .venv"; "$python" -m venv .venv; }
stamp=.venv/.gfv-installed
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "installing gfv and its dependencies into .venv (llama-cpp-python compiles once, ~6 min; pip caches it)"
  .venv/bin/python -m pip install -q --upgrade pip wheel
  # A portable x86-64 AVX2 build (not -march=native), so a cached wheel runs on any such machine.
  if [ "$(uname -m)" = x86_64 ]; then
    export CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF}"
  fi
  .venv/bin/python -m pip install -q -e ".[dev]"
  echo "$want" > "$stamp"
fi

# 3. Models: the ranking model (verified download) and the n-gram model (trained once, cached)
.venv/bin/gfv model fetch >/dev/null
if [ "${GFV_LARGER_MODEL:-0}" = 1 ]; then  # optional: the larger peer (1.1 GB), for a user with more compute
  .venv/bin/gfv model fetch --name qwen2.5-coder-1.5b >/dev/null
fi
.venv/bin/gfv train

# 4. For the tests only: Microsoft's SARIF validator (npm package, a self-contained binary)
sarif_dir=.gfv-cache/tools/sarif-multitool
sarif_bin=$sarif_dir/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
if [ "$mode" = test ] && [ ! -x "$sarif_bin" ]; then
  command -v npm >/dev/null 2>&1 || { say "the tests need npm (for the SARIF validator): apt-get install npm"; exit 2; }
  say "installing Microsoft's SARIF validator (@microsoft/sarif-multitool 5.7.0) for the SARIF test"
  npm install --prefix "$sarif_dir" --no-audit --no-fund --loglevel=error @microsoft/sarif-multitool@5.7.0 >/dev/null
  chmod u+x "$sarif_bin"
fi

case "$mode" in
  run)
    if [ -t 0 ] && [ -t 1 ]; then
      say "opening the editor: gfv edit samples/training_log.py (Ctrl+Space suggest, Tab accept, Ctrl+S save, Ctrl+Q quit)"
      exec .venv/bin/gfv edit samples/training_log.py
    fi
    say "no terminal: running gfv suggest samples/unfinished_log.py --line 51 --col 7 instead of the editor"
    exec .venv/bin/gfv suggest samples/unfinished_log.py --line 51 --col 7
    ;;
  test)
    exec .venv/bin/python -m pytest -q -p no:cacheprovider tests
    ;;
esac
