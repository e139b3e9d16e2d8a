#!/usr/bin/env bash
# Measure the compat set: link every static library of the toolchain's
# static Swift runtime that a program can use, whole, against musl's
# libc.a (through libstdc++.a and libgcc_eh.a) and print what is still
# unresolved, with the archive member that wants each symbol.
#
#   ./toolchain/missing-symbols.sh [--with-compat] [--json]
#
# --with-compat also links the sysroot's libcshim_compat.a (CShim/compat)
# with its wrap flags: the result must then be empty for the supported
# set. FoundationNetworking and FoundationXML are measured separately:
# they need libcurl and libxml2 built for musl.
#
# Links with the musl sysroot's musl-gcc: SYSROOT=DIR uses that sysroot,
# otherwise `static-musl sysroot --print-path` prepares it.
set -euo pipefail
PROJECT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOG_NAME=missing-symbols
. "$PROJECT_ROOT/toolchain/lib/common.sh"
warn() { log "warning: $*"; }

WITH_COMPAT=0 JSON=0
for a in "$@"; do
	case $a in --with-compat) WITH_COMPAT=1 ;; --json) JSON=1 ;; *) die "unknown argument: $a" ;; esac
done
need_tool jq jq
need_tool gcc gcc
SYSROOT=$(sysroot_path)
MUSL_GCC=$SYSROOT/bin/musl-gcc
MUSL_VERSION=$(jq -r .musl.version "$SYSROOT/sysroot.json")
swift=$(command -v swift) || die "swift is not on PATH: install a Swift toolchain (https://swift.org/install)"
TOOLCHAIN_ROOT=$(dirname "$(dirname "$(dirname "$(readlink -f "$swift")")")")
SWIFT_VERSION=$(swift --version 2>/dev/null | sed -n 's/.*Swift version \([^ ]*\).*/\1/p' | head -1)
GLIBC_VERSION=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')
SWIFT_STATIC=$TOOLCHAIN_ROOT/usr/lib/swift_static/linux
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The libraries a Swift program can use, each with its runtime deps.
SUPPORTED="swiftCore swift_Concurrency dispatch swiftDispatch BlocksRuntime Foundation FoundationEssentials
FoundationInternationalization _FoundationICU _FoundationCShims _FoundationCollections CoreFoundation
swiftSynchronization swiftRegexBuilder swift_StringProcessing swift_RegexParser swiftObservation
swiftDistributed swiftGlibc swift_Builtin_float swift_Volatile swiftRuntime"
NETWORKING="FoundationNetworking _CFURLSessionInterface"
XML="FoundationXML _CFXMLInterface"

# parse_unresolved LOG: JSON [{symbol, wanted_by}] from GNU ld's messages.
parse_unresolved() {
	awk '
		/: in function `/ { ctx = $0; sub(/^\/usr\/bin\/ld: /, "", ctx); sub(/: in function `.*/, "", ctx) }
		/undefined reference to `/ {
			sym = $0; sub(/.*undefined reference to `/, "", sym); sub(/'"'"'.*/, "", sym)
			who = ctx
			if ($0 ~ /^\/usr\/bin\/ld: [^:]*\(/) { who = $0; sub(/^\/usr\/bin\/ld: /, "", who); sub(/:\(\..*/, "", who) }
			sub(/:\(\..*/, "", who)
			n = split(who, parts, "/"); who = parts[n]
			if (who ~ /^\(/ || who == "") who = "unknown object"
			if (!seen[sym SUBSEP who]++) print sym "\t" who
		}
		/cannot find -l/ { lib = $0; sub(/.*cannot find /, "", lib); print "(library " lib ")\tlink line" }' "$1" |
		jq -R 'split("\t") | {symbol: .[0], wanted_by: .[1]}' | jq -s .
}

echo 'int main(void) { return 0; }' >"$work/main.c"
"$MUSL_GCC" -c "$work/main.c" -o "$work/main.o"
compat=() wraps=()
if [ $WITH_COMPAT = 1 ]; then
	# The archive goes inside the group: its members are pulled in on demand.
	compat=("$SYSROOT/usr/lib/libcshim_compat.a")
	mapfile -t wraps < <(jq -r '.compat.wrap_flags[]' "$SYSROOT/sysroot.json")
fi
gcclib=$(dirname "$(gcc -print-libgcc-file-name)")

# measure NAME LIBS...: whole-archive every library of the set.
measure() {
	local name=$1; shift
	local whole=() lib
	for lib in "$@"; do
		[ -f "$SWIFT_STATIC/lib$lib.a" ] || { warn "lib$lib.a is not in this toolchain; skipped"; continue; }
		whole+=("$SWIFT_STATIC/lib$lib.a")
	done
	"$MUSL_GCC" -static "${wraps[@]}" -o "$work/$name" "$work/main.o" \
		-Wl,--whole-archive "${whole[@]}" -Wl,--no-whole-archive \
		-L"$SWIFT_STATIC" -Wl,--start-group $(for l in $SUPPORTED; do printf -- '-l%s ' "$l"; done) \
		"$gcclib/libstdc++.a" "$gcclib/libgcc_eh.a" "${compat[@]}" -lc -Wl,--end-group \
		-Wl,--unresolved-symbols=report-all -Wl,--allow-multiple-definition >"$work/$name.log" 2>&1 || true
	parse_unresolved "$work/$name.log" | jq --arg set "$name" 'map(. + {set: $set})'
}

# Networking and XML report only what they add to the supported set.
supported=$(measure supported $SUPPORTED)
results=$( { echo "$supported"; measure FoundationNetworking $NETWORKING; measure FoundationXML $XML; } |
	jq -s '(.[0] | map(.symbol)) as $base | .[0] + ([.[1:][][] | select(.symbol as $s | $base | index($s) | not)])')
if [ $JSON = 1 ]; then
	jq -n --argjson r "$results" --arg musl "$MUSL_VERSION" --arg glibc "$GLIBC_VERSION" --arg swift "$SWIFT_VERSION" \
		'{musl: $musl, glibc: $glibc, swift: $swift, with_compat: '"$([ $WITH_COMPAT = 1 ] && echo true || echo false)"', unresolved: $r}'
	exit 0
fi
echo "Unresolved against musl $MUSL_VERSION (Swift $SWIFT_VERSION)$([ $WITH_COMPAT = 1 ] && echo ', with CShim/compat'):"
for set in supported FoundationNetworking FoundationXML; do
	echo "== $set"
	jq -r --arg s "$set" '[.[] | select(.set == $s)] | group_by(.symbol)[] | "  \(.[0].symbol)\t(wanted by \(map(.wanted_by) | unique | .[:3] | join(", "))\(if length > 3 then ", …" else "" end))"' <<<"$results" | column -t -s $'\t' || true
	[ "$(jq --arg s "$set" '[.[] | select(.set == $s)] | length' <<<"$results")" -gt 0 ] || echo "  (none)"
done
