#!/usr/bin/env bash
# The README's main command. The build engine is Swift (`static-musl build`,
# Sources/StaticMuslKit/Build): this wrapper builds the CLI once and hands it
# every argument. `--help` lists the options.
#
# With no arguments: this package's Sample in every variant (musl+mimalloc
# too) into dist/, then the compatibility report into report/.
# Exit status: 0 ok, 1 a requested variant failed, 2 bad input.
set -euo pipefail
PROJECT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
command -v swift >/dev/null || { echo "build-static: swift is not on PATH: install a Swift toolchain" >&2; exit 2; }
CLI_SCRATCH=$PROJECT_ROOT/.build-static/cli
swift build --package-path "$PROJECT_ROOT" --scratch-path "$CLI_SCRATCH" --product static-musl -q >&2 ||
	{ echo "build-static: could not build the static-musl CLI (swift build output above)" >&2; exit 1; }
STATIC_MUSL_ROOT=$PROJECT_ROOT exec "$CLI_SCRATCH/debug/static-musl" build "$@"
