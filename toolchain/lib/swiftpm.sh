# SwiftPM side of a build: compile a product once (release,
# --static-swift-stdlib) and read back what SwiftPM would have linked,
# from its llbuild manifest (<scratch>/release.yaml). Every variant is
# then linked from these same objects.

triple() { echo "$(uname -m)-unknown-linux-gnu"; }

# swiftpm_build PACKAGE SCRATCH PRODUCT [swift build args...]
swiftpm_build() {
	local package=$1 scratch=$2 product=$3; shift 3
	log "swift build -c release --static-swift-stdlib --product $product ($package)"
	swift build -c release --static-swift-stdlib --package-path "$package" \
		--scratch-path "$scratch" --product "$product" "$@" >&2
}

# yaml_args SCRATCH KEY: the JSON args array of one llbuild command.
yaml_args() {
	awk -v key="  \"$2\":" '
		$0 == key { found = 1; next }
		found && /^    args: / { sub(/^    args: /, ""); print; exit }
		found && /^  "/ { exit }' "$1/release.yaml"
}

# link_args SCRATCH PRODUCT: SwiftPM's own link command for PRODUCT.
link_args() {
	local args
	args=$(yaml_args "$1" "C.$2-$(triple)-release.exe")
	[ -n "$args" ] || die "no link command for product '$2' in $1/release.yaml (is '$2' an executable product of the package?)"
	echo "$args"
}

# c_compile_commands SCRATCH: one JSON args array per C/asm compile.
c_compile_commands() {
	awk '
		/^  "/ { tool = "" }
		/^    tool: clang$/ { tool = "clang" }
		tool == "clang" && /^    args: / { sub(/^    args: /, ""); print }' "$1/release.yaml"
}
