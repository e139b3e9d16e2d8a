#!/usr/bin/env bash
# Build a SwiftPM product as fully static Linux binaries in several
# variants, check each one, and write <out>/manifest.json.
#
#   ./toolchain/build-static.sh [--package-path DIR] [--product NAME]...
#       [--variant musl|glibc-static|glibc-dynamic|embedded-musl|sdk|all]...
#       [--out DIR] [--strip] [--gc-sections] [--allocator mimalloc]
#       [--scratch-path DIR] [--no-report]
#       [--diet] [--explain-size] [--swift-opt Osize] [--smoke-args "ARGS"]
#       [--image OUT.tar [--with certs,passwd,tzdata] [--image-variant V]]
#
# With no arguments: this package's Sample in every variant (musl+mimalloc too) into dist/,
# then the compatibility report (static-musl report --quick).
set -euo pipefail

PROJECT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$PROJECT_ROOT/toolchain/lib/common.sh"
. "$PROJECT_ROOT/toolchain/lib/elf-check.sh"
. "$PROJECT_ROOT/toolchain/lib/swiftpm.sh"
. "$PROJECT_ROOT/toolchain/lib/musl-link.sh"
. "$PROJECT_ROOT/toolchain/lib/variants.sh"
. "$PROJECT_ROOT/toolchain/lib/size-options.sh"   # issue 8: --diet, --explain-size, --image

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; }

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
# --- size options (issue 8) ---
DIET=0 EXPLAIN=0 IMAGE="" IMAGE_WITH="" IMAGE_VARIANT="" SWIFT_OPT="" SMOKE_ARGS=""
# --- end size options ---
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
		# --- size options (issue 8) ---
		--diet) DIET=1; EXPLAIN=1; shift ;;
		--explain-size) EXPLAIN=1; shift ;;
		--swift-opt) SWIFT_OPT=${2:?--swift-opt needs Osize, O or Onone}; shift 2 ;;
		--smoke-args) SMOKE_ARGS=${2?--smoke-args needs a string}; shift 2 ;;
		--image) IMAGE=${2:?--image needs a file name (OUT.tar)}; shift 2 ;;
		--with) IMAGE_WITH=${2:?--with needs a list: certs,passwd,tzdata}; shift 2 ;;
		--image-variant) IMAGE_VARIANT=${2:?--image-variant needs a variant}; shift 2 ;;
		# --- end size options ---
		-h|--help) usage; exit 0 ;;
		*) usage >&2; die "unknown argument: $1" ;;
	esac
done
case $ALLOCATOR in mallocng|mimalloc) ;; *) die "--allocator must be mallocng or mimalloc, not '$ALLOCATOR'" ;; esac
# --- size options (issue 8) ---
case $SWIFT_OPT in ""|Osize|O|Onone) ;; *) die "--swift-opt must be Osize, O or Onone, not '$SWIFT_OPT'" ;; esac
if [ -n "$IMAGE" ]; then
	case $IMAGE in /*) ;; *) IMAGE=$(pwd)/$IMAGE ;; esac
	[ -d "$(dirname "$IMAGE")" ] || die "--image: the folder $(dirname "$IMAGE") does not exist"
fi
[ -z "$IMAGE_WITH" ] || [ -n "$IMAGE" ] || die "--with only applies to --image"
# --- end size options ---
[ ${#PRODUCTS[@]} -gt 0 ] || PRODUCTS=(Sample)
# The main job (no arguments) also builds the fix for musl's malloc, so the
# report's musl+mimalloc column is measured, not borrowed from a probe.
[ $DEFAULT_RUN = 0 ] || ALLOCATOR=mimalloc
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
need_tool g++ g++
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
		# --- size options (issue 8): --swift-opt builds in its own scratch folder ---
		opt_args=()
		if [ -n "$SWIFT_OPT" ]; then
			SCRATCH=${SCRATCH%-"$SWIFT_OPT"}-$SWIFT_OPT
			opt_args=(-Xswiftc "-$SWIFT_OPT")
		fi
		# --- end size options ---
		if ! swiftpm_build "$PACKAGE_PATH" "$SCRATCH" "$product" "${opt_args[@]}"; then
			# A failed *link* still leaves the objects: each variant then
			# links (or fails) on its own and says why in the manifest.
			[ -f "$SCRATCH/$(triple)/release/$product.product/Objects.LinkFileList" ] ||
				die "swift build failed for product '$product' (compile errors above)"
			warn "SwiftPM's own link of '$product' failed; linking each variant from its objects"
		fi
	fi
	for v in "${VARIANTS[@]}"; do
		case $v in
			embedded-musl) [ "$product" = "${PRODUCTS[0]}" ] && build_embedded ;;
			sdk) build_sdk "$product" ;;
			*) build_variant "$product" "$v" ;;
		esac
	done
	if [ "$ALLOCATOR" = mimalloc ]; then build_variant "$product" musl+mimalloc; fi
	# --- size options (issue 8) ---
	for v in musl glibc-static; do
		if [ $DIET = 1 ]; then diet_variant "$product" "$v"; fi
		if [ $EXPLAIN = 1 ]; then explain_variant "$product" "$v"; fi
	done
	if [ -n "$IMAGE" ] && [ "$product" = "${PRODUCTS[0]}" ]; then
		image_done=0
		for v in ${IMAGE_VARIANT:-musl glibc-static}; do
			if image_variant "$product" "$v" "$IMAGE"; then image_done=1; break; fi
		done
		[ $image_done = 1 ] || die "--image: no static variant of $product built (build musl or glibc-static)"
	fi
	# --- end size options ---
done
rm -rf "$OUT/.diet"

write_manifest
log "manifest: $OUT/manifest.json"
print_summary

if [ $REPORT = 1 ] && [ $DEFAULT_RUN = 1 ]; then
	run_report
fi
