# ELF facts for the manifest, from readelf (binutils). The project's own
# parser (`static-musl inspect`) gives the full verdict; this is the
# build-time check: static means no PT_INTERP and no DT_NEEDED.

elf_interpreter() {
	readelf -lW "$1" 2>/dev/null | sed -n 's/.*\[Requesting program interpreter: \(.*\)\]/\1/p' | head -1
}

elf_needed() {
	readelf -dW "$1" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
}

# elf_facts BINARY -> a JSON object {static, interpreter, needed}
elf_facts() {
	local interp needed
	interp=$(elf_interpreter "$1")
	needed=$(elf_needed "$1" | jq -R . | jq -s .)
	jq -n --arg interp "$interp" --argjson needed "$needed" '{
		static: (($interp == "") and ($needed | length == 0)),
		interpreter: (if $interp == "" then null else $interp end),
		needed: $needed }'
}
