#!/usr/bin/env bash
# Installs what a recipe needs and the machine lacks; a no-op for what is there.
#   scripts/setup.sh build   the Rust components and the C libraries to build `upstate`
#   scripts/setup.sh test    also Chromium and chromedriver for the browser tests, and wrk,
#                            nginx-light and Lighthouse (npm) for the benchmark's smoke test
#   scripts/setup.sh bench   the same as test
#   scripts/setup.sh fuzz    also schemathesis (PyPI, pinned) in a virtualenv for `just fuzz`
set -euo pipefail
what="${1:-build}"

for component in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
    rustup component add "$component"
  fi
done
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

packages=(libpq-dev libssl-dev pkg-config brotli gzip)
if [ "$what" = test ] || [ "$what" = bench ]; then
  packages+=(chromium chromium-driver postgresql-client wrk nginx-light)
fi
# cargo-nextest: each test in its own process; a test killed by a signal is named with the signal.
if [ "$what" = test ] || [ "$what" = bench ]; then
  if ! command -v cargo-nextest >/dev/null; then
    echo "setup: installing cargo-nextest (crates.io)" >&2
    cargo install cargo-nextest --locked
  fi
fi
# axe-core, for the browser tests' accessibility check (from npm, pinned).
if [ "$what" = test ] || [ "$what" = bench ]; then
  tools="${UPSTATE_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/upstate/tools}"
  axe_version=4.14.1
  if [ ! -f "$tools/axe-core-$axe_version/node_modules/axe-core/axe.min.js" ]; then
    echo "setup: installing axe-core $axe_version (npm)" >&2
    npm install --no-audit --no-fund --prefix "$tools/axe-core-$axe_version" "axe-core@$axe_version" >/dev/null
  fi
fi

# Lighthouse, for the bench's scores of the public page (npm, pinned; it drives Debian's Chromium;
# the bench's smoke test in `just test` runs it once).
if [ "$what" = test ] || [ "$what" = bench ]; then
  tools="${UPSTATE_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/upstate/tools}"
  lighthouse_version=12.8.2
  if [ ! -x "$tools/lighthouse-$lighthouse_version/node_modules/.bin/lighthouse" ]; then
    echo "setup: installing lighthouse $lighthouse_version (npm, once, about a minute)" >&2
    npm install --no-audit --no-fund --prefix "$tools/lighthouse-$lighthouse_version" "lighthouse@$lighthouse_version" >/dev/null
  fi
fi

# schemathesis, the API conformance fuzzer (PyPI, pinned), in a virtualenv of its own.
if [ "$what" = test ] || [ "$what" = fuzz ]; then
  venv="${XDG_CACHE_HOME:-$HOME/.cache}/upstate/schemathesis-4.32.5"
  if [ ! -x "$venv/bin/st" ]; then
    echo "setup: installing schemathesis 4.32.5 (PyPI)" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check schemathesis==4.32.5
  fi
fi

missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
