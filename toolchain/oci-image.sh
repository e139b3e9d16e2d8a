#!/usr/bin/env bash
# Write a FROM-scratch OCI image layout, as one tar (an "oci-archive"),
# holding a static binary as its entrypoint and only what --with adds.
# No Docker: GNU tar, gzip -n, sha256sum and jq. The same inputs give a
# byte-identical tarball: entries sorted, mtimes 0, owner 0:0, fixed modes,
# no timestamps in gzip headers or in the image config.
#
#   ./toolchain/oci-image.sh --binary FILE --out IMAGE.tar [--with certs,passwd,tzdata]
#       [--name NAME] [--tag TAG]
#
#   certs   /etc/ssl/certs/ca-certificates.crt (this machine's CA bundle)
#   passwd  /etc/passwd and /etc/group with root, nobody and nonroot (65532)
#   tzdata  /usr/share/zoneinfo (this machine's)
#
# Prints one JSON object on stdout: image, tag, entrypoint, with, the layer's
# compressed and uncompressed sizes and the digests. Logs go to stderr.
set -euo pipefail

PROJECT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$PROJECT_ROOT/toolchain/lib/common.sh"

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; }

BINARY="" OUT="" WITH="" NAME="" TAG=latest
while [ $# -gt 0 ]; do
	case $1 in
		--binary) BINARY=${2:?--binary needs a file}; shift 2 ;;
		--out) OUT=${2:?--out needs a file name}; shift 2 ;;
		--with) WITH=${2:?--with needs a list: certs,passwd,tzdata}; shift 2 ;;
		--name) NAME=${2:?--name needs a name}; shift 2 ;;
		--tag) TAG=${2:?--tag needs a tag}; shift 2 ;;
		-h|--help) usage; exit 0 ;;
		*) usage >&2; die "oci-image: unknown argument: $1" ;;
	esac
done
[ -n "$BINARY" ] || die "oci-image: --binary FILE is required"
[ -n "$OUT" ] || die "oci-image: --out IMAGE.tar is required"
[ -f "$BINARY" ] || die "oci-image: $BINARY is not a file"
[ -x "$BINARY" ] || die "oci-image: $BINARY is not executable"
if readelf -lW "$BINARY" 2>/dev/null | grep -q 'Requesting program interpreter'; then
	die "oci-image: $BINARY is dynamically linked (it has a PT_INTERP); a FROM scratch image needs a static binary"
