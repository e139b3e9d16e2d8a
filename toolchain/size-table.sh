#!/usr/bin/env bash
# Measure the size table of docs/size.md on this machine: C hello
# (glibc dynamic, glibc static, musl static), Embedded Swift on musl, and
# Swift programs from stdlib-only to a SwiftNIO server, each in musl and
# glibc-static, before and after the diet (build-static.sh --diet), with the
# compressed layer size of a FROM scratch image (--image).
# Release builds of SwiftNIO take minutes on 2 cores: run it by hand, not in tests.
#
#   ./toolchain/size-table.sh [--out DIR]      (prints Markdown on stdout)
set -euo pipefail
PROJECT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$PROJECT_ROOT/toolchain/lib/common.sh"
OUT=$PROJECT_ROOT/.build-static/size-table
[ "${1:-}" = --out ] && OUT=${2:?--out needs a folder}
mkdir -p "$OUT"
FIX=$PROJECT_ROOT/Tests/Fixtures/SizeTable

mb() { awk -v n="$1" 'BEGIN { if (n == "" || n == "null") print "-"; else if (n < 1e6) printf "%.1f kB", n / 1e3; else printf "%.2f MB", n / 1e6 }'; }
# build-static.sh builds the static-musl CLI on its first run; its versions line names what was measured.
"$PROJECT_ROOT/toolchain/build-static.sh" --help >/dev/null
layer() { "$PROJECT_ROOT/.build-static/cli/debug/static-musl" image --binary "$1" --out "$OUT/img-$(basename "$1").tar" --name "$(basename "$1")" | jq .layer_size; }
version() { "$PROJECT_ROOT/.build-static/cli/debug/static-musl" versions | awk -v k="$1" '$1 == k { print $2 }'; }
musl_version() { version musl; }
# The default musl's sysroot (its musl-gcc): the musl every musl build below links.
MUSL_GCC=$("$PROJECT_ROOT/.build-static/cli/debug/static-musl" sysroot --print-path)/bin/musl-gcc
echo "Measured $(date -u +%Y-%m-%d) on $(uname -m): Swift $(version swift), musl $(musl_version), glibc $(version glibc), gcc $(gcc -dumpfullversion)."
echo
echo "| program | build | size | stripped | after diet | image layer (gzip) |"
echo "|---|---|---|---|---|---|"

# C hello, three ways. CShim/platform (all hello calls of CShim) is linked
# as a static archive, as the C probes link CShim (CProgramBuilder), so
# hello carries only what it calls.
HELLO=$PROJECT_ROOT/Probes/programs/hello.c
shim_archive() {  # shim_archive CC NAME [flags...]: CShim/platform compiled into $OUT/NAME.a
	local cc=$1 name=$2 src; shift 2
	rm -rf "$OUT/$name.o.d" "$OUT/$name.a"; mkdir -p "$OUT/$name.o.d"
	for src in "$PROJECT_ROOT"/CShim/platform/*.c; do
		"$cc" -O2 -std=gnu11 -D_GNU_SOURCE -pthread -I "$PROJECT_ROOT/CShim/platform/include" "$@" -c "$src" -o "$OUT/$name.o.d/$(basename "$src" .c).o"
	done
	ar rcs "$OUT/$name.a" "$OUT/$name.o.d"/*.o
}
shim_archive gcc shim-glibc
shim_archive "$MUSL_GCC" shim-musl -DCSHIM_MUSL_VERSION="\"$(musl_version)\""
for v in glibc-dynamic glibc-static musl-static; do
	case $v in
		glibc-dynamic) gcc -O2 -I "$PROJECT_ROOT/CShim/platform/include" "$HELLO" "$OUT/shim-glibc.a" -o "$OUT/hello-$v" ;;
		glibc-static) gcc -O2 -static -I "$PROJECT_ROOT/CShim/platform/include" "$HELLO" "$OUT/shim-glibc.a" -o "$OUT/hello-$v" ;;
		musl-static) "$MUSL_GCC" -O2 -static -I "$PROJECT_ROOT/CShim/platform/include" "$HELLO" "$OUT/shim-musl.a" -o "$OUT/hello-$v" ;;
	esac
	strip -o "$OUT/hello-$v.s" "$OUT/hello-$v"
	img="(dynamic: no scratch image)"
	[ $v = glibc-dynamic ] || img=$(mb "$(layer "$OUT/hello-$v.s")")
	echo "| C hello | $v | $(mb "$(file_size "$OUT/hello-$v")") | $(mb "$(file_size "$OUT/hello-$v.s")") | - | $img |"
done

# Embedded Swift on musl.
"$PROJECT_ROOT/toolchain/build-static.sh" --variant embedded-musl --out "$OUT/dist-embedded" --no-report >&2
E=$OUT/dist-embedded/embedded-musl/embedded-probe
if [ -x "$E" ]; then
	strip -o "$E.s" "$E"
	echo "| Embedded Swift probe | embedded-musl | $(mb "$(file_size "$E")") | $(mb "$(file_size "$E.s")") | - | $(mb "$(layer "$E.s")") |"
fi

# swift_row LABEL PACKAGE PRODUCT SMOKE_ARGS
swift_row() {
	local label=$1 package=$2 product=$3 smoke=$4 dist="$OUT/dist-$3" m v
	"$PROJECT_ROOT/toolchain/build-static.sh" --package-path "$package" --product "$product" \
		--variant musl --variant glibc-static --diet --smoke-args "$smoke" --out "$dist" --no-report \
		--image "$dist/$product.tar" >&2
	m=$dist/manifest.json
	# The glibc-static image, made the way --image makes the musl one.
	local g="$dist/glibc-static/$product" glayer=null
	[ -x "$g.diet" ] && g=$g.diet
	if [ -x "$g" ]; then strip -o "$OUT/$product-glibc-static" "$g"; glayer=$(layer "$OUT/$product-glibc-static"); fi
	for v in musl glibc-static; do
		jq -r --arg p "$product" --arg v "$v" --arg name "$label" --argjson glayer "$glayer" '
			def two: tostring | if length < 2 then "0" + . else . end;
			def mb: if . == null then "-" elif . < 1000000 then ((. / 100 | round) / 10 | tostring) + " kB"
				else (. / 10000 | round) as $c | "\($c / 100 | floor).\($c % 100 | two) MB" end;
			.products[] | select(.product == $p) | .variants[] | select(.variant == $v) |
			(.size_options // [] | map(select(.option == "diet"))[0]) as $d |
			"| \($name) | \($v) | \(.size | mb) | \(.stripped_size | mb) | " +
			(if $d.status == "ok" then "\($d.size_after | mb)\(if $d.runs then "" else " (smoke check FAILED)" end)" else "-" end) +
			" | \(if .image then (.image.layer_size | mb) elif $v == "glibc-static" then ($glayer | mb) else "-" end) |"' "$m"
	done
}
swift_row "stdlib-only Swift" "$FIX/StdlibOnly" StdlibOnly ""
swift_row "Foundation sample" "$PROJECT_ROOT" Sample ""
swift_row "ArgumentParser CLI" "$FIX/ArgCLI" ArgCLI "--name size"
swift_row "SwiftNIO HTTP server" "$FIX/NIOServer" NIOServer "0 --once"
swift_row "Hummingbird HTTP server" "$FIX/HBServer" HBServer "--once"
