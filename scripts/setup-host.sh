#!/bin/sh
# Prepares a Debian bookworm machine to build and run Kite: installs the
# Debian packages that are missing (as root, with apt-get), QEMU 10.0 from
# bookworm-backports (bookworm's 7.2 has no raspi4b), and unpacks Debian's
# arm64 libfdt into .deps/ for the aarch64 kernel.  Idempotent.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)

packages="meson ninja-build python3-kconfiglib python3-pexpect
	gcc gcc-aarch64-linux-gnu gcc-i686-linux-gnu gcc-arm-none-eabi
	libc6-dev libc6-dev-arm64-cross libc6-dev-i386-cross
	clang lld llvm device-tree-compiler
	libfdt-dev gdb-multiarch cpio ca-certificates"

missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "setup-host: installing:$missing"
	if [ "$(id -u)" != 0 ]; then
		echo "setup-host: run as root (or install the packages above)" >&2
		exit 1
	fi
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fi

# QEMU 10.0 from bookworm-backports (with its seabios; no Recommends, which
# would pull mesa and pipewire).  Installed, not unpacked: an unpacked 10.0
# beside an installed 7.2 loads 7.2's modules.
qemu_packages="qemu-system-arm qemu-system-x86 qemu-system-common qemu-system-data seabios"
qemu_ok=1
for p in qemu-system-arm qemu-system-x86; do
	v=$(dpkg-query -W -f='${Status} ${Version}\n' "$p" 2>/dev/null || true)
	case "$v" in
	"install ok installed 1:"[1-9][0-9].*) ;;
	*) qemu_ok=0 ;;
	esac
done
if [ "$qemu_ok" = 0 ]; then
	echo "setup-host: installing QEMU 10 from bookworm-backports"
	if [ "$(id -u)" != 0 ]; then
		echo "setup-host: run as root (or install $qemu_packages from bookworm-backports)" >&2
		exit 1
	fi
	list=/etc/apt/sources.list.d/bookworm-backports.list
	if ! grep -rqs '^[^#]*bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
		echo "deb http://deb.debian.org/debian bookworm-backports main" >"$list"
	fi
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		-t bookworm-backports $qemu_packages
fi

# Debian's arm64 libfdt.a, fetched with a private apt state so the host's
# own package lists are left alone.
fdt="$top/.deps/libfdt-arm64"
if [ ! -f "$fdt/usr/lib/aarch64-linux-gnu/libfdt.a" ]; then
	work="$top/.deps/apt-arm64"
	rm -rf "$work"
	mkdir -p "$work/lists/partial" "$work/cache/archives/partial"
	opts="-q -o APT::Architecture=arm64 -o APT::Architectures::=arm64
		-o Dir::State::Lists=$work/lists -o Dir::Cache=$work/cache
		-o Dir::State::status=/dev/null -o Debug::NoLocking=1"
	apt-get $opts update >/dev/null
	(cd "$work" && apt-get $opts download libfdt-dev:arm64 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
	deb=$(ls "$work"/libfdt-dev_*_arm64.deb)
	mkdir -p "$fdt"
	dpkg-deb -x "$deb" "$fdt"
	rm -rf "$work"
	echo "setup-host: unpacked $(basename "$deb") into .deps/"
fi
