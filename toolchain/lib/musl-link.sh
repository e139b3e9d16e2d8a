# The musl variant: recompile every C target with musl-gcc, then link
# SwiftPM's Swift objects against musl's libc.a, the toolchain's static
# Swift runtime, libstdc++.a, libgcc_eh.a and CShim's compat objects.

# musl_recompile_c SCRATCH OBJDIR MUSL_VERSION: prints "orig.o<TAB>musl.o" per C object.
musl_recompile_c() {
	local scratch=$1 objdir=$2 version=$3 cmd src obj out
	mkdir -p "$objdir"
	c_compile_commands "$scratch" | while IFS= read -r cmd; do
		src=$(jq -r 'index("-c") as $i | .[$i + 1]' <<<"$cmd")
		obj=$(jq -r 'index("-o") as $i | .[$i + 1]' <<<"$cmd")
		case $src in
			*.c|*.s|*.S) ;;
			*) die "C++/Objective-C source $src: not supported on the musl variant (libstdc++'s headers are built for glibc; see README, Limitations)" ;;
		esac
		out="$objdir/$(echo "$obj" | md5sum | cut -c1-12)-$(basename "$obj")"
		# Keep what gcc understands and what the target asked for: include
		# paths, macros, language standard, optimisation and -f flags;
		# drop clang-only flags (modules, blocks, -target, dependency files).
		mapfile -t flags < <(jq -r '
			. as $a | [range(0; length)] | map(. as $i |
				if ($a[$i] | test("^-(I|D|U|iquote|isystem|include)$")) then [$a[$i], $a[$i+1]]
				elif ($a[$i] | test("^-(I|D|U|std=|O|g$|W|fno-builtin|fno-omit|fPIC|fvisibility|ffunction|fdata|fno-strict)")) then [$a[$i]]
				else empty end) | flatten | .[]' <<<"$cmd")
		if ! musl-gcc -O2 "${flags[@]}" -DCSHIM_MUSL_VERSION="\"$version\"" -c "$src" -o "$out" 2>"$out.log"; then
			cat "$out.log" >&2
			die "musl-gcc could not compile $src (a C target that needs glibc-only headers cannot build for musl)"
		fi
		printf '%s\t%s\n' "$obj" "$out"
	done
}

# compat_objects OBJDIR: compile CShim/compat with musl-gcc; prints the .o paths.
compat_objects() {
	local objdir=$1/compat src
	mkdir -p "$objdir"
	for src in "$PROJECT_ROOT"/CShim/compat/*.c; do
		musl-gcc -O2 -fPIC -std=gnu11 -c "$src" -o "$objdir/$(basename "$src" .c).o" || die "cannot compile $src"
		echo "$objdir/$(basename "$src" .c).o"
	done
	# LFS64 link symbols: musl >= 1.2.4 dropped stat64, open64, ... Supply
	# them only when this musl's libc.a lacks them (configure step).
	# MUSL_LIBC_A lets the tests point the check at another libc.a.
	if ! nm "${MUSL_LIBC_A:-$(musl_libdir)/libc.a}" 2>/dev/null | grep -qE ' [TW] fstat64$'; then
		for src in "$PROJECT_ROOT"/CShim/compat/lfs64/*.c; do
			[ -e "$src" ] || continue
			musl-gcc -O2 -fPIC -c "$src" -o "$objdir/lfs64-$(basename "$src" .c).o" || die "cannot compile $src"
			echo "$objdir/lfs64-$(basename "$src" .c).o"
		done
	fi
}

# compat_link_flags: the -Wl,--wrap=SYMBOL flags that CShim/compat files
# ask for in a "link: -Wl,--wrap=SYMBOL" comment (wrappers that fix a glibc
# vs musl difference around musl's own function, e.g. freeaddrinfo(NULL)).
compat_link_flags() {
	grep -ho -- 'link: -Wl,--wrap=[A-Za-z0-9_]*' "$PROJECT_ROOT"/CShim/compat/*.c | sed 's/^link: //' | sort -u || true
}

# swift_static_libs: the -l flags the toolchain's static-stdlib link adds.
swift_static_libs() {
	tr ' ' '\n' <"$SWIFT_STATIC/static-stdlib-args.lnk" | { grep -E '^-l' || true; } | { grep -vE '^-l(stdc\+\+|gcc_s)$' || true; }
}

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

# musl_link SCRATCH PRODUCT OUT MAP LOG [first objects...]
musl_link() {
	local scratch=$1 product=$2 out=$3 map=$4 linklog=$5; shift 5
	local first=("$@") args objlist entry objdir
	args=$(link_args "$scratch" "$product")
	entry=$(jq -r '.[] | select(startswith("main=")) | sub("^main="; "")' <<<"$args" | head -1)
	objlist=$(jq -r '.[] | select(startswith("@")) | ltrimstr("@")' <<<"$args" | head -1)
	objdir="$scratch/musl-objects"
	local -A replace=()
	local orig musl
	# Not a process substitution: a C file that cannot build for musl must
	# fail this variant (musl_recompile_c's status), not vanish in a subshell.
	mkdir -p "$objdir"
	musl_recompile_c "$scratch" "$objdir" "$MUSL_VERSION" >"$objdir/c-objects.tsv" 2>"$linklog" || return 1
	while IFS=$'\t' read -r orig musl; do replace[$orig]=$musl; done <"$objdir/c-objects.tsv"
	local objects=() o
	while IFS= read -r o; do
		o=${o#\'}; o=${o%\'}; o=${o#\"}; o=${o%\"}
		[ -n "$o" ] || continue
		objects+=("${replace[$o]:-$o}")
	done <"$objlist"
	# Libraries the Swift objects ask for (autolink entries), minus the
	# glibc-only ones musl folds into libc.a or that we link by path.
	local autolink
	mapfile -t autolink < <(
		{ "$TOOLCHAIN_ROOT/usr/bin/swift-autolink-extract" "${objects[@]}" -o - 2>/dev/null | tr ' ' '\n'; swift_static_libs; } |
		grep -E '^-l' | grep -vE '^-l(stdc\+\+|gcc_s|c)$' | awk '!seen[$0]++')
	# Package linker settings (-Xlinker X, -lX, -LX) pass through.
	local extra
	mapfile -t extra < <(jq -r '
		. as $a | [range(0; length)] | map(. as $i |
			if $a[$i] == "-Xlinker" and ($a[$i+1] | test("^(--defsym|main=|-rpath|--gc-sections)") | not)
				then "-Wl," + $a[$i+1]
			elif ($a[$i] | test("^-[lL].")) then $a[$i] else empty end) | .[]' <<<"$args")
	local compat wraps
	mapfile -t compat < <(compat_objects "$scratch/musl-objects")
	mapfile -t wraps < <(compat_link_flags)
	local gcclib
	gcclib=$(dirname "$(gcc -print-libgcc-file-name)")
	musl-gcc -static -Wl,--eh-frame-hdr "${wraps[@]}" -o "$out" \
		"${first[@]}" "$SWIFT_STATIC/$(uname -m)/swiftrt.o" "${objects[@]}" "${compat[@]}" \
		-L"$SWIFT_STATIC" -Wl,--start-group "${autolink[@]}" "$gcclib/libstdc++.a" "$gcclib/libgcc_eh.a" -Wl,--end-group \
		"${extra[@]}" -Wl,--defsym,main="$entry" -Wl,--gc-sections $EXTRA_LDFLAGS -Wl,-Map,"$map" >"$linklog" 2>&1
}
