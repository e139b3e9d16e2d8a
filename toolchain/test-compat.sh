#!/usr/bin/env bash
# Build and run the behaviour test of every CShim/compat symbol, linked
# the way the musl variant links: the sysroot's musl-gcc -static,
# libstdc++.a, libgcc_eh.a and libcshim_compat.a in one group, the
# compat wrap flags, --eh-frame-hdr. Prints PASS/FAIL lines; exits
# non-zero if any test fails.
#
# SYSROOT=DIR uses that musl sysroot; otherwise `static-musl sysroot
# --print-path` prepares it (docs/sysroot.md).
set -euo pipefail
PROJECT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOG_NAME=test-compat
. "$PROJECT_ROOT/toolchain/lib/common.sh"

need_tool jq jq
need_tool gcc gcc
need_tool g++ g++
SYSROOT=$(sysroot_path)
MUSL_GCC=$SYSROOT/bin/musl-gcc
COMPAT=$SYSROOT/usr/lib/libcshim_compat.a
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mapfile -t wraps < <(jq -r '.compat.wrap_flags[]' "$SYSROOT/sysroot.json")
gcclib=$(dirname "$(gcc -print-libgcc-file-name)")
T=$PROJECT_ROOT/Probes/c-tests
link() { # OUT OBJECTS... -- run it
	local out=$1; shift
	"$MUSL_GCC" -static -Wl,--eh-frame-hdr "${wraps[@]}" -o "$out" "$@" \
		-Wl,--start-group "$gcclib/libstdc++.a" "$gcclib/libgcc_eh.a" "$COMPAT" -lc -Wl,--end-group -lm
}
# C++ tests compile against the system's libstdc++ headers, exactly as the
# libstdc++.a that every musl link uses was compiled.
cxx() { g++ -O1 -fexceptions -c "$@"; }
# ... and the way the musl variant compiles a package's C++: the toolchain's
# clang for musl, with the sysroot's libstdc++ headers (docs/sysroot.md).
CLANG=$(dirname "$(readlink -f "$(command -v swift)")")/clang
cxx_musl() {
	local dirs=() d
	for d in $(jq -r '.cxx.include_directories[]' "$SYSROOT/sysroot.json"); do dirs+=(-isystem "$SYSROOT/$d"); done
	"$CLANG" --target="$(uname -m)-unknown-linux-musl" --sysroot="$SYSROOT" -nostdinc -nostdinc++ "${dirs[@]}" \
		-isystem "$("$CLANG" -print-resource-dir)/include" -isystem "$SYSROOT/usr/include" -O1 -c "$@"
}
status=0
run() { local name=$1; if "$work/$name"; then :; else echo "FAIL $name (exit $?)"; status=1; fi; }

"$MUSL_GCC" -O1 -std=gnu11 -c "$T/_dl_find_object.c" -o "$work/dfo.o" && link "$work/_dl_find_object" "$work/dfo.o" && run _dl_find_object
"$MUSL_GCC" -O1 -fexceptions -c "$T/_dl_find_object_unwind_c.c" -o "$work/dfou_c.o"
cxx "$T/_dl_find_object_unwind.cc" -o "$work/dfou.o"
link "$work/_dl_find_object_unwind" -Wl,--wrap=_dl_find_object "$work/dfou.o" "$work/dfou_c.o" && run _dl_find_object_unwind
"$MUSL_GCC" -O1 -std=gnu11 -fno-omit-frame-pointer -c "$T/backtrace.c" -o "$work/bt.o" && link "$work/backtrace" "$work/bt.o" && run backtrace
"$MUSL_GCC" -O1 -std=gnu11 -c "$T/arc4random.c" -o "$work/arc.o" && link "$work/arc4random" "$work/arc.o" && run arc4random
"$MUSL_GCC" -O1 -c "$T/threads.c" -o "$work/threads.o"
cxx "$T/__libc_single_threaded.cc" -o "$work/st.o"
link "$work/__libc_single_threaded" "$work/st.o" "$work/threads.o" && run __libc_single_threaded
"$MUSL_GCC" -O1 -std=gnu11 -c "$T/glibc_abi_wraps.c" -o "$work/wraps.o" && link "$work/glibc_abi_wraps" "$work/wraps.o" && run glibc_abi_wraps
"$MUSL_GCC" -O1 -std=gnu11 -c "$T/fts_glibc.c" -o "$work/fts.o" && link "$work/fts_glibc" "$work/fts.o" && run fts_glibc
"$MUSL_GCC" -O1 -std=gnu11 -c "$T/glob_brace.c" -o "$work/glob.o" && link "$work/glob_brace" "$work/glob.o" && run glob_brace
cxx_musl "$T/glibc_locale.cc" -o "$work/locale.o" && link "$work/glibc_locale" "$work/locale.o" && run glibc_locale
"$MUSL_GCC" -O1 -std=gnu11 -c "$T/lfs64.c" -o "$work/lfs64.o" && link "$work/lfs64" "$work/lfs64.o" && run lfs64
exit $status
