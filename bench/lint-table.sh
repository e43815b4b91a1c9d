#!/usr/bin/env bash
# table.sh CMDFIX BUILDKITLINT CORPUS WORK: copies the corpus (a folder of
# Dockerfiles) four ways, as it is and after cmdfix -w, -w --unsafe and
# -w --unsafe --explicit-shell, runs BuildKit's build checks over each
# (buildkitlint) and prints a Markdown table per check: warnings (files).
# It fails when the build errors BuildKit reports are not the same, file
# by file, in every copy; it then says in how many files the image config
# of the default target (history aside) changed.
set -euo pipefail
cmdfix=$1 lint=$2 corpus=$3 work=$4
modes=(before w unsafe explicit)
for mode in "${modes[@]}"; do
	d=$work/lint-$mode
	rm -rf "$d"
	mkdir -p "$d"
	find "$corpus" -maxdepth 1 -type f ! -name manifest.tsv -exec cp -t "$d" {} +
	chmod -R u+w "$d"
	case $mode in
	w) flags=() ;;
	unsafe) flags=(--unsafe) ;;
	explicit) flags=(--unsafe --explicit-shell) ;;
	esac
	if [ "$mode" != before ]; then
		# Exits 2: the corpus has files BuildKit rejects, which stay as they are.
		(cd "$d" && find . -type f -printf '%P\n' | xargs "$cmdfix" -w -no-config "${flags[@]}" >/dev/null 2>&1) || true
	fi
	(cd "$d" && find . -type f -printf '%P\n' | sort >"$work/lint-$mode.files" &&
		"$lint" -table <"$work/lint-$mode.files" >"$work/lint-$mode.tsv" &&
		"$lint" -each <"$work/lint-$mode.files" | grep -P '\terror: ' | sort >"$work/lint-$mode.errors" &&
		"$lint" -config <"$work/lint-$mode.files" | cut -f1,2 >"$work/lint-$mode.config" || true)
done
for mode in "${modes[@]:1}"; do
	if ! cmp -s "$work/lint-before.errors" "$work/lint-$mode.errors"; then
		echo "buildkitlint: the build errors after cmdfix ($mode) differ from before:" >&2
		diff "$work/lint-before.errors" "$work/lint-$mode.errors" >&2 || true
		exit 1
	fi
done
awk -F'\t' '
	FNR == 1 { m++ }
	{ w[$1, m] = $2; f[$1, m] = $3; if (!($1 in seen)) { seen[$1] = 1; names[++n] = $1 } }
	END {
		print "| check | before | `-w` | `-w --unsafe` | `-w --unsafe --explicit-shell` |"
		print "|---|---|---|---|---|"
		for (i = 1; i <= n; i++) {
			name = names[i]
			row = (name == "build error") ? "| build errors (the same files) |" : "| `" name "` |"
			for (j = 1; j <= m; j++) row = row " " ((w[name, j] > 0) ? w[name, j] " (" f[name, j] ")" : "0") " |"
			print row
		}
	}' "$work/lint-before.tsv" "$work/lint-w.tsv" "$work/lint-unsafe.tsv" "$work/lint-explicit.tsv"
echo
for mode in "${modes[@]:1}"; do
	n=$(diff "$work/lint-before.config" "$work/lint-$mode.config" | grep -c '^>' || true)
	echo "- after $mode: the image config BuildKit makes (history aside) differs in $n files"
done
