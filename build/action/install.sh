#!/usr/bin/env bash
# Installs cmdfix for the GitHub Action (action.yml) and puts it on the
# PATH of the job's later steps. Either it downloads the release archive
# for the runner's OS and architecture and checks it against the release's
# SHA256SUMS, or (CMDFIX_BUILD_FROM_SOURCE=true) it builds cmdfix with the
# Go on the PATH from the action's own checkout.
#
# Environment (action.yml sets it from the inputs):
#   CMDFIX_VERSION          release tag (v1.2.3); empty or "latest": the
#                           action's own ref if it is a tag, else the latest
#   CMDFIX_ACTION_REF       the ref the action was used at (github.action_ref)
#   CMDFIX_BUILD_FROM_SOURCE  "true" to build instead of downloading
#   CMDFIX_SOURCE           the action's checkout (github.action_path)
#   CMDFIX_REPOSITORY       owner/name of the releases (cmdfix/cmdfix)
#   CMDFIX_RELEASE_URL      base of the download URLs; TAG/FILE is appended
#   CMDFIX_API_URL          GitHub's API, to find the latest release
#   GITHUB_TOKEN            for the API (rate limits); may be empty
#   RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, GITHUB_PATH, GITHUB_OUTPUT: set by
#                           the runner
set -euo pipefail

fail() {
	echo "::error title=cmdfix action::$*"
	exit 1
}

: "${RUNNER_TEMP:?}" "${GITHUB_PATH:?}" "${GITHUB_OUTPUT:?}"
exe=
if [ "${RUNNER_OS:-}" = Windows ]; then
	exe=.exe
fi
dest="$RUNNER_TEMP/cmdfix-bin"
rm -rf "$dest"
mkdir -p "$dest"

if [ "${CMDFIX_BUILD_FROM_SOURCE:-false}" = true ]; then
	command -v go >/dev/null || fail "build-from-source needs Go on the PATH (actions/setup-go)"
	echo "Building cmdfix from $CMDFIX_SOURCE"
	(cd "$CMDFIX_SOURCE" && CGO_ENABLED=0 go build -trimpath -o "$dest/cmdfix$exe" ./cmd/cmdfix)
else
	version="${CMDFIX_VERSION:-}"
	if [ -z "$version" ] || [ "$version" = latest ]; then
		case "${CMDFIX_ACTION_REF:-}" in
		v[0-9]*) version="$CMDFIX_ACTION_REF" ;;
		*)
			auth=()
			if [ -n "${GITHUB_TOKEN:-}" ]; then
				auth=(-H "Authorization: Bearer $GITHUB_TOKEN")
			fi
			version="$(curl -fsSL --retry 3 ${auth[@]+"${auth[@]}"} "${CMDFIX_API_URL%/}/repos/$CMDFIX_REPOSITORY/releases/latest" |
				grep -o '"tag_name": *"[^"]*"' | sed -n '1s/.*"\([^"]*\)"$/\1/p')" ||
				fail "could not ask for the latest release of $CMDFIX_REPOSITORY"
			[ -n "$version" ] || fail "$CMDFIX_REPOSITORY has no latest release"
			;;
		esac
	fi
	case "${RUNNER_OS:-}" in
	Linux) os=linux ;;
	macOS) os=darwin ;;
	Windows) os=windows ;;
	*) fail "no cmdfix release for runner OS '${RUNNER_OS:-}'; set build-from-source: true" ;;
	esac
	case "${RUNNER_ARCH:-}" in
	X64) arch=amd64 ;;
	ARM64) arch=arm64 ;;
	*) fail "no cmdfix release for runner architecture '${RUNNER_ARCH:-}'; set build-from-source: true" ;;
	esac
	ext=tar.gz
	if [ "$os" = windows ]; then
		ext=zip
	fi
	archive="cmdfix_${version#v}_${os}_${arch}.${ext}"
	base="${CMDFIX_RELEASE_URL%/}/$version"
	download="$RUNNER_TEMP/cmdfix-download"
	rm -rf "$download"
	mkdir -p "$download"
	echo "Downloading $base/$archive"
	curl -fsSL --retry 3 -o "$download/SHA256SUMS" "$base/SHA256SUMS" || fail "could not download $base/SHA256SUMS"
	curl -fsSL --retry 3 -o "$download/$archive" "$base/$archive" || fail "could not download $base/$archive"
	want="$(awk -v f="$archive" '$2 == f { print $1 }' "$download/SHA256SUMS")"
	[ -n "$want" ] || fail "SHA256SUMS of $version does not list $archive"
	if command -v sha256sum >/dev/null; then
		got="$(sha256sum "$download/$archive" | cut -d ' ' -f 1)"
	else
		got="$(shasum -a 256 "$download/$archive" | cut -d ' ' -f 1)"
	fi
	[ "$got" = "$want" ] || fail "checksum mismatch for $archive: SHA256SUMS says $want, the download is $got"
	if [ "$ext" = zip ]; then
		unzip -q -o "$download/$archive" "cmdfix$exe" -d "$dest"
	else
		tar -xzf "$download/$archive" -C "$dest" cmdfix
	fi
fi

echo "$dest" >>"$GITHUB_PATH"
installed="$("$dest/cmdfix$exe" --version)"
installed="${installed%%$'\n'*}"
echo "Installed $installed"
echo "version=${installed#cmdfix }" >>"$GITHUB_OUTPUT"
