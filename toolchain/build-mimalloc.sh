#!/usr/bin/env bash
# build-mimalloc.sh OUTDIR
#
# Builds mimalloc for musl static links, as ONE object, and prints its
# absolute path on stdout (everything else goes to stderr).
#
# - Source: Debian's source package (`apt-get source mimalloc`). When no
#   deb-src line is configured, a separate file
#   /etc/apt/sources.list.d/static-musl-deb-src.sources is added that mirrors
#   the existing Debian "deb" entries as "deb-src" (needs root).
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

SRC_ROOT="$OUT/src"

find_tree() {  # prints an unpacked mimalloc tree under $SRC_ROOT, if any
  local d
  for d in "$SRC_ROOT"/mimalloc-*/; do
    [[ -f "$d/src/static.c" ]] && { printf '%s\n' "${d%/}"; return 0; }
  done
  return 1
}

ensure_deb_src() {
  if apt-get source --download-only --print-uris mimalloc >/dev/null 2>&1; then return 0; fi
  [[ $(id -u) -eq 0 ]] || die "no deb-src entry for mimalloc and not root: add a deb-src line, or set MIMALLOC_SRC"
  local file=/etc/apt/sources.list.d/static-musl-deb-src.sources
  if [[ ! -f $file ]]; then
    log "adding deb-src entries in $file"
    local f written=0
    for f in /etc/apt/sources.list.d/*.sources; do
      [[ -f $f && $f != "$file" ]] || continue
      grep -q 'deb.debian.org\|security.debian.org' "$f" || continue
      sed -e 's/^Types:.*/Types: deb-src/' "$f" >>"$file"
      printf '\n' >>"$file"; written=1
    done
    if [[ $written -eq 0 ]]; then
      local codename; codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
      printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        "$codename" >"$file"
    fi
  fi
  local try
  for try in 1 2 3 4 5 6; do
    if apt-get update -o DPkg::Lock::Timeout=60 >&2; then break; fi
    log "apt-get update failed (try $try), retrying in 10 s"; sleep 10
  done
}

if [[ -n ${MIMALLOC_SRC:-} ]]; then
  TREE=$MIMALLOC_SRC
  [[ -f $TREE/src/static.c ]] || die "MIMALLOC_SRC=$TREE has no src/static.c"
elif ! TREE=$(find_tree); then
  if ! command -v dpkg-source >/dev/null; then
    [[ $(id -u) == 0 ]] || die "dpkg-source is missing: install the Debian package 'dpkg-dev' (apt-get install -y dpkg-dev)"
    log "dpkg-source is missing: installing the Debian package 'dpkg-dev'"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dpkg-dev >&2 ||
      { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dpkg-dev >&2; } ||
      die "could not install dpkg-dev (needed to unpack mimalloc's Debian source package)"
  fi
  ensure_deb_src
  mkdir -p "$SRC_ROOT"
  log "downloading Debian source package mimalloc into $SRC_ROOT"
  (cd "$SRC_ROOT" && apt-get source --download-only mimalloc >&2) || die "apt-get source mimalloc failed"
  dsc=$(ls "$SRC_ROOT"/mimalloc_*.dsc 2>/dev/null | sort | tail -1)
  [[ -n $dsc ]] || die "no mimalloc .dsc in $SRC_ROOT"
  ver=$(basename "$dsc" .dsc); ver=${ver#mimalloc_}
  (cd "$SRC_ROOT" && dpkg-source --no-check -x "$(basename "$dsc")" "mimalloc-$ver" >&2) \
    || die "dpkg-source -x $dsc failed"
  TREE=$(find_tree) || die "unpacked mimalloc has no src/static.c"
fi

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
