#!/usr/bin/env bash
# Measure the compat set: link every static library of the toolchain's
# static Swift runtime that a program can use, whole, against musl's
# libc.a (through libstdc++.a and libgcc_eh.a) and print what is still
# unresolved, with the archive member that wants each symbol.
#
#   ./toolchain/missing-symbols.sh [--with-compat] [--json]
#
# --with-compat also links CShim/compat: the result must then be empty
# for the supported set. FoundationNetworking and FoundationXML are
# measured separately: they need libcurl and libxml2 built for musl.
set -euo pipefail
PROJECT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$PROJECT_ROOT/toolchain/lib/common.sh"
. "$PROJECT_ROOT/toolchain/lib/musl-link.sh"

WITH_COMPAT=0 JSON=0
for a in "$@"; do
	case $a in --with-compat) WITH_COMPAT=1 ;; --json) JSON=1 ;; *) die "unknown argument: $a" ;; esac
done
need_tool jq jq
need_tool musl-gcc musl-tools
TOOLCHAIN_ROOT=$(toolchain_root)
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

echo 'int main(void) { return 0; }' >"$work/main.c"
musl-gcc -c "$work/main.c" -o "$work/main.o"
compat=()
if [ $WITH_COMPAT = 1 ]; then
	OUT=$work PROJECT_ROOT=$PROJECT_ROOT
	mapfile -t compat < <(compat_objects "$work")
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
	musl-gcc -static -o "$work/$name" "$work/main.o" "${compat[@]}" \
		-Wl,--whole-archive "${whole[@]}" -Wl,--no-whole-archive \
		-L"$SWIFT_STATIC" -Wl,--start-group $(for l in $SUPPORTED; do printf -- '-l%s ' "$l"; done) \
		"$gcclib/libstdc++.a" "$gcclib/libgcc_eh.a" -Wl,--end-group \
		-Wl,--unresolved-symbols=report-all -Wl,--allow-multiple-definition >"$work/$name.log" 2>&1 || true
	parse_unresolved "$work/$name.log" | jq --arg set "$name" 'map(. + {set: $set})'
}

# Networking and XML report only what they add to the supported set.
supported=$(measure supported $SUPPORTED)
results=$( { echo "$supported"; measure FoundationNetworking $NETWORKING; measure FoundationXML $XML; } |
	jq -s '(.[0] | map(.symbol)) as $base | .[0] + ([.[1:][][] | select(.symbol as $s | $base | index($s) | not)])')
if [ $JSON = 1 ]; then
	jq -n --argjson r "$results" --arg musl "$(musl_version)" --arg glibc "$(glibc_version)" --arg swift "$(swift_version)" \
		'{musl: $musl, glibc: $glibc, swift: $swift, with_compat: '"$([ $WITH_COMPAT = 1 ] && echo true || echo false)"', unresolved: $r}'
	exit 0
fi
echo "Unresolved against musl $(musl_version) (Swift $(swift_version))$([ $WITH_COMPAT = 1 ] && echo ', with CShim/compat'):"
for set in supported FoundationNetworking FoundationXML; do
	echo "== $set"
	jq -r --arg s "$set" '[.[] | select(.set == $s)] | group_by(.symbol)[] | "  \(.[0].symbol)\t(wanted by \(map(.wanted_by) | unique | .[:3] | join(", "))\(if length > 3 then ", …" else "" end))"' <<<"$results" | column -t -s $'\t' || true
	[ "$(jq --arg s "$set" '[.[] | select(.set == $s)] | length' <<<"$results")" -gt 0 ] || echo "  (none)"
done
