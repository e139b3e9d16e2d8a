#!/usr/bin/env bash
# debian-source.sh PACKAGE[=VERSION] OUTDIR [SUITE]
#
# Unpacks Debian's source package PACKAGE (with Debian's patches applied)
# under OUTDIR and prints the tree's absolute path on stdout (logs go to
# stderr). A tree already unpacked there is reused. Two callers at once: the
# second waits on a lock.
#
# Which version:
#   SUITE      a Debian release codename (bookworm, trixie). The newest version
#              that SUITE, SUITE-updates or SUITE-security lists. Default: the
#              system's own release (VERSION_CODENAME), so adding another
#              release's sources never changes what a plain call fetches.
#   =VERSION   exactly that source version (e.g. musl=1.2.5-3.1~deb13u1);
#              without SUITE, any release apt knows sources for.
#
# Where apt finds sources (root only; the system's own entries are never
# changed):
#   - the system's release: when apt has no deb-src entry for it,
#     /etc/apt/sources.list.d/static-musl-deb-src.sources mirrors the system's
#     Debian "deb" entries as "deb-src";
#   - another release: /etc/apt/sources.list.d/static-musl-SUITE-src.sources,
#     deb-src only (SUITE, and SUITE-updates / SUITE-security when the mirror
#     has them), signed by /usr/share/keyrings/debian-archive-keyring.gpg.
# Then apt-get update.
set -euo pipefail
LOG_NAME=debian-source
PROJECT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$PROJECT_ROOT/toolchain/lib/common.sh"

