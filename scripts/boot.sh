#!/bin/sh
# Builds and boots one board in QEMU with its console on this terminal
# (default: QEMU virt, AArch64, GCC, four CPUs).  Installs missing Debian
# packages first.  Quit QEMU with Ctrl-A X if the kernel does not power
# off itself.  QEMU_ARGS adds QEMU options (default '-smp 4', none on the
# Cortex-M boards).
#
#   scripts/boot.sh [defconfig] [gcc|clang] [fragment,...]
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
board=${1:-qemu_virt_aarch64}
cc=${2:-gcc}
fragments=${3:-}

"$top/scripts/setup-host.sh"
. "$top/scripts/board-env.sh"
cross=$(board_cross "$top" "$board" "$cc")
dir="$top/build/$board-$cc"
if [ ! -f "$dir/build.ninja" ]; then
	meson setup "$dir" "$top" --cross-file "$cross" -Ddefconfig="$board" -Dfragments="$fragments"
elif [ -n "$fragments" ]; then
	meson configure "$dir" -Dfragments="$fragments"
fi
ninja -C "$dir"
# ninja, not `meson compile`: the console needs this terminal's input.
# Four CPUs by default, except on the Cortex-M boards, whose machines have one.
if grep -q '^CONFIG_ARCH_ARMV6M=y' "$top/configs/${board}_defconfig"; then
	export QEMU_ARGS="${QEMU_ARGS-}"
else
	export QEMU_ARGS="${QEMU_ARGS--smp 4}"
fi
exec ninja -C "$dir" qemu
