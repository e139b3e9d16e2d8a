#!/usr/bin/env bash
# debian-source.sh PACKAGE OUTDIR
#
# Unpacks Debian's source package PACKAGE (with Debian's patches applied)
# under OUTDIR and prints the tree's absolute path on stdout (logs go to
# stderr). A tree already unpacked there is reused. When apt has no deb-src
# entry, a file of this project's own is added,
# /etc/apt/sources.list.d/static-musl-deb-src.sources, mirroring the
# system's Debian "deb" entries as "deb-src" (root only); the system's own
# entries are never changed. Two callers at once: the second waits on a lock.
set -euo pipefail
LOG_NAME=debian-source
PROJECT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$PROJECT_ROOT/toolchain/lib/common.sh"

[[ $# -eq 2 ]] || DIE_STATUS=2 die "usage: debian-source.sh PACKAGE OUTDIR"
PACKAGE=$1
mkdir -p "$2" || die "cannot create $2"
OUT=$(cd "$2" && pwd)
exec 9>"$OUT/.lock-$PACKAGE"
flock 9 || die "cannot lock $OUT/.lock-$PACKAGE"

find_tree() {
	local d
	for d in "$OUT/$PACKAGE"-*/; do
		[[ -d $d/debian ]] && { printf '%s\n' "${d%/}"; return 0; }
	done
	return 1
}

ensure_deb_src() {
	if apt-get source --download-only --print-uris "$PACKAGE" >/dev/null 2>&1; then return 0; fi
	[[ $(id -u) -eq 0 ]] || die "no deb-src entry for $PACKAGE and not root: add a deb-src line for Debian's sources"
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

if TREE=$(find_tree); then printf '%s\n' "$TREE"; exit 0; fi
need_tool dpkg-source dpkg-dev
ensure_deb_src
log "downloading Debian source package $PACKAGE into $OUT"
# The newest version first; when its files are missing from the mirror (a
# security update whose pool is not reachable here), the next one listed.
if ! (cd "$OUT" && apt-get source --download-only "$PACKAGE" >&2); then
	fetched=0
	for v in $(apt-cache showsrc "$PACKAGE" | awk '/^Version:/ { print $2 }' | sort -V -r -u); do
		log "retrying with $PACKAGE=$v"
		rm -f "$OUT/${PACKAGE}"_*
		if (cd "$OUT" && apt-get source --download-only "$PACKAGE=$v" >&2); then fetched=1; break; fi
	done
	[[ $fetched = 1 ]] || die "apt-get source $PACKAGE failed for every version apt lists"
fi
dsc=$(ls "$OUT/${PACKAGE}"_*.dsc 2>/dev/null | sort | tail -1)
[[ -n $dsc ]] || die "no $PACKAGE .dsc in $OUT"
ver=$(basename "$dsc" .dsc); ver=${ver#"${PACKAGE}"_}
(cd "$OUT" && dpkg-source --no-check -x "$(basename "$dsc")" "$PACKAGE-$ver" >&2) || die "dpkg-source -x $dsc failed"
find_tree || die "unpacked $PACKAGE has no debian/ folder"