USAGE="usage: debian-source.sh PACKAGE[=VERSION] OUTDIR [SUITE]"
[[ $# -eq 2 || $# -eq 3 ]] || DIE_STATUS=2 die "$USAGE"
PACKAGE=${1%%=*}
VERSION=
[[ $1 == *=* ]] && VERSION=${1#*=}
[[ -n $PACKAGE && $PACKAGE =~ ^[a-z0-9][a-z0-9.+-]+$ ]] || DIE_STATUS=2 die "bad package name '$PACKAGE' ($USAGE)"
[[ $1 != *=* || -n $VERSION ]] || DIE_STATUS=2 die "empty version in '$1' ($USAGE)"
SYSTEM_SUITE=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
SYSTEM_SUITE=${SYSTEM_SUITE:-bookworm}
SUITE=${3:-}
[[ -z $SUITE || $SUITE =~ ^[a-z]+$ ]] || DIE_STATUS=2 die "bad suite '$SUITE': a release codename such as bookworm or trixie ($USAGE)"
# With =VERSION and no suite: any release apt knows; otherwise one release.
MATCH_SUITE=${SUITE:-$([[ -n $VERSION ]] && echo '*' || echo "$SYSTEM_SUITE")}

mkdir -p "$2" || die "cannot create $2"
OUT=$(cd "$2" && pwd)
exec 9>"$OUT/.lock-$PACKAGE"
flock 9 || die "cannot lock $OUT/.lock-$PACKAGE"

# The source versions apt lists for PACKAGE in MATCH_SUITE's family
# (SUITE, SUITE-updates, SUITE-security), newest first. Reads apt's
# lists only: no network.
candidates() {
	apt-cache madison "$PACKAGE" 2>/dev/null | awk -F'|' -v pkg="$PACKAGE" -v suite="$MATCH_SUITE" '
		$3 ~ /Sources[ \t]*$/ {
			name = $1; gsub(/[ \t]/, "", name); if (name != pkg) next
			version = $2; gsub(/[ \t]/, "", version)
			split($3, words, " "); dist = words[2]; sub(/\/.*/, "", dist)
			if (suite == "*" || dist == suite || dist == suite "-updates" || dist == suite "-security") print version
		}' | sort -V -r -u
}

# VERSION without its epoch: how dpkg-source and apt name files and folders.
plain() { printf '%s\n' "${1#*:}"; }

tree_of() {
	local d="$OUT/$PACKAGE-$(plain "$1")"
	[[ -d $d/debian ]] && printf '%s\n' "$d"
}

# The versions to try, newest first: VERSION alone when it was asked for.
wanted() {
	if [[ -n $VERSION ]]; then printf '%s\n' "$VERSION"; else candidates; fi
}

# Each unpacked tree has a note beside it, $OUT/.suite-PACKAGE-VERSION, naming
# the release it came from; a tree without one came from the system's.
suite_of_tree() { cat "$OUT/.suite-$(basename "$1")" 2>/dev/null || echo "$SYSTEM_SUITE"; }

# The release that lists this source version (its base name: trixie for
# trixie-security), from apt's lists.
suite_of_version() {
	apt-cache madison "$PACKAGE" 2>/dev/null | awk -F'|' -v pkg="$PACKAGE" -v version="$1" '
		$3 ~ /Sources[ \t]*$/ {
			name = $1; gsub(/[ \t]/, "", name); v = $2; gsub(/[ \t]/, "", v)
			if (name != pkg || v != version) next
			split($3, words, " "); dist = words[2]; sub(/\/.*/, "", dist); sub(/-(updates|security)$/, "", dist)
			print dist; exit
		}'
}

# A tree unpacked before: no apt query, so a reused tree costs nothing.
# =VERSION: that version's tree. Otherwise the newest tree from the suite.
find_tree() {
	if [[ -n $VERSION ]]; then tree_of "$VERSION"; return; fi
	local d want=${SUITE:-$SYSTEM_SUITE}
	for d in $(ls -d "$OUT/$PACKAGE"-*/ 2>/dev/null | sort -V -r); do
		d=${d%/}
		[[ -d $d/debian && $(suite_of_tree "$d") == "$want" ]] && { printf '%s\n' "$d"; return 0; }
	done
	return 1
}

apt_update() {
	local try
	for try in 1 2 3 4 5 6; do
		if apt-get update -o DPkg::Lock::Timeout=60 >&2; then return 0; fi
		log "apt-get update failed (try $try), retrying in 10 s"; sleep 10
	done
	return 1
}

# The system's release: mirror its Debian "deb" entries as "deb-src".
add_system_deb_src() {
	local file=/etc/apt/sources.list.d/static-musl-deb-src.sources
	[[ -f $file ]] && return 1
	log "adding deb-src entries in $file"
	local f written=0 tmp="$file.tmp-$$"
	: >"$tmp"
	for f in /etc/apt/sources.list.d/*.sources; do
		[[ -f $f && $f != "$file" && $f != /etc/apt/sources.list.d/static-musl-* ]] || continue
		grep -q 'deb.debian.org\|security.debian.org' "$f" || continue
		sed -e 's/^Types:.*/Types: deb-src/' "$f" >>"$tmp"
		printf '\n' >>"$tmp"; written=1
	done
	if [[ $written -eq 0 ]]; then
		printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
			"$SYSTEM_SUITE" >"$tmp"
	fi
	mv -f "$tmp" "$file"
}

# Does the mirror have dists/SUITE? (Its InRelease, fetched by apt's own helper.)
suite_resolves() {
	local uri=$1 suite=$2 tmp
	tmp=$(mktemp)
	if /usr/lib/apt/apt-helper download-file "$uri/dists/$suite/InRelease" "$tmp" >/dev/null 2>&1 && [[ -s $tmp ]]; then
		rm -f "$tmp"; return 0
	fi
	rm -f "$tmp"; return 1
}

# Another release: deb-src only, in a file of the project's own.
add_suite_deb_src() {
	local suite=$1 file=/etc/apt/sources.list.d/static-musl-$1-src.sources
	[[ -f $file ]] && return 1
	local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	[[ -f $keyring ]] || die "$keyring is missing: apt-get install debian-archive-keyring"
	if command -v gpg >/dev/null 2>&1 &&
		! gpg --no-default-keyring --keyring "$keyring" --list-keys 2>/dev/null | grep -qi "($suite)\|/$suite)"; then
		die "$keyring has no key for $suite: install a newer debian-archive-keyring (from $SYSTEM_SUITE-updates or $suite)"
	fi
	local suites=$suite s
	for s in "$suite-updates"; do
		suite_resolves http://deb.debian.org/debian "$s" && suites+=" $s"
	done
	log "adding deb-src entries for $suite in $file ($suites)"
	local tmp="$file.tmp-$$"
	printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: %s\nComponents: main\nSigned-By: %s\n' \
		"$suites" "$keyring" >"$tmp"
	if suite_resolves http://deb.debian.org/debian-security "$suite-security"; then
		printf '\nTypes: deb-src\nURIs: http://deb.debian.org/debian-security\nSuites: %s-security\nComponents: main\nSigned-By: %s\n' \
			"$suite" "$keyring" >>"$tmp"
	fi
	mv -f "$tmp" "$file"
}

ensure_deb_src() {
	if [[ -n $VERSION ]]; then
		candidates | grep -qxF -- "$VERSION" && return 0
	elif [[ -n $(candidates) ]]; then
		return 0
	fi
	[[ $(id -u) -eq 0 ]] || die "apt lists no source of $PACKAGE${VERSION:+=$VERSION} for ${SUITE:-$MATCH_SUITE} and this is not root: add a deb-src entry for it (docs/sysroot.md)"
	# Only one caller at a time edits the source lists and runs apt-get update.
	exec 8>/tmp/.static-musl-apt-sources.lock
	flock 8 || die "cannot lock /tmp/.static-musl-apt-sources.lock"
	local added=1
	if [[ -n $SUITE && $SUITE != "$SYSTEM_SUITE" ]]; then
		add_suite_deb_src "$SUITE" || added=0
	else
		add_system_deb_src || added=0
	fi
	# Someone else may have added it and updated while we waited: update only
	# when apt still lists nothing.
	if [[ $added -eq 1 ]] || [[ -z $(candidates) ]]; then apt_update || log "apt-get update failed"; fi
	flock -u 8
}

if TREE=$(find_tree); then printf '%s\n' "$TREE"; exit 0; fi
need_tool dpkg-source dpkg-dev
ensure_deb_src
if TREE=$(find_tree); then printf '%s\n' "$TREE"; exit 0; fi
VERSIONS=$(wanted)
[[ -n $VERSIONS ]] || die "apt lists no source package $PACKAGE for ${SUITE:-$MATCH_SUITE} (apt-cache madison $PACKAGE)"
if [[ -n $VERSION ]] && ! candidates | grep -qxF -- "$VERSION"; then
	die "apt lists no source $PACKAGE=$VERSION${SUITE:+ in $SUITE} (it lists: $(candidates | tr '\n' ' ')); name its release: debian-source.sh $PACKAGE=$VERSION OUTDIR SUITE"
fi
log "downloading Debian source package $PACKAGE into $OUT (${SUITE:-$MATCH_SUITE}: $(echo $VERSIONS))"
# The newest version first; when its files are missing from the mirror (a
# security update whose pool is not reachable here), the next one listed.
fetched=
for v in $VERSIONS; do
	if (cd "$OUT" && apt-get source --download-only "$PACKAGE=$v" >&2); then fetched=$v; break; fi
	log "apt-get source $PACKAGE=$v failed; trying the next version"
	rm -f "$OUT/${PACKAGE}_$(plain "$v")".*
done
[[ -n $fetched ]] || die "apt-get source $PACKAGE failed for every version listed: $(echo $VERSIONS)"
ver=$(plain "$fetched")
dsc="$OUT/${PACKAGE}_$ver.dsc"
[[ -f $dsc ]] || die "no $(basename "$dsc") in $OUT after apt-get source"
rm -rf "$OUT/$PACKAGE-$ver"
(cd "$OUT" && dpkg-source --no-check -x "$(basename "$dsc")" "$PACKAGE-$ver" >&2) || die "dpkg-source -x $dsc failed"
TREE=$(tree_of "$fetched") || die "unpacked $PACKAGE has no debian/ folder"
from=${SUITE:-$([[ -n $VERSION ]] && suite_of_version "$fetched" || echo "$SYSTEM_SUITE")}
[[ ${from:-$SYSTEM_SUITE} == "$SYSTEM_SUITE" ]] || echo "$from" >"$OUT/.suite-$(basename "$TREE")"
printf '%s\n' "$TREE"
