# One function per kind of variant. Each writes one manifest entry to
# $OUT/.entries/<product>/<variant>.json via record_entry.

# record_entry PRODUCT VARIANT STATUS REASON [BINARY LINKLOG MAP ALLOCATOR UNRESOLVED_JSON]
record_entry() {
	local product=$1 variant=$2 status=$3 reason=$4 binary=${5:-} linklog=${6:-} map=${7:-} allocator=${8:-} unresolved=${9:-[]}
	local dir="$OUT/.entries/$product" facts='{}' size=null ssize=null warnings='[]' rel=null relmap=null
	mkdir -p "$dir"
	if [ -n "$binary" ] && [ -f "$binary" ]; then
		facts=$(elf_facts "$binary")
		size=$(file_size "$binary")
		ssize=$(stripped_size "$binary")
		rel=$(jq -Rn --arg p "${binary#"$OUT"/}" '$p')
		if [ "$STRIP" = 1 ]; then strip "$binary"; fi
	fi
	if [ -n "$map" ] && [ -f "$map" ]; then relmap=$(jq -Rn --arg p "${map#"$OUT"/}" '$p'); fi
	if [ -n "$linklog" ] && [ -f "$linklog" ]; then
		# One line per distinct warning, without the object path noise.
		warnings=$({ grep -E 'warning:' "$linklog" || true; } | sed -E 's/^.*warning: //' | sort -u | jq -R . | jq -s .)
	fi
	jq -n --arg variant "$variant" --arg status "$status" --arg reason "$reason" \
		--argjson path "$rel" --argjson size "$size" --argjson ssize "$ssize" --argjson facts "$facts" \
		--argjson warnings "$warnings" --argjson map "$relmap" --arg allocator "$allocator" \
		--argjson unresolved "$unresolved" '{
			variant: $variant, status: $status,
			reason: (if $reason == "" then null else $reason end),
			path: $path, size: $size, stripped_size: $ssize,
			static: $facts.static, interpreter: $facts.interpreter, needed: $facts.needed,
			link_warnings: $warnings, link_map: $map,
			allocator: (if $allocator == "" then null else $allocator end),
			unresolved: $unresolved }' >"$dir/$variant.json"
}

