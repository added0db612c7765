#!/bin/sh
# deps.sh - find missing build (and test) dependencies and install them with
# apt-get on Debian/Ubuntu (as root, or through sudo). Elsewhere, print the
# missing packages and fail.
#
#   scripts/deps.sh --check          report only (exit 1 when something is missing)
#   scripts/deps.sh --install        install what the build needs
#   ... --with-tests                 also what `make check` needs
#   ... --with-bench                 also what `make bench` needs
set -eu

mode=check tests=0 bench=0
for a in "$@"; do
	case "$a" in
	--check) mode=check ;;
	--install) mode=install ;;
	--with-tests) tests=1 ;;
	--with-bench) bench=1 ;;
	*) echo "deps.sh: unknown option $a" >&2; exit 2 ;;
	esac
done

missing=""
need_pkg() { # pkg-config module, Debian package
	if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists "$1" 2>/dev/null; then
		missing="$missing $2"
	fi
}
need_cmd() { # command, Debian package
	command -v "$1" >/dev/null 2>&1 || missing="$missing $2"
}

need_cmd cc gcc
need_cmd make make
need_cmd pkg-config pkg-config
need_pkg libpcap libpcap-dev
need_pkg ncursesw libncurses-dev
need_pkg jansson libjansson-dev
need_pkg libcrypto libssl-dev
if [ "$tests" = 1 ]; then
	need_pkg cmocka libcmocka-dev
	need_cmd tmux tmux
	need_cmd openssl openssl
	need_cmd valgrind valgrind
	command -v setpriv >/dev/null 2>&1 || missing="$missing util-linux"
	need_cmd python3 python3  # test data generators (tests/data/gen/)
	[ -x /usr/bin/time ] || missing="$missing time"  # tests/cli/limits.sh: peak RSS
fi
if [ "$bench" = 1 ]; then
	need_cmd tshark tshark
	[ -x /usr/bin/time ] || missing="$missing time"
	need_cmd bc bc
	need_cmd python3 python3
fi
# pkg-config missing makes every module look missing: list each package once.
missing=$(printf '%s\n' $missing | sort -u | tr '\n' ' ')
[ -z "${missing# }" ] && exit 0

echo "tracewb: missing build dependencies: $missing"
if [ "$mode" = check ]; then
	exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "tracewb: not a Debian/Ubuntu system: install the equivalents of:$missing" >&2
	exit 1
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		sudo="sudo"
	else
		echo "tracewb: run as root or install sudo, or install by hand: apt-get install$missing" >&2
		exit 1
	fi
fi
export DEBIAN_FRONTEND=noninteractive
echo "tracewb: installing:$missing"
# tshark asks whether non-root users may capture; answer no without a prompt.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $sudo debconf-set-selections 2>/dev/null || true
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing
