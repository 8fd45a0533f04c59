#!/bin/sh
# Prepares a Debian bookworm machine to build and run Kite: installs the
# Debian packages that are missing (as root, with apt-get), QEMU 10.0 from
# bookworm-backports (bookworm's 7.2 has no raspi4b), unpacks Debian's
# arm64 libfdt into .deps/ for the aarch64 kernel and Debian's
# busybox-static for arm64, amd64 and i386 into .deps/busybox-<arch>/ for
# the initramfs, and busybox's source package (its testsuite/ and Debian's
# static .config, for tests/busybox) into .deps/busybox-src/, and the Open
# POSIX Test Suite's source (scripts/posix-tests.py fetch).  Idempotent,
# and silent when everything is there.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)

# apt-get update (its options as arguments) that survives a mirror caught
# mid-sync ("File has unexpected size"), which fails the whole update for
# one index however many others arrived: three tries a minute apart, then
# on with the lists that did arrive, saying so; what follows fails with
# apt's own message if the one it needs is missing.
apt_update() {
	err=$(mktemp)
	for try in 1 2 3; do
		if apt-get "$@" update >/dev/null 2>"$err"; then
			rm -f "$err"
			return 0
		fi
		[ "$try" = 3 ] || sleep 60
	done
	echo "setup-host: apt-get update failed three times; going on with the lists that arrived:" >&2
	grep '^E:' "$err" >&2 || cat "$err" >&2
	rm -f "$err"
}

packages="meson ninja-build python3-kconfiglib python3-pexpect
	gcc gcc-aarch64-linux-gnu gcc-i686-linux-gnu gcc-arm-none-eabi
	libc6-dev libc6-dev-arm64-cross libc6-dev-i386-cross
	clang lld llvm device-tree-compiler
	libfdt-dev gdb-multiarch cpio ca-certificates dpkg-dev
	libc6-dev libc6-dev-arm64-cross libc6-dev-i386-cross qemu-user-static"

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
	apt_update -q
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
	apt_update -q
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
	apt_update $opts
	(cd "$work" && apt-get $opts download libfdt-dev:arm64 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
	deb=$(ls "$work"/libfdt-dev_*_arm64.deb)
	mkdir -p "$fdt"
	dpkg-deb -x "$deb" "$fdt"
	rm -rf "$work"
	echo "setup-host: unpacked $(basename "$deb") into .deps/"
fi

# Debian's busybox-static (bookworm) for each MMU port's architecture: the
# initramfs's /bin/busybox.  One private apt state serves the three.
bb_archs=""
for a in arm64 amd64 i386; do
	[ -x "$top/.deps/busybox-$a/bin/busybox" ] || bb_archs="$bb_archs $a"
done
if [ -n "$bb_archs" ]; then
	work="$top/.deps/apt-busybox"
	rm -rf "$work"
	mkdir -p "$work/lists/partial" "$work/cache/archives/partial"
	opts="-q -o APT::Architecture=amd64 -o APT::Architectures::=amd64
		-o APT::Architectures::=arm64 -o APT::Architectures::=i386
		-o Dir::State::Lists=$work/lists -o Dir::Cache=$work/cache
		-o Dir::State::status=/dev/null -o Debug::NoLocking=1"
	apt_update $opts
	for a in $bb_archs; do
		# /bookworm: the release's version even where backports has another.
		(cd "$work" && apt-get $opts download "busybox-static:$a/bookworm" 2>&1 |
			grep -v -e '^W: Download is performed unsandboxed' -e '^Selected version' || true)
		deb=$(ls "$work"/busybox-static_*_"$a".deb)
		dest="$top/.deps/busybox-$a"
		rm -rf "$dest" "$work/x"
		dpkg-deb -x "$deb" "$work/x"
		# The binary must be the architecture's (ELF e_machine at byte 18,
		# little-endian): AArch64 183, x86-64 62, i386 3.
		want=$(case $a in arm64) echo 183 ;; amd64) echo 62 ;; i386) echo 3 ;; esac)
		got=$(od -An -tu2 -j18 -N2 "$work/x/bin/busybox" | tr -d ' ')
		if [ "$got" != "$want" ]; then
			echo "setup-host: $(basename "$deb"): ELF machine $got, expected $want" >&2
			exit 1
		fi
		mkdir -p "$dest/bin"
		cp "$work/x/bin/busybox" "$dest/bin/busybox"
		cp -r "$work/x/usr/share/doc/busybox-static" "$dest/doc" 2>/dev/null || true
		dpkg-deb -f "$deb" Package Version Architecture >"$dest/VERSION"
		echo "setup-host: unpacked $(basename "$deb") into .deps/busybox-$a/"
	done
	rm -rf "$work"
fi

# The source package of that busybox (bookworm's, as above), for its own
# test suite (tests/busybox): apt-get source with a private deb-src list
# and apt state (the host's sources.list may have no deb-src lines), then
# dpkg-source -x, which applies Debian's patches.  apt checks the files
# against the signed Sources index.
src="$top/.deps/busybox-src"
if [ ! -f "$src/testsuite/runtest" ] || [ ! -f "$src/debian/config/pkg/static" ]; then
	work="$top/.deps/apt-busybox-src"
	rm -rf "$work" "$src"
	mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/sources.list.d"
	echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main" \
		>"$work/sources.list"
	opts="-q -o Dir::Etc::SourceList=$work/sources.list
		-o Dir::Etc::SourceParts=$work/sources.list.d
		-o Dir::State::Lists=$work/lists -o Dir::Cache=$work/cache
		-o Dir::State::status=/dev/null -o Debug::NoLocking=1"
	apt_update $opts
	(cd "$work" && apt-get $opts source --download-only busybox/bookworm 2>&1 |
		grep -v -e '^W: Download is performed unsandboxed' -e '^Selected version' \
			-e '^Reading package lists' -e '^Need to get' -e '^Get:' -e '^Fetched' \
			-e '^Download complete' -e '^NOTICE:' -e "^Please use:" -e '^git clone' -e '^https://' \
			-e '^to retrieve the latest' -e '^$' || true)
	dsc=$(ls "$work"/busybox_*.dsc)
	# Its version is the binaries' without a binNMU suffix (+bN).
	want=$(sed -n 's/^Version: [0-9]*://p' "$top/.deps/busybox-amd64/VERSION" | sed 's/+b[0-9]*$//')
	got=$(sed -n 's/^Version: [0-9]*://p' "$dsc")
	if [ -n "$want" ] && [ "$got" != "$want" ]; then
		echo "setup-host: $(basename "$dsc"): version $got, but busybox-static is $want" >&2
		exit 1
	fi
	if ! dpkg-source -x "$dsc" "$src" >"$work/dpkg-source.log" 2>&1; then
		cat "$work/dpkg-source.log" >&2
		exit 1
	fi
	rm -rf "$work"
	echo "setup-host: unpacked $(basename "$dsc") into .deps/busybox-src/"
fi

# The Open POSIX Test Suite (Debian's posixtestsuite source, for
# tests/posix) into .deps/posixtestsuite-src, the same way.
/usr/bin/python3 "$top/scripts/posix-tests.py" fetch
