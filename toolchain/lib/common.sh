# Shared helpers for the few toolchain scripts that stay shell (the OCI
# image writer, the size table, the sample report). Sourced, never run.
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
