#!/usr/bin/env bash
# Build and run the behaviour test of every CShim/compat symbol, linked
# the way the musl variant links: musl-gcc -static, libstdc++.a,
# libgcc_eh.a, the compat objects, --eh-frame-hdr. Prints PASS/FAIL lines;
# exits non-zero if any test fails.
set -euo pipefail
PROJECT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$PROJECT_ROOT/toolchain/lib/common.sh"
. "$PROJECT_ROOT/toolchain/lib/musl-link.sh"
need_tool musl-gcc musl-tools
need_tool g++ g++
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mapfile -t compat < <(compat_objects "$work")
gcclib=$(dirname "$(gcc -print-libgcc-file-name)")
T=$PROJECT_ROOT/CShim/tests
link() { # OUT OBJECTS... -- run it
	local out=$1; shift
	musl-gcc -static -Wl,--eh-frame-hdr -o "$out" "$@" "${compat[@]}" \
		-Wl,--start-group "$gcclib/libstdc++.a" "$gcclib/libgcc_eh.a" -Wl,--end-group -lm
}
# C++ tests compile against the system's libstdc++ headers, exactly as the
# libstdc++.a that every musl link uses was compiled.
cxx() { g++ -O1 -fexceptions -c "$@"; }
status=0
run() { local name=$1; if "$work/$name"; then :; else echo "FAIL $name (exit $?)"; status=1; fi; }

musl-gcc -O1 -std=gnu11 -c "$T/_dl_find_object.c" -o "$work/dfo.o" && link "$work/_dl_find_object" "$work/dfo.o" && run _dl_find_object
musl-gcc -O1 -fexceptions -c "$T/_dl_find_object_unwind_c.c" -o "$work/dfou_c.o"
cxx "$T/_dl_find_object_unwind.cc" -o "$work/dfou.o"
link "$work/_dl_find_object_unwind" -Wl,--wrap=_dl_find_object "$work/dfou.o" "$work/dfou_c.o" && run _dl_find_object_unwind
musl-gcc -O1 -std=gnu11 -fno-omit-frame-pointer -c "$T/backtrace.c" -o "$work/bt.o" && link "$work/backtrace" "$work/bt.o" && run backtrace
musl-gcc -O1 -std=gnu11 -c "$T/arc4random.c" -o "$work/arc.o" && link "$work/arc4random" "$work/arc.o" && run arc4random
musl-gcc -O1 -c "$T/threads.c" -o "$work/threads.o"
cxx "$T/__libc_single_threaded.cc" -o "$work/st.o"
link "$work/__libc_single_threaded" "$work/st.o" "$work/threads.o" && run __libc_single_threaded
exit $status
