#!/usr/bin/env bash
# Installs what a recipe needs and the machine lacks; a no-op for what is there.
#   scripts/setup.sh build   the Rust components and the C libraries to build `upstate`
#   scripts/setup.sh test    also Chromium and chromedriver for the browser tests, and wrk,
#                            nginx-light and Lighthouse (npm) for the benchmark's smoke test
#   scripts/setup.sh bench   the same as test
#   scripts/setup.sh fuzz    also schemathesis (PyPI, pinned) in a virtualenv for `just fuzz`
#   scripts/setup.sh dist    also the musl target and musl-gcc for the static binary, and podman
#                            to build its image (`just dist`; `just test` builds it too)
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
# The static binary (`just dist`, and its test in `just test`): Rust's musl target, musl-gcc for
# the C inside (SQLite, OpenSSL and libpq are built from source), perl and make for OpenSSL's.
if [ "$what" = test ] || [ "$what" = dist ]; then
  if ! rustup target list --installed | grep -qx x86_64-unknown-linux-musl; then
    rustup target add x86_64-unknown-linux-musl
  fi
  packages+=(musl-tools perl make)
fi
if [ "$what" = dist ]; then
  packages+=(podman)
fi
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
# npm_tool PACKAGE VERSION FILE: PACKAGE@VERSION from npm into the tools folder, unless FILE
# (relative to its node_modules) is there already.
npm_tool() {
  local tools="${UPSTATE_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/upstate/tools}"
  if [ ! -e "$tools/$1-$2/node_modules/$3" ]; then
    echo "setup: installing $1 $2 (npm, once)" >&2
    npm install --no-audit --no-fund --prefix "$tools/$1-$2" "$1@$2" >/dev/null
  fi
}
if [ "$what" = test ] || [ "$what" = bench ]; then
  # axe-core, for the browser tests' accessibility check.
  npm_tool axe-core 4.14.1 axe-core/axe.min.js
  # Lighthouse, for the bench's scores of the public page (it drives Debian's Chromium; the
  # bench's smoke test in `just test` runs it once).
  npm_tool lighthouse 12.8.2 .bin/lighthouse
  # oidc-provider, the real OpenID provider that the single sign-on tests (api/tests/sso.rs)
  # start on loopback through api/tests/fixtures/oidc/provider.mjs.
  npm_tool oidc-provider 9.13.3 oidc-provider/package.json
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
