# Shared helpers for the few toolchain scripts that stay shell (the OCI
# image writer, the size table, the sample report, the compat measurements).
# Sourced, never run; the callers set PROJECT_ROOT (and LOG_NAME).
# Logs go to stderr; stdout is kept for values a caller captures.

log()  { printf '[%s] %s\n' "${LOG_NAME:-toolchain}" "$*" >&2; }
die()  { printf '[%s] error: %s\n' "${LOG_NAME:-toolchain}" "$*" >&2; exit "${DIE_STATUS:-1}"; }

# need_tool TOOL PACKAGE: make TOOL available, installing the Debian
# PACKAGE when we are root and apt-get exists; otherwise fail naming it.
need_tool() {
	local tool=$1 package=$2
	command -v "$tool" >/dev/null 2>&1 && return 0
	[ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 ||
		die "$tool is missing: install the Debian package '$package' (apt-get install -y $package)"
	log "$tool is missing: installing the Debian package '$package'"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null 2>&1 || {
		DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 || true
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null 2>&1
	} || die "could not install '$package' (needed for $tool): apt-get install -y $package failed"
	command -v "$tool" >/dev/null 2>&1 || die "'$package' is installed but $tool is still missing"
}

file_size() { stat -c %s "$1"; }

# The musl sysroot (docs/sysroot.md): $SYSROOT when set (the tests pass the
# one they prepared), else the static-musl CLI prepares it (building it once).
sysroot_path() {
	if [ -n "${SYSROOT:-}" ]; then
		[ -f "$SYSROOT/sysroot.json" ] || die "SYSROOT=$SYSROOT is not a sysroot (no sysroot.json): unset it, or run static-musl sysroot --print-path"
		echo "$SYSROOT"
		return
	fi
	command -v swift >/dev/null 2>&1 || die "swift is not on PATH: install a Swift toolchain (https://swift.org/install), or set SYSROOT"
	(cd "$PROJECT_ROOT" && swift build --product static-musl --scratch-path .build-static/cli >&2) ||
		die "cannot build the static-musl CLI (swift build --product static-musl --scratch-path .build-static/cli)"
	STATIC_MUSL_ROOT=$PROJECT_ROOT "$PROJECT_ROOT/.build-static/cli/debug/static-musl" sysroot --print-path ||
		die "static-musl sysroot could not prepare the musl sysroot"
}
