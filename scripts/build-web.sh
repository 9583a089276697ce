#!/usr/bin/env bash
# Builds the web app into web/dist (TOOLCHAIN.md), two bundles: the dashboard (web/, index.html)
# and the public pages (web/public, public.html, which the server fills in per org). cargo for
# wasm32 with the size profile, wasm-bindgen-cli at the exact version of Cargo.lock, wasm-opt from npm's binaryen (never
# Debian's), JS minified by terser (npm), content-hashed file names, and .br/.gz variants next to each asset.
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

terser_version=5.51.4
terser="$tools/terser-$terser_version/node_modules/.bin/terser"
if [ ! -x "$terser" ]; then
  echo "build-web: installing terser $terser_version (npm)"
  npm install --no-audit --no-fund --prefix "$tools/terser-$terser_version" "terser@$terser_version" >/dev/null
fi

need() { command -v "$1" >/dev/null || { echo "build-web: installing $2"; apt-get install -y "$2" >/dev/null; }; }
need brotli brotli
need gzip gzip

# Two bundles: the dashboard (web/, which renders on its own) and the public pages (web/public,
# which hydrate what the server drew): Leptos built once for each.
cargo build -p upstate-web --target wasm32-unknown-unknown --profile wasm-release
cargo build -p upstate-public-page --bin upstate-public --features hydrate \
  --target wasm32-unknown-unknown --profile wasm-release
wasm_dir="$target_dir/wasm32-unknown-unknown/wasm-release"

# Nothing changed since the last build: keep web/dist as it is, so the server is not rebuilt.
stamp=$(cat "$wasm_dir/upstate-web.wasm" "$wasm_dir/upstate-public.wasm" web/index.html \
  web/public/index.html web/style.css web/favicon.svg "$0" | sha256sum | cut -c1-64)
if [ -f web/dist/index.html ] && [ -f web/dist/public.html ] && [ "$(cat web/.dist-stamp 2>/dev/null)" = "$stamp" ]; then
  echo "build-web: web/dist is up to date"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out="web/dist.new"
rm -rf "$out"
mkdir -p "$out/assets"
hash() { sha256sum "$1" | cut -c1-16; }
css="style-$(hash web/style.css).css"
cp web/style.css "$out/assets/$css"
cp web/favicon.svg "$out/favicon.svg"

# bundle NAME TEMPLATE PAGE: NAME.wasm through wasm-bindgen and wasm-opt into assets/ with
# hashed names, and TEMPLATE into PAGE naming them.
bundle() {
  local name=$1 template=$2 page=$3
  "$bindgen" --target web --no-typescript --out-dir "$work/$name" "$wasm_dir/$name.wasm"
  "$wasm_opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    -o "$work/$name/opt.wasm" "$work/$name/${name}_bg.wasm"
  local js wasm
  wasm="$name-$(hash "$work/$name/opt.wasm")_bg.wasm"
  # wasm-bindgen's glue, minified: a third of its size as sent.
  "$terser" "$work/$name/$name.js" --module --compress --mangle -o "$work/$name/min.js"
  mv "$work/$name/min.js" "$work/$name/$name.js"
  js="$name-$(hash "$work/$name/$name.js").js"
  cp "$work/$name/$name.js" "$out/assets/$js"
  cp "$work/$name/opt.wasm" "$out/assets/$wasm"
  # The public pages inline the style sheet: one request fewer before the first paint.
  awk -v css=web/style.css '
    /<!--upstate:style-->/ { print "  <style>"; while ((getline line < css) > 0) print line; print "  </style>"; next }
    { print }' "$template" |
    sed -e "s|{{JS}}|$js|g" -e "s|{{WASM}}|$wasm|g" -e "s|{{CSS}}|$css|g" > "$out/$page"
}
bundle upstate-web web/index.html index.html
bundle upstate-public web/public/index.html public.html

for file in "$out/assets/"*; do
  brotli -q 11 -k -f "$file"
  gzip -9 -k -f "$file"
done
rm -rf web/dist
mv "$out" web/dist
echo "$stamp" > web/.dist-stamp

size() { stat -c %s "$1"; }
for name in upstate-public upstate-web; do
  wasm=$(ls web/dist/assets/$name-*_bg.wasm)
  js=$(ls web/dist/assets/$name-*.js)
  echo "build-web: $name: wasm $(size "$wasm") bytes ($(size "$wasm.br") brotli), js $(size "$js") bytes ($(size "$js.br") brotli)"
done
