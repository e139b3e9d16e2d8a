#!/usr/bin/env bash
# Regenerate docs/sample-report/ and docs/report-screenshot.png from a real
# run on this machine. These files are never edited by hand: run this.
#
#   ./toolchain/sample-report.sh [--full] [--dist DIR]
#
# It builds the static-musl CLI, runs `static-musl report` (which builds the
# variants and runs every suite), keeps matrix.json, MATRIX.md, index.html and
# the suites' own JSON (suites/, so `report --from-json` can re-render it),
# and takes a 1400-pixel-wide screenshot of index.html with headless Chromium
# (Debian's chromium, installed when missing and root).
set -euo pipefail

PROJECT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$PROJECT_ROOT/toolchain/lib/common.sh"
LOG_NAME=sample-report

MODE=--quick
DIST=()
while [ $# -gt 0 ]; do
	case $1 in
		--full) MODE=--full; shift ;;
		--quick) MODE=--quick; shift ;;
		--dist) DIST=(--dist "$(cd "${2:?--dist needs a folder}" && pwd)"); shift 2 ;;
		-h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
		*) die "unknown argument: $1 (use --full, --quick or --dist DIR)" ;;
	esac
done

OUT=$PROJECT_ROOT/docs/sample-report
SHOT=$PROJECT_ROOT/docs/report-screenshot.png
NEW=$PROJECT_ROOT/.build-static/sample-report.new

log "building the static-musl CLI"
swift build --package-path "$PROJECT_ROOT" --scratch-path "$PROJECT_ROOT/.build-static/cli" --product static-musl >&2 ||
	die "could not build the static-musl CLI"
CLI=$PROJECT_ROOT/.build-static/cli/debug/static-musl

rm -rf "$NEW"
log "static-musl report $MODE ${DIST[*]:-} (progress below)"
(cd "$PROJECT_ROOT" && "$CLI" report $MODE ${DIST[@]+"${DIST[@]}"} --out "$NEW") || die "the report failed (see above)"

# The sample names this checkout's commit; say so when the tree was dirty.
if jq -e '.header.project.git_dirty == true' "$NEW/matrix.json" >/dev/null 2>&1; then
	log "warning: the checkout has uncommitted changes; the sample records that (git_dirty)"
fi

need_tool chromium chromium
log "screenshot of index.html"
PROFILE=$(mktemp -d)
trap 'rm -rf "$PROFILE"' EXIT
HOME=$PROFILE chromium --headless --disable-gpu --no-sandbox --no-first-run --user-data-dir="$PROFILE" \
	--hide-scrollbars --window-size=1400,1900 --screenshot="$NEW/screenshot.png" "file://$NEW/index.html" \
	>/dev/null 2>"$PROFILE/chromium.log" || { cat "$PROFILE/chromium.log" >&2; die "chromium could not take the screenshot"; }
if grep -E ':CONSOLE|Uncaught' "$PROFILE/chromium.log" >&2; then die "index.html logged to the browser console (above)"; fi

rm -rf "$OUT"
mkdir -p "$OUT"
cp "$NEW/matrix.json" "$NEW/MATRIX.md" "$NEW/index.html" "$OUT/"
cp -r "$NEW/suites" "$OUT/suites"
mv "$NEW/screenshot.png" "$SHOT"
rm -rf "$NEW"
log "wrote $OUT/{matrix.json,MATRIX.md,index.html,suites/} and $SHOT"
grep -E '^(build|inspect|scratch|dns|malloc|conformance|abi|size): ' <(jq -r '.sections | to_entries[] | "\(.key): \(.value.status) \(.value.reason // "")"' "$OUT/matrix.json") >&2 || true
