# Size options for build-static.sh (issue 8): --diet measures what each
# size option saves, --explain-size names what pulled the heavy archives
# in, --image writes a FROM scratch OCI image. Each adds keys to the
# variant's manifest entry ($OUT/.entries/<product>/<variant>.json):
#   size_options: [{option, description, size_before, size_after, saved,
#                   stripped_before, stripped_after, runs, same_output, smoke}]
#   heavy_archives: [SizeReport.HeavyArchive] (static-musl size)
#   image: {path, layer_size, layer_uncompressed_size, with, layer_digest, ...}

# entry_add PRODUCT VARIANT KEY JSON: set one key of a manifest entry.
entry_add() {
	local f="$OUT/.entries/$1/$2.json"
	[ -f "$f" ] || return 0
	jq --arg k "$3" --argjson v "$4" '.[$k] = $v' "$f" >"$f.tmp" && mv "$f.tmp" "$f"
}

entry_ok() { [ -f "$OUT/.entries/$1/$2.json" ] && [ "$(jq -r .status "$OUT/.entries/$1/$2.json")" = ok ]; }

# smoke BINARY EXPECTED_STDOUT_FILE: runs it (SMOKE_ARGS, 60 s); prints
# {runs, exit_status, same_output}. "runs" means exit status 0.
smoke() {
	local bin=$1 expected=$2 out status=0
	out=$(mktemp)
	timeout 60 "$bin" $SMOKE_ARGS >"$out" 2>/dev/null </dev/null || status=$?
	local same=false
	[ -f "$expected" ] && cmp -s "$out" "$expected" && same=true
	jq -n --argjson s "$status" --argjson same "$same" '{runs: ($s == 0), exit_status: $s, same_output: $same}'
	rm -f "$out"
}

# relink PRODUCT VARIANT SCRATCH DIR [ldflags]: links one more copy of a
# variant into DIR (its own manifest entry is thrown away); prints the path.
relink() {
	local product=$1 variant=$2 scratch=$3 dir=$4 flags=${5:-}
	mkdir -p "$dir"
	(
		OUT=$dir SCRATCH=$scratch EXTRA_LDFLAGS=$flags STRIP=0
		build_variant "$product" "$variant" >/dev/null 2>&1
	)
	[ -x "$dir/$variant/$product" ] && echo "$dir/$variant/$product"
}

# option_row OPTION DESCRIPTION BEFORE AFTER EXPECTED: one size_options row.
option_row() {
	local option=$1 description=$2 before=$3 after=$4 expected=$5 check
	if [ -z "$after" ] || [ ! -f "$after" ]; then
		jq -n --arg o "$option" --arg d "$description" '{option: $o, description: $d, status: "failed",
			reason: "the binary for this option could not be built"}'
		return 0
	fi
	check=$(smoke "$after" "$expected")
	jq -n --arg o "$option" --arg d "$description" \
		--argjson b "$(file_size "$before")" --argjson a "$(file_size "$after")" \
		--argjson sb "$(stripped_size "$before")" --argjson sa "$(stripped_size "$after")" --argjson check "$check" '{
		option: $o, description: $d, status: "ok",
		size_before: $b, size_after: $a, saved: ($b - $a),
		stripped_before: $sb, stripped_after: $sa, stripped_saved: (if $sb and $sa then $sb - $sa else null end),
		runs: $check.runs, exit_status: $check.exit_status, same_output: $check.same_output }'
}

# diet_variant PRODUCT VARIANT: measures --gc-sections, strip, -Osize and
# all of them together against the variant as built; records size_options.
diet_variant() {
	local product=$1 variant=$2 base="$OUT/$2/$1" work="$OUT/.diet/$1" rows=() expected
	entry_ok "$product" "$variant" || return 0
	[ -x "$base" ] || return 0
	log "diet: measuring size options for $product ($variant)"
	mkdir -p "$work"
	expected="$work/$variant.expected"
	timeout 60 "$base" $SMOKE_ARGS >"$expected" 2>/dev/null </dev/null || true
	# --gc-sections: SwiftPM's release link (glibc) and the musl link both
	# use it already, so measure it by removal: a later --no-gc-sections wins.
	local nogc
	nogc=$(relink "$product" "$variant" "$SCRATCH" "$work/nogc" "$EXTRA_LDFLAGS -Wl,--no-gc-sections" || true)
	if [ -n "$nogc" ]; then
		rows+=("$(option_row gc-sections "--gc-sections, on by default (before: relinked with --no-gc-sections)" "$nogc" "$base" "$expected")")
	else
		rows+=("$(option_row gc-sections "--gc-sections (the --no-gc-sections link failed)" "$base" "" "$expected")")
	fi
	# strip: the symbol tables and debug info.
	strip -o "$work/$variant.stripped" "$base"
	rows+=("$(option_row strip "strip (symbol tables, debug info)" "$base" "$work/$variant.stripped" "$expected")")
	# -Osize: every Swift module of the package recompiled for size.
	local osize=""
	# (a failed SwiftPM *link* still leaves the objects, as in the main build)
	if swiftpm_build "$PACKAGE_PATH" "$SCRATCH-Osize" "$product" -Xswiftc -Osize >/dev/null 2>&1 ||
		[ -f "$SCRATCH-Osize/$(triple)/release/$product.product/Objects.LinkFileList" ]; then
		osize=$(relink "$product" "$variant" "$SCRATCH-Osize" "$work/osize" "$EXTRA_LDFLAGS" || true)
	fi
	rows+=("$(option_row Osize "swiftc -Osize for the package's modules (the toolchain's libraries stay as shipped)" "$base" "$osize" "$expected")")
	# Everything together: -Osize, --gc-sections, strip.
	local all=""
	if [ -n "$osize" ]; then
		all=$(relink "$product" "$variant" "$SCRATCH-Osize" "$work/all" "$EXTRA_LDFLAGS" || true)
		[ -n "$all" ] && strip "$all"
	fi
	rows+=("$(option_row diet "-Osize + --gc-sections + strip, together" "$base" "$all" "$expected")")
	entry_add "$product" "$variant" size_options "$(printf '%s\n' "${rows[@]}" | jq -s .)"
	[ -n "$all" ] && cp "$all" "$OUT/$variant/$product.diet"
	return 0
}

# size_cli: the static-musl CLI, built once (debug) beside the other builds.
size_cli() {
	local cli="$PROJECT_ROOT/.build-static/cli/debug/static-musl"
	if [ -z "${SIZE_CLI_BUILT:-}" ]; then
		swift build --package-path "$PROJECT_ROOT" --scratch-path "$PROJECT_ROOT/.build-static/cli" \
			--product static-musl >/dev/null 2>&1 || die "could not build the static-musl CLI (needed by --explain-size)"
		SIZE_CLI_BUILT=1
	fi
	echo "$cli"
}

# explain_variant PRODUCT VARIANT: heavy_archives from the link map.
explain_variant() {
	local product=$1 variant=$2 bin="$OUT/$2/$1" map="$OUT/$2/$1.map" cli heavy
	entry_ok "$product" "$variant" || return 0
	[ -f "$map" ] || return 0
	cli=$(size_cli)
	if heavy=$("$cli" size "$bin" --map "$map" --heavy-archives-json 2>"$OUT/$variant/$product.size.log"); then
		entry_add "$product" "$variant" heavy_archives "$heavy"
	else
		warn "static-musl size failed for $bin: $(tail -1 "$OUT/$variant/$product.size.log")"
	fi
}

# image_variant PRODUCT VARIANT TAR: a FROM scratch image of the stripped
# binary, or of the --diet binary (-Osize, --gc-sections, stripped) when it
# was built and passed its smoke check.
image_variant() {
	local product=$1 variant=$2 tar=$3 src="$OUT/$2/$1" info tmp diet=false
	entry_ok "$product" "$variant" || return 1
	if [ -x "$OUT/$variant/$product.diet" ] &&
		[ "$(jq -r '.size_options // [] | map(select(.option == "diet"))[0].runs // false' "$OUT/.entries/$product/$variant.json")" = true ]; then
		src="$OUT/$variant/$product.diet"; diet=true
	fi
	tmp=$(mktemp -d)
	strip -o "$tmp/$product" "$src"
	if info=$("$PROJECT_ROOT/toolchain/oci-image.sh" --binary "$tmp/$product" --out "$tar" --name "$product" \
			${IMAGE_WITH:+--with "$IMAGE_WITH"}); then
		entry_add "$product" "$variant" image "$(jq --arg v "$variant" --argjson diet "$diet" '. + {variant: $v, stripped: true, diet: $diet}' <<<"$info")"
		log "image: $tar ($variant, layer $(jq .layer_size <<<"$info") bytes compressed)"
	else
		rm -rf "$tmp"; die "--image: oci-image.sh failed for $src"
	fi
	rm -rf "$tmp"
}
