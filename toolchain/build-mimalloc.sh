#!/usr/bin/env bash
# build-mimalloc.sh OUTDIR
#
# Builds mimalloc for musl static links, as ONE object, and prints its
# absolute path on stdout (everything else goes to stderr).
#
# - Source: Debian's source package, through toolchain/debian-source.sh
#   (which adds a deb-src file of the project's own when apt has none).
# - Compile: musl-gcc, src/static.c (the whole allocator in one unit), with
#   MI_LIBC_MUSL and MI_MALLOC_OVERRIDE so it defines malloc/free/... itself.
#   mimalloc 2.0.9 (bookworm) guards aligned_alloc with glibc's __USE_ISOC11
#   (its MI_LIBC_MUSL support came later), so __USE_ISOC11=1 is defined too:
#   otherwise aligned_alloc would pull mallocng back in from libc.a.
#   build-static.sh links this object before libc.a, so musl's mallocng is
#   never pulled in.
# - Cache: OUTDIR/mimalloc-<version>-musl.o, reused when present. Set
#   MIMALLOC_SRC=DIR to build from an unpacked source tree instead.
set -euo pipefail

log() { printf 'build-mimalloc: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

[[ $# -eq 1 ]] || die "usage: build-mimalloc.sh OUTDIR"
mkdir -p "$1" || die "cannot create $1"
OUT=$(cd "$1" && pwd)
# Two builds may ask at once (the suites of a report, parallel tests): the
# first downloads and compiles, the others wait here and find the object.
exec 9>"$OUT/.lock"
flock 9 || die "cannot lock $OUT/.lock"
command -v musl-gcc >/dev/null || die "musl-gcc is missing: apt-get install musl-tools"

if [[ -n ${MIMALLOC_SRC:-} ]]; then
  TREE=$MIMALLOC_SRC
else
  # Debian's source package, with its patches (toolchain/debian-source.sh).
  TREE=$("$(dirname "${BASH_SOURCE[0]}")/debian-source.sh" mimalloc "$OUT/src") ||
    die "could not fetch Debian's mimalloc source package (toolchain/debian-source.sh)"
fi
[[ -f $TREE/src/static.c ]] || die "$TREE has no src/static.c"

VERSION=$(basename "$TREE"); VERSION=${VERSION#mimalloc-}
FLAGS=(-O3 -DNDEBUG -std=gnu11 -fPIC -ftls-model=initial-exec -fno-builtin-malloc
       -DMI_LIBC_MUSL=1 -DMI_MALLOC_OVERRIDE=1 -DMI_STATIC_LIB
       -D__USE_ISOC11=1
       -Wno-unknown-pragmas)
KEY=$(printf '%s\n' "${FLAGS[*]}" | sha1sum | cut -c1-10)
FLAGS+=(-I "$TREE/include")
OBJ="$OUT/mimalloc-$VERSION-$KEY-musl.o"
if [[ -s $OBJ ]]; then
  log "cached: $OBJ"
else
  log "compiling $TREE/src/static.c with musl-gcc"
  tmp="$OBJ.tmp-$$"
  trap 'rm -f "$tmp"' EXIT
  musl-gcc "${FLAGS[@]}" -c "$TREE/src/static.c" -o "$tmp" >&2 || die "musl-gcc failed on $TREE/src/static.c"
  syms=$(nm "$tmp")
  grep -q ' T malloc$' <<<"$syms" || die "$tmp does not define malloc (override not enabled?)"
  mv "$tmp" "$OBJ"
fi
printf '%s\n' "$OBJ"
