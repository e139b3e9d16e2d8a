# Shared helpers for the toolchain scripts. Sourced, never run.
# Logs go to stderr; stdout is kept for values a caller captures.

log()  { printf '[build-static] %s\n' "$*" >&2; }
warn() { printf '[build-static] warning: %s\n' "$*" >&2; }
die()  { printf '[build-static] error: %s\n' "$*" >&2; exit 1; }

# need_tool TOOL PACKAGE: make TOOL available, installing the Debian
# PACKAGE when we are root and apt-get exists; otherwise fail naming it.
need_tool() {
	local tool=$1 package=$2
	command -v "$tool" >/dev/null 2>&1 && return 0
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		log "$tool is missing: installing the Debian package '$package'"
		if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null 2>&1; then
			DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 || true
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null 2>&1 ||
				die "could not install '$package' (needed for $tool): apt-get install -y $package failed"
		fi
		command -v "$tool" >/dev/null 2>&1 || die "'$package' is installed but $tool is still missing"
	else
		die "$tool is missing: install the Debian package '$package' (apt-get install -y $package), or run this script as root to have it installed"
	fi
}

# The toolchain root: two folders up from the real swift binary.
toolchain_root() {
	local swift
	swift=$(command -v swift) || die "swift is not on PATH: install a Swift toolchain (https://swift.org/install)"
	swift=$(readlink -f "$swift")
	dirname "$(dirname "$(dirname "$swift")")"
}

swift_version() { swift --version 2>/dev/null | sed -n 's/.*Swift version \([^ ]*\).*/\1/p' | head -1; }

musl_libdir() {
	local specs
	specs=$(sed -n 's/.*-specs "\{0,1\}\([^" ]*musl-gcc.specs\).*/\1/p' "$(command -v musl-gcc)" | head -1)
	[ -n "$specs" ] && dirname "$specs" || echo /usr/lib/x86_64-linux-musl
}

# musl's dynamic loader prints its version when executed directly.
musl_version() {
	local so
	so="$(musl_libdir)/libc.so"
	local v=""
	# The loader exits non-zero after printing its banner: ignore that.
	[ -x "$so" ] && v=$({ "$so" 2>&1 || true; } | sed -n 's/^Version //p' | head -1)
	echo "${v:-unknown}"
}

glibc_version() { getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}'; }
gcc_version() { gcc -dumpfullversion 2>/dev/null || gcc -dumpversion; }

file_size() { stat -c %s "$1"; }

stripped_size() {
	local tmp
	tmp=$(mktemp)
	strip -o "$tmp" "$1" 2>/dev/null && file_size "$tmp" || echo null
	rm -f "$tmp"
}
