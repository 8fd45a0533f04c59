# Sourced by the scripts: which cross file builds a board.  A board's
# architecture is the CONFIG_ARCH_* line of its defconfig.

# board_cross <source dir> <defconfig name> <gcc|clang>
board_cross() {
	defconfig="$1/configs/$2_defconfig"
	if [ ! -f "$defconfig" ]; then
		echo "no such board: $2 (configs/*_defconfig)" >&2
		return 1
	fi
	case $(grep -o '^CONFIG_ARCH_[A-Z0-9_]*=y' "$defconfig" | head -n 1) in
	CONFIG_ARCH_AARCH64=y) arch=aarch64 ;;
	CONFIG_ARCH_X86_64=y) arch=x86_64 ;;
	CONFIG_ARCH_I386=y) arch=i686 ;;
	CONFIG_ARCH_ARMV6M=y) arch=armv6m ;;
	*) echo "$defconfig names no architecture" >&2; return 1 ;;
	esac
	echo "$1/cross/$arch-$3.ini"
}

# All boards: every configs/*_defconfig.
all_boards() {
	for f in "$1"/configs/*_defconfig; do
		basename "$f" _defconfig
	done
}
