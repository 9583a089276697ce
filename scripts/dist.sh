#!/usr/bin/env bash
# Builds the static Linux binary into dist/: musl, with SQLite, OpenSSL and libpq built from source
# and linked in, and the web app embedded (the `dist` feature); beside it the certificate
# authorities and the empty /data the image (Dockerfile) needs.
#   scripts/dist.sh           the release build (`just dist`; build the web app first)
#   scripts/dist.sh dev       the quick unoptimized build `just test` runs in an empty root
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-release}"
scripts/setup.sh dist >&2
target=x86_64-unknown-linux-musl
cargo build --profile "$profile" --target "$target" -p upstate-api --bin upstate --features dist
folder="$profile"
[ "$profile" = dev ] && folder=debug
built="$CARGO_TARGET_DIR/$target/$folder/upstate"
mkdir -p dist/data
cp "$built" dist/upstate
cp /etc/ssl/certs/ca-certificates.crt dist/ca-certificates.crt
echo "dist: $(du -h dist/upstate | cut -f1) static binary at dist/upstate" >&2