fi
need_tool jq jq
need_tool sha256sum coreutils
[ -n "$NAME" ] || NAME=$(basename "$BINARY")
case $NAME in */*|.*|"") die "oci-image: --name '$NAME' must be a plain file name" ;; esac

ITEMS=()
IFS=',' read -r -a ITEMS <<<"$WITH"
for item in "${ITEMS[@]}"; do
	case $item in
		certs) [ -f /etc/ssl/certs/ca-certificates.crt ] ||
			die "oci-image: --with certs needs /etc/ssl/certs/ca-certificates.crt (Debian package ca-certificates)" ;;
		tzdata) [ -d /usr/share/zoneinfo ] || die "oci-image: --with tzdata needs /usr/share/zoneinfo (Debian package tzdata)" ;;
		passwd|"") ;;
		*) die "oci-image: unknown --with item '$item' (certs, passwd, tzdata)" ;;
	esac
done

case $(uname -m) in
	x86_64) ARCH=amd64 ;;
	aarch64) ARCH=arm64 ;;
	*) ARCH=$(uname -m) ;;
esac

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ROOTFS=$WORK/rootfs LAYOUT=$WORK/layout
mkdir -p "$ROOTFS" "$LAYOUT/blobs/sha256"

# The root file system: the binary at /NAME, then what --with asks for.
install -m 0755 "$BINARY" "$ROOTFS/$NAME"
for item in "${ITEMS[@]}"; do
	case $item in
		certs)
			install -D -m 0644 /etc/ssl/certs/ca-certificates.crt "$ROOTFS/etc/ssl/certs/ca-certificates.crt" ;;
		passwd)
			mkdir -p "$ROOTFS/etc" "$ROOTFS/home/nonroot"
			printf '%s\n' 'root:x:0:0:root:/root:/sbin/nologin' \
				'nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin' \
				'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin' >"$ROOTFS/etc/passwd"
			printf '%s\n' 'root:x:0:' 'nobody:x:65534:' 'nonroot:x:65532:' >"$ROOTFS/etc/group"
			chmod 0644 "$ROOTFS/etc/passwd" "$ROOTFS/etc/group" ;;
		tzdata)
			mkdir -p "$ROOTFS/usr/share"
			cp -R --dereference /usr/share/zoneinfo "$ROOTFS/usr/share/zoneinfo" ;;
	esac
done

# deterministic_tar DIR OUT: sorted entries, mtime 0, root-owned, fixed modes.
deterministic_tar() {
	local dir=$1 out=$2
	# Modes do not depend on the umask: folders 0755, files 0755 or 0644.
	find "$dir" -type d -exec chmod 0755 {} +
	find "$dir" -type f -perm /u+x -exec chmod 0755 {} +
	find "$dir" -type f ! -perm /u+x -exec chmod 0644 {} +
	(cd "$dir" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort) >"$WORK/list"
	tar --create --file "$out" --directory "$dir" --no-recursion --verbatim-files-from --files-from "$WORK/list" \
		--format=gnu --mtime=@0 --owner=0 --group=0 --numeric-owner
}

sha() { sha256sum "$1" | cut -d' ' -f1; }
size() { stat -c %s "$1"; }

deterministic_tar "$ROOTFS" "$WORK/layer.tar"
gzip -n -9 -c "$WORK/layer.tar" >"$WORK/layer.tar.gz"
DIFF_ID=$(sha "$WORK/layer.tar")
LAYER=$(sha "$WORK/layer.tar.gz")
LAYER_SIZE=$(size "$WORK/layer.tar.gz")
cp "$WORK/layer.tar.gz" "$LAYOUT/blobs/sha256/$LAYER"

# blob FILE: store a JSON document under its digest; prints the digest.
blob() { local d; d=$(sha "$1"); cp "$1" "$LAYOUT/blobs/sha256/$d"; echo "$d"; }

jq -c -S -n --arg arch "$ARCH" --arg entry "/$NAME" --arg diff "sha256:$DIFF_ID" --arg with "$WITH" '{
	architecture: $arch, os: "linux", created: "1970-01-01T00:00:00Z",
	config: {Entrypoint: [$entry], Env: ["PATH=/"], WorkingDir: "/"},
	rootfs: {type: "layers", diff_ids: [$diff]},
	history: [{created: "1970-01-01T00:00:00Z",
	           created_by: ("static-musl oci-image.sh --with " + (if $with == "" then "(nothing)" else $with end))}]}' \
	>"$WORK/config.json"
CONFIG=$(blob "$WORK/config.json")
jq -c -S -n --arg config "sha256:$CONFIG" --argjson csize "$(size "$WORK/config.json")" \
	--arg layer "sha256:$LAYER" --argjson lsize "$LAYER_SIZE" '{
	schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
	config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $config, size: $csize},
	layers: [{mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: $layer, size: $lsize}]}' \
	>"$WORK/manifest.json"
MANIFEST=$(blob "$WORK/manifest.json")
jq -c -S -n --arg m "sha256:$MANIFEST" --argjson msize "$(size "$WORK/manifest.json")" --arg tag "$TAG" '{
	schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json",
	manifests: [{mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $m, size: $msize,
	             annotations: {"org.opencontainers.image.ref.name": $tag}}]}' >"$LAYOUT/index.json"
printf '{"imageLayoutVersion":"1.0.0"}' >"$LAYOUT/oci-layout"

mkdir -p "$(dirname "$OUT")"
deterministic_tar "$LAYOUT" "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
log "image $OUT: layer $(numfmt --to=iec "$LAYER_SIZE" 2>/dev/null || echo "$LAYER_SIZE") compressed (sha256:$LAYER)"

jq -n --arg image "$OUT" --arg tag "$TAG" --arg entry "/$NAME" --arg with "$WITH" \
	--argjson layer_size "$LAYER_SIZE" --argjson uncompressed "$(size "$WORK/layer.tar")" \
	--argjson tar_size "$(size "$OUT")" --arg layer "sha256:$LAYER" --arg config "sha256:$CONFIG" \
	--arg manifest "sha256:$MANIFEST" '{
	image: $image, tag: $tag, entrypoint: $entry,
	with: ($with | split(",") | map(select(. != ""))),
	layer_size: $layer_size, layer_uncompressed_size: $uncompressed, image_tar_size: $tar_size,
	layer_digest: $layer, config_digest: $config, manifest_digest: $manifest }'
