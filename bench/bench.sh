#!/usr/bin/env bash
# make bench: builds cmdfix, the parse-only floor, the harness and
# buildkitlint (BuildKit's build checks), installs
# the peers (dockerfmt and dprint from npm), lays the corpus out as a tree
# of repositories (and ten copies of it), then runs the harness, the Go
# benchmarks of the hot paths, and saves the report in bench/results/.
#
# BENCH_DIR (default $TMPDIR/cmdfix-bench) keeps the installs and trees
# between runs; BENCH_ROUNDS sets the rounds per group. cmdfix's result
# caches for the first and warm runs live in $BENCH_DIR/cmdfix-cache; the
# runs that prepare the trees use none.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
corpus=${CORPUS:-$repo/../shared/corpus}
work=${BENCH_DIR:-${TMPDIR:-/tmp}/cmdfix-bench}
rounds=${BENCH_ROUNDS:-7}
mkdir -p "$work" bench/results
rm -rf "$work/cmdfix-cache" # warm means warmed by this run's cmdfix

if [ ! -f "$corpus/manifest.tsv" ]; then
	echo "bench: no corpus at $corpus (set CORPUS)" >&2
	exit 2
fi

# Tools.
go build -o "$work/cmdfix" ./cmd/cmdfix
go build -o "$work/floor" ./bench/floor
go build -o "$work/harness" ./bench/harness
(cd build/tools && go build -o "$work/buildkitlint" ./buildkitlint) # its own module: dockerfile2llb stays out of cmdfix
npm_dir=$work/npm
dockerfmt=$npm_dir/node_modules/@reteps/dockerfmt-linux-x64/bin/dockerfmt
dprint=$npm_dir/node_modules/dprint/dprint
plugin=$npm_dir/node_modules/@dprint/dockerfile/plugin.wasm
if [ ! -x "$dockerfmt" ] || [ ! -x "$dprint" ] || [ ! -f "$plugin" ]; then
	mkdir -p "$npm_dir"
	(cd "$npm_dir" && npm install --no-audit --no-fund --no-save --silent \
		@reteps/dockerfmt@0.5.4 dprint@0.57.4 @dprint/dockerfile@0.6.0)
fi
# dprint with its Dockerfile plugin in its default style: bench/dprint.json
# routes every file to the plugin whatever its name, turns off the
# incremental cache (it would skip files it saw before), and names the
# plugin's wasm inside the npm package (dprint cannot download plugins here).
sed "s|@PLUGIN@|$plugin|" bench/dprint.json > "$work/dprint.json"
export DPRINT_CACHE_DIR=$work/dprint-cache
"$dprint" check --config "$work/dprint.json" "$repo/bench/typical.Dockerfile" >/dev/null 2>&1 || true # compiles the plugin once

# The corpus as repositories (owner/repo/path/Dockerfile, from the
# manifest), and ten copies of that tree. Rebuilt when the manifest changes.
stamp=$(sha256sum "$corpus/manifest.tsv" | cut -c1-16)
if [ "$(cat "$work/corpus.stamp" 2>/dev/null)" != "$stamp" ]; then
	rm -rf "$work/corpus" "$work/corpus10"
	tail -n +2 "$corpus/manifest.tsv" | while IFS=$'\t' read -r file _ repo_name _ path; do
		mkdir -p "$work/corpus/$repo_name/$(dirname "$path")"
		cp "$corpus/$file" "$work/corpus/$repo_name/$path"
	done
	for i in 0 1 2 3 4 5 6 7 8 9; do
		mkdir -p "$work/corpus10"
		cp -r "$work/corpus" "$work/corpus10/copy$i"
	done
	echo "$stamp" > "$work/corpus.stamp"
fi

# The corpus as cmdfix -w leaves it: what a repository gated in CI looks
# like from then on. Made again each run, since cmdfix may have changed.
rm -rf "$work/corpus-formatted"
cp -r "$work/corpus" "$work/corpus-formatted"
chmod -R u+w "$work/corpus-formatted" # the corpus files are read-only, which -w refuses
"$work/cmdfix" --no-cache -w "$work/corpus-formatted" >/dev/null 2>&1 || true # exits 2: the corpus has files BuildKit rejects
if [ -n "$("$work/cmdfix" --no-cache -l "$work/corpus-formatted" 2>/dev/null)" ]; then
	echo "bench: cmdfix -w left files to change in $work/corpus-formatted" >&2
	exit 1
fi

out=bench/results/latest.txt
{
	echo "make bench, $(date -u +%Y-%m-%dT%H:%MZ), cmdfix $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!bench/results' || echo '+changes')"
	"$work/harness" -cmdfix "$work/cmdfix" -floor "$work/floor" \
		-dockerfmt "$dockerfmt" -dprint "$dprint" -dprint-config "$work/dprint.json" \
		-corpus "$work/corpus" -corpus10 "$work/corpus10" -formatted "$work/corpus-formatted" -typical bench/typical.Dockerfile \
		-rounds "$rounds" -peer-list "$work/peers.txt" -verdicts "$work/dockerfmt-verdicts.txt" \
		-cache-root "$work/cmdfix-cache" && status=0 || status=$?
	echo
	echo "BuildKit's build checks (docker build --check) over the corpus, warnings (files), before and after cmdfix:"
	bench/lint-table.sh "$work/cmdfix" "$work/buildkitlint" "$corpus" "$work" || status=1
	echo
	echo "Go benchmarks of the hot paths (go test -bench -benchmem):"
	CMDFIX_CORPUS=$corpus go test -run '^$' -bench . -benchmem -count 1 ./rewrite/... ./cmd/cmdfix | grep -E '^(Benchmark|ok|FAIL)'
	exit $status
} 2>&1 | tee "$out"
