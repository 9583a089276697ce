#!/usr/bin/env bash
# Builds the web app into web/dist (TOOLCHAIN.md): cargo for wasm32 with the size profile,
# wasm-bindgen-cli at the exact version of Cargo.lock, wasm-opt from npm's binaryen (never
# Debian's), content-hashed file names, and .br/.gz variants next to each asset.
# Installs what is missing; a no-op for what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

target_dir="${CARGO_TARGET_DIR:-target}"
tools="${UPSTATE_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/upstate/tools}"
binaryen_version=132
mkdir -p "$tools"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "build-web: adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
bindgen="$tools/wasm-bindgen-$bindgen_version/bin/wasm-bindgen"
if [ ! -x "$bindgen" ]; then
  echo "build-web: installing wasm-bindgen-cli $bindgen_version (a few minutes, once)"
  # Without --locked: its lockfile pins a crate version the registry here lacks.
  cargo install wasm-bindgen-cli --version "$bindgen_version" --root "$tools/wasm-bindgen-$bindgen_version"
fi

wasm_opt="$tools/binaryen-$binaryen_version/node_modules/.bin/wasm-opt"
if [ ! -x "$wasm_opt" ]; then
  echo "build-web: installing wasm-opt (npm binaryen@$binaryen_version)"
  npm install --no-audit --no-fund --prefix "$tools/binaryen-$binaryen_version" "binaryen@$binaryen_version" >/dev/null
fi

need() { command -v "$1" >/dev/null || { echo "build-web: installing $2"; apt-get install -y "$2" >/dev/null; }; }
need brotli brotli
need gzip gzip

cargo build -p upstate-web --target wasm32-unknown-unknown --profile wasm-release
wasm="$target_dir/wasm32-unknown-unknown/wasm-release/upstate-web.wasm"

# Nothing changed since the last build: keep web/dist as it is, so the server is not rebuilt.
stamp=$(cat "$wasm" web/index.html web/style.css web/favicon.svg "$0" | sha256sum | cut -c1-64)
if [ -f web/dist/index.html ] && [ "$(cat web/.dist-stamp 2>/dev/null)" = "$stamp" ]; then
  echo "build-web: web/dist is up to date"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bindgen" --target web --no-typescript --out-dir "$work" "$wasm"
"$wasm_opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  -o "$work/opt.wasm" "$work/upstate-web_bg.wasm"

hash() { sha256sum "$1" | cut -c1-16; }
out="web/dist.new"
rm -rf "$out"
mkdir -p "$out/assets"
js="upstate-web-$(hash "$work/upstate-web.js").js"
wasm_name="upstate-web-$(hash "$work/opt.wasm")_bg.wasm"
css="style-$(hash web/style.css).css"
cp "$work/upstate-web.js" "$out/assets/$js"
cp "$work/opt.wasm" "$out/assets/$wasm_name"
cp web/style.css "$out/assets/$css"
cp web/favicon.svg "$out/favicon.svg"
sed -e "s|{{JS}}|$js|g" -e "s|{{WASM}}|$wasm_name|g" -e "s|{{CSS}}|$css|g" web/index.html > "$out/index.html"
for file in "$out/assets/"*; do
  brotli -q 11 -k -f "$file"
  gzip -9 -k -f "$file"
done
rm -rf web/dist
mv "$out" web/dist
echo "$stamp" > web/.dist-stamp

size() { stat -c %s "$1"; }
echo "build-web: wasm $(size "web/dist/assets/$wasm_name") bytes ($(size "web/dist/assets/$wasm_name.br") brotli), js $(size "web/dist/assets/$js") bytes ($(size "web/dist/assets/$js.br") brotli)"
