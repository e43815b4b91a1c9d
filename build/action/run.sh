#!/usr/bin/env bash
# Runs cmdfix for the GitHub Action (action.yml) and exits with its status.
#
# Environment (action.yml sets it from the inputs):
#   CMDFIX_PATHS       files and folders, separated by spaces or new lines
#   CMDFIX_MODE        check (list what would change), diff (show it), or
#                      fix (write it)
#   CMDFIX_FAIL_ON     passed as --fail-on when set (never, error, warning,
#                      info)
#   CMDFIX_OUTPUT      annotations (GitHub workflow commands), sarif (a log
#                      written to CMDFIX_SARIF_FILE) or text
#   CMDFIX_SARIF_FILE  where output sarif writes the log
#   CMDFIX_ARGS        more flags, separated by spaces
#   GITHUB_OUTPUT      set by the runner
set -euo pipefail

args=()
case "${CMDFIX_MODE:-check}" in
check) args+=(--check) ;;
diff) args+=(--check -d) ;;
fix) args+=(-w) ;;
*)
	echo "::error title=cmdfix action::mode '$CMDFIX_MODE' is not check, diff or fix"
	exit 2
	;;
esac
if [ -n "${CMDFIX_FAIL_ON:-}" ]; then
	args+=("--fail-on=$CMDFIX_FAIL_ON")
fi
if [ -n "${CMDFIX_ARGS:-}" ]; then
	read -r -a extra <<<"$CMDFIX_ARGS"
	args+=("${extra[@]}")
fi
paths=()
while read -r -a line; do
	paths+=("${line[@]}")
done <<<"${CMDFIX_PATHS:-.}"
if [ ${#paths[@]} -eq 0 ]; then
	paths=(.)
fi

status=0
case "${CMDFIX_OUTPUT:-annotations}" in
annotations)
	cmdfix "${args[@]}" --output-format github -- "${paths[@]}" || status=$?
	;;
text)
	cmdfix "${args[@]}" -- "${paths[@]}" || status=$?
	;;
sarif)
	sarif="${CMDFIX_SARIF_FILE:-cmdfix.sarif}"
	cmdfix "${args[@]}" --output-format sarif -- "${paths[@]}" >"$sarif" || status=$?
	echo "sarif-file=$sarif" >>"$GITHUB_OUTPUT"
	echo "SARIF log written to $sarif"
	;;
*)
	echo "::error title=cmdfix action::output '$CMDFIX_OUTPUT' is not annotations, sarif or text"
	exit 2
	;;
esac
exit "$status"