# build_variant PRODUCT VARIANT: link SwiftPM's objects for one variant.
build_variant() {
	local product=$1 variant=$2 dir="$OUT/$2" args
	mkdir -p "$dir"
	local bin="$dir/$product" map="$dir/$product.map" linklog="$dir/$product.link.log"
	rm -f "$bin"
	log "linking $product ($variant)"
	case $variant in
		glibc-dynamic|glibc-static)
			args=$(link_args "$SCRATCH" "$product")
			local cmd
			if [ "$variant" = glibc-static ]; then
				# The toolchain's own fully static route: -static-executable.
				mapfile -t cmd < <(jq -r --arg o "$bin" '
					. as $a | [range(0; length)] | map(. as $i |
						if $a[$i] == "-static-stdlib" then "-static-executable"
						elif $i > 0 and $a[$i-1] == "-o" then $o
						elif ($a[$i] | startswith("-rpath")) or ($a[$i] == "-Xlinker" and ($a[$i+1] // "" | startswith("-rpath"))) then empty
						else $a[$i] end) | .[]' <<<"$args")
			else
				mapfile -t cmd < <(jq -r --arg o "$bin" '. as $a | [range(0; length)] | map(. as $i | if $i > 0 and $a[$i-1] == "-o" then $o else $a[$i] end) | .[]' <<<"$args")
			fi
			if "${cmd[@]}" -Xlinker -Map="$map" $(for f in $EXTRA_LDFLAGS; do printf -- '-Xlinker %s ' "${f#-Wl,}"; done) >"$linklog" 2>&1; then
				record_entry "$product" "$variant" ok "" "$bin" "$linklog" "$map" glibc
			else
				record_entry "$product" "$variant" failed "link failed: $(grep -m1 -E 'cannot find|undefined reference' "$linklog" | sed 's/^.*: error: //' || grep -m1 error "$linklog" || tail -1 "$linklog")" "" "$linklog"
				warn "$variant link of $product failed; see $linklog"
			fi ;;
		musl|musl+mimalloc)
			local first=() allocator=mallocng
			if [ "$variant" = musl+mimalloc ]; then
				local mi
				if ! mi=$("$PROJECT_ROOT/toolchain/build-mimalloc.sh" "$PROJECT_ROOT/.build-static/mimalloc"); then
					record_entry "$product" "$variant" failed "mimalloc could not be built (toolchain/build-mimalloc.sh failed)"
					warn "mimalloc build failed"; return 0
				fi
				first=("$mi"); allocator=mimalloc
			fi
			if musl_link "$SCRATCH" "$product" "$bin" "$map" "$linklog" "${first[@]}"; then
				record_entry "$product" "$variant" ok "" "$bin" "$linklog" "$map" "$allocator"
			else
				local unresolved
				unresolved=$(parse_unresolved "$linklog")
				local unsupported=""
				jq -e 'any(.[]; .symbol | test("^curl_|-lcurl"))' <<<"$unresolved" >/dev/null &&
					unsupported="FoundationNetworking is not supported on the musl variant: it needs libcurl (and its TLS stack) built for musl, which Debian does not ship. "
				jq -e 'any(.[]; .symbol | test("^xml|-lxml2"))' <<<"$unresolved" >/dev/null &&
					unsupported="${unsupported}FoundationXML is not supported on the musl variant: it needs libxml2 built for musl, which Debian does not ship. "
				if [ "$(jq length <<<"$unresolved")" -gt 0 ]; then
					record_entry "$product" "$variant" failed "${unsupported}unresolved symbols: $(jq -r 'map(.symbol + " (wanted by " + .wanted_by + ")") | .[:8] | join(", ")' <<<"$unresolved")$( [ "$(jq length <<<"$unresolved")" -gt 8 ] && echo ", and $(( $(jq length <<<"$unresolved") - 8 )) more")" "" "$linklog" "" "" "$unresolved"
					warn "$variant link of $product failed: ${unsupported}see $OUT/manifest.json"
					return 0
				fi
				if false; then
					record_entry "$product" "$variant" failed "unresolved symbols: $(jq -r 'map(.symbol + " (wanted by " + .wanted_by + ")") | join(", ")' <<<"$unresolved")" "" "$linklog" "" "" "$unresolved"
					warn "$variant link of $product: unresolved $(jq -r 'map(.symbol + " (wanted by " + .wanted_by + ")") | join(", ")' <<<"$unresolved")"
				else
					record_entry "$product" "$variant" failed "$(grep -m1 -E 'error' "$linklog" | sed -E 's/^\[build-static\] error: //; s/^/link failed: /; s/^link failed: (C\+\+)/\1/' || tail -1 "$linklog")" "" "$linklog"
					warn "$variant link of $product failed; see $linklog"
				fi
			fi ;;
	esac
}

# build_embedded: the Embedded Swift probe, linked with musl-gcc -static.
build_embedded() {
	local dir="$OUT/embedded-musl" product=embedded-probe
	local src="$PROJECT_ROOT/Probes/EmbeddedProbe/main.swift"
	local lib="$TOOLCHAIN_ROOT/usr/lib/swift/embedded/$(triple)"
	mkdir -p "$dir"
	if [ ! -f "$lib/libswiftUnicodeDataTables.a" ]; then
		record_entry "$product" embedded-musl skipped "this toolchain has no Embedded Swift runtime for $(triple) ($lib)"; return 0
	fi
	log "compiling $product (embedded-musl)"
	local obj="$dir/$product.o" linklog="$dir/$product.link.log"
	if swiftc -enable-experimental-feature Embedded -enable-experimental-feature Extern -wmo -Osize \
			-target "$(triple)" -c "$src" -o "$obj" >"$linklog" 2>&1 &&
		musl-gcc -static -Os -Wl,--gc-sections -Wl,-Map,"$dir/$product.map" -o "$dir/$product" "$obj" \
			"$lib/libswiftUnicodeDataTables.a" >>"$linklog" 2>&1; then
		rm -f "$obj"
		record_entry "$product" embedded-musl ok "" "$dir/$product" "$linklog" "$dir/$product.map" mallocng
	else
		record_entry "$product" embedded-musl failed "$(grep -m1 -E 'error' "$linklog" || tail -1 "$linklog")"
	fi
}

# build_sdk PRODUCT: the official Static Linux SDK, when one is installed.
build_sdk() {
	local product=$1 sdk
	sdk=$(swift sdk list 2>/dev/null | grep -iE 'static-linux|linux-musl' | head -1 || true)
	if [ -z "$sdk" ]; then
		record_entry "$product" sdk skipped "skipped: no Static Linux SDK installed"; return 0
	fi
	log "swift build --swift-sdk $sdk ($product)"
	local dir="$OUT/sdk" linklog="$OUT/sdk/$product.link.log"
	mkdir -p "$dir"
	if swift build -c release --package-path "$PACKAGE_PATH" --scratch-path "$SCRATCH-sdk" --swift-sdk "$sdk" \
			--product "$product" >"$linklog" 2>&1; then
		cp "$(swift build -c release --package-path "$PACKAGE_PATH" --scratch-path "$SCRATCH-sdk" --swift-sdk "$sdk" --show-bin-path)/$product" "$dir/$product"
		record_entry "$product" sdk ok "" "$dir/$product" "$linklog" "" mimalloc
	else
		record_entry "$product" sdk failed "swift build --swift-sdk $sdk failed: $(grep -m1 error "$linklog" || true)"
	fi
}

# write_manifest: merge this run's entries into <out>/manifest.json.
write_manifest() {
	local old='{"products": []}' new
	[ -f "$OUT/manifest.json" ] && old=$(cat "$OUT/manifest.json")
	new=$(for f in "$OUT"/.entries/*/*.json; do
		[ -f "$f" ] || continue
		jq --arg product "$(basename "$(dirname "$f")")" '{product: $product, entry: .}' "$f"
	done | jq -s .)
	jq -n --argjson old "$old" --argjson new "$new" \
		--arg swift "$(swift_version)" --arg root "$TOOLCHAIN_ROOT" --arg musl "$MUSL_VERSION" \
		--arg glibc "$(glibc_version)" --arg gcc "$(gcc_version)" --arg package "$PACKAGE_PATH" \
		--arg generated "$(date -u +%Y-%m-%dT%H:%M:%SZ)" '
		($old.products // []) as $prev
		| ([$prev[].product] + [$new[].product] | unique) as $names
		| {schema_version: 1, generated: $generated,
		   toolchain: {swift: $swift, root: $root, musl: $musl, glibc: $glibc, gcc: $gcc},
		   products: [$names[] as $n | {
		     product: $n,
		     package_path: ((($prev[] | select(.product == $n) | .package_path) // $package)),
		     variants: ((([$prev[] | select(.product == $n) | .variants[]]
		                 | map(select(.variant as $v | [$new[] | select(.product == $n) | .entry.variant] | index($v) | not)))
		                + [$new[] | select(.product == $n) | .entry]) | sort_by(.variant))}]}' >"$OUT/manifest.json.tmp"
	mv "$OUT/manifest.json.tmp" "$OUT/manifest.json"
	rm -rf "$OUT/.entries"
}

print_summary() {
	jq -r '.products[] | .product as $p | .variants[] |
		"  \($p)\t\(.variant)\t\(.status)\t\(if .static == true then "static" elif .static == false then "dynamic" else "-" end)\t\(.size // "-")\t\(.stripped_size // "-")\t\(.reason // "")"' \
		"$OUT/manifest.json" | column -t -s $'\t' -N "  product,variant,status,linkage,size,stripped,reason" >&2 || true
}

# run_report: the README's main job ends with the compatibility report.
run_report() {
	log "building the static-musl CLI for the report"
	swift build --package-path "$PROJECT_ROOT" --scratch-path "$PROJECT_ROOT/.build-static/cli" --product static-musl >&2 ||
		die "could not build the static-musl CLI"
	local cli="$PROJECT_ROOT/.build-static/cli/debug/static-musl"
	"$cli" report --quick --out "$PROJECT_ROOT/report" --dist "$OUT" || die "the report failed (see above)"
	log "report: $PROJECT_ROOT/report/MATRIX.md and $PROJECT_ROOT/report/index.html"
}
