#!/usr/bin/env bash
# Build a SwiftPM product as fully static Linux binaries in several
# variants, check each one, and write <out>/manifest.json.
#
#   ./toolchain/build-static.sh [--package-path DIR] [--product NAME]...
#       [--variant musl|glibc-static|glibc-dynamic|embedded-musl|sdk|all]...
#       [--out DIR] [--strip] [--gc-sections] [--allocator mimalloc]
#       [--scratch-path DIR] [--no-report]
#
# With no arguments: this package's Sample in every variant into dist/,
# then the compatibility report (static-musl report --quick).
set -euo pipefail

PROJECT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$PROJECT_ROOT/toolchain/lib/common.sh"
. "$PROJECT_ROOT/toolchain/lib/elf-check.sh"
. "$PROJECT_ROOT/toolchain/lib/swiftpm.sh"
. "$PROJECT_ROOT/toolchain/lib/musl-link.sh"
. "$PROJECT_ROOT/toolchain/lib/variants.sh"

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; }

PACKAGE_PATH=$PROJECT_ROOT
PRODUCTS=()
VARIANTS=()
OUT=$PROJECT_ROOT/dist
STRIP=0
ALLOCATOR=mallocng
SCRATCH=""
REPORT=1
EXTRA_LDFLAGS=""
DEFAULT_RUN=1
while [ $# -gt 0 ]; do
	case $1 in
		--package-path) PACKAGE_PATH=$(cd "${2:?--package-path needs a folder}" && pwd) || die "no such folder: $2"; shift 2; DEFAULT_RUN=0 ;;
		--product) PRODUCTS+=("${2:?--product needs a name}"); shift 2; DEFAULT_RUN=0 ;;
		--variant) VARIANTS+=("${2:?--variant needs a name}"); shift 2; DEFAULT_RUN=0 ;;
		--out) mkdir -p "${2:?--out needs a folder}"; OUT=$(cd "$2" && pwd); shift 2 ;;
		--strip) STRIP=1; shift ;;
		--gc-sections) EXTRA_LDFLAGS="$EXTRA_LDFLAGS -Wl,--gc-sections"; shift ;;
		--allocator) ALLOCATOR=${2:?--allocator needs mallocng or mimalloc}; shift 2 ;;
		--scratch-path) SCRATCH=${2:?--scratch-path needs a folder}; shift 2 ;;
		--no-report) REPORT=0; shift ;;
		-h|--help) usage; exit 0 ;;
		*) usage >&2; die "unknown argument: $1" ;;
	esac
done
case $ALLOCATOR in mallocng|mimalloc) ;; *) die "--allocator must be mallocng or mimalloc, not '$ALLOCATOR'" ;; esac
[ ${#PRODUCTS[@]} -gt 0 ] || PRODUCTS=(Sample)
[ ${#VARIANTS[@]} -gt 0 ] || VARIANTS=(all)
EXPANDED=()
for v in "${VARIANTS[@]}"; do
	case $v in
		all) EXPANDED+=(musl glibc-static glibc-dynamic embedded-musl sdk) ;;
		musl|glibc-static|glibc-dynamic|embedded-musl|sdk) EXPANDED+=("$v") ;;
		*) die "unknown variant '$v' (musl, glibc-static, glibc-dynamic, embedded-musl, sdk, all)" ;;
	esac
done
VARIANTS=($(printf '%s\n' "${EXPANDED[@]}" | awk '!seen[$0]++'))
[ -f "$PACKAGE_PATH/Package.swift" ] || die "$PACKAGE_PATH has no Package.swift"
if [ -z "$SCRATCH" ]; then
	if [ "$PACKAGE_PATH" = "$PROJECT_ROOT" ]; then SCRATCH=$PROJECT_ROOT/.build-static/swiftpm
	else SCRATCH=$PROJECT_ROOT/.build-static/pkg-$(basename "$PACKAGE_PATH")-$(echo "$PACKAGE_PATH" | md5sum | cut -c1-8); fi
fi

need_tool jq jq
need_tool readelf binutils
need_tool musl-gcc musl-tools
TOOLCHAIN_ROOT=$(toolchain_root)
SWIFT_STATIC=$TOOLCHAIN_ROOT/usr/lib/swift_static/linux
[ -d "$SWIFT_STATIC" ] || die "this toolchain has no static runtime ($SWIFT_STATIC is missing)"
MUSL_VERSION=$(musl_version)
export MUSL_VERSION TOOLCHAIN_ROOT SWIFT_STATIC PROJECT_ROOT EXTRA_LDFLAGS
mkdir -p "$OUT/.entries"
log "toolchain $TOOLCHAIN_ROOT (Swift $(swift_version)), musl $MUSL_VERSION, glibc $(glibc_version)"

for product in "${PRODUCTS[@]}"; do
	needs_swiftpm=0
	for v in "${VARIANTS[@]}"; do case $v in musl|glibc-static|glibc-dynamic) needs_swiftpm=1 ;; esac; done
	if [ $needs_swiftpm = 1 ]; then
		swiftpm_build "$PACKAGE_PATH" "$SCRATCH" "$product" || die "swift build failed for product '$product'"
	fi
	for v in "${VARIANTS[@]}"; do
		case $v in
			embedded-musl) [ "$product" = "${PRODUCTS[0]}" ] && build_embedded ;;
			sdk) build_sdk "$product" ;;
			*) build_variant "$product" "$v" ;;
		esac
	done
	if [ "$ALLOCATOR" = mimalloc ]; then build_variant "$product" musl+mimalloc; fi
done

write_manifest
log "manifest: $OUT/manifest.json"
print_summary

if [ $REPORT = 1 ] && [ $DEFAULT_RUN = 1 ]; then
	run_report
fi
