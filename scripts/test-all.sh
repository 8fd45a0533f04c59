#!/bin/sh
# The whole test suite: every board with GCC and with clang, each built
# with the test fragment (clang builds add the debug fragment, so both
# configurations are covered) and checked by `meson test` (host unit
# tests, the in-kernel TAP suites in QEMU, build-flow tests); boards whose
# defconfig is SMP are also built uniprocessor (configs/up.config, GCC).
# Installs missing Debian packages first.  Ends with one "N passed, N
# failed" line counting Meson tests (a board that fails to configure or
# build counts as one failure).
#
#   scripts/test-all.sh [board ...]
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/setup-host.sh" || exit 1
. "$top/scripts/board-env.sh"

boards=${*:-$(all_boards "$top")}
mkdir -p "$top/build/test"
passed=0
failed=0
failures=""
start=$(date +%s)

# The configurations of a board: <compiler>:<fragments>:<name suffix>.
configs() {
	case $1 in
	microbit)
		# The smallest kernel too, with the tests: rtos_minimal's tables,
		# no thread names, no interrupt counts (clang, as its size report).
		echo gcc:test:gcc clang:rtos_minimal,test,debug:clang ;;
	*)
		echo gcc:test:gcc clang:test,debug:clang ;;
	esac
	if grep -q '^CONFIG_ARCH_\(AARCH64\|X86_64\|I386\)=y' "$top/configs/$1_defconfig"; then
		echo gcc:test,up:gcc-up
	fi
}

# What meson test leaves out in a configuration: the GCC build runs
# everything; the others skip the longest boots (suite ktest-slow: the
# most memory, four CPUs), which test the same code as their siblings,
# to keep the whole run within CI's time.
test_args() {
	case $1 in
	*-gcc) ;;
	*) echo --no-suite ktest-slow ;;
	esac
}

# The host unit tests and libFuzzer harnesses are built by the host's
# compilers with fixed settings, not from the board's .config: the run's
# first GCC configuration builds and runs all of them, the other GCC
# configurations only their port's own (-Dhost_tests=port), the rest none.
shared_host_tests=all

for board in $boards; do
	for c in $(configs "$board"); do
		cc=${c%%:*}
		fragments=${c#*:}
		fragments=${fragments%%:*}
		name="$board-${c##*:}"
		dir="$top/build/test/$name"
		echo "=== $name"
		if ! cross=$(board_cross "$top" "$board" "$cc"); then
			failed=$((failed + 1)); failures="$failures $name"; continue
		fi
		case $name in
		*-gcc) host_tests=$shared_host_tests; shared_host_tests=port ;;
		*) host_tests=none ;;
		esac
		# A directory whose stored options this tree no longer takes (an
		# option's type changed) is set up afresh.
		if [ -f "$dir/build.ninja" ] &&
		   ! meson configure "$dir" -Dfragments="$fragments" -Dhost_tests="$host_tests" >/dev/null 2>&1; then
			echo "test-all: $dir: options from an older tree, set up afresh"
			rm -rf "$dir"
		fi
		if [ ! -f "$dir/build.ninja" ]; then
			meson setup "$dir" "$top" --cross-file "$cross" -Ddefconfig="$board" \
				-Dfragments="$fragments" -Dhost_tests="$host_tests" >"$top/build/test/$name.setup.log" 2>&1 ||
				{ cat "$top/build/test/$name.setup.log"; false; }
		fi &&
		meson compile -C "$dir" ||
			{ failed=$((failed + 1)); failures="$failures $name"; continue; }
		meson test -C "$dir" --print-errorlogs $(test_args "$name") | tee "$top/build/test/$name.test.log"
		ok=$(sed -n 's/^Ok: *\([0-9]*\)/\1/p' "$top/build/test/$name.test.log")
		bad=0
		for kind in Fail 'Unexpected Pass' Timeout; do
			n=$(sed -n "s/^$kind: *\([0-9]*\)/\1/p" "$top/build/test/$name.test.log")
			bad=$((bad + ${n:-0}))
		done
		if [ -z "$ok" ]; then
			bad=$((bad + 1))	# meson test itself failed
		fi
		passed=$((passed + ${ok:-0}))
		failed=$((failed + bad))
		[ "$bad" -eq 0 ] || failures="$failures $name"
	done
done

# What failed, repeated at the end so that a log cut to its tail (as CI
# shows it) still says which test failed and how: the failing Meson tests,
# then each failing TAP line with the diagnostics before it (a ktest
# prints them first) and the lines after it (a panic, QEMU's exit).
report_failures() {
	for name in $failures; do
		echo "--- $name"
		log="$top/build/test/$name.test.log"
		[ -f "$log" ] && grep -E '^ *[0-9]+/[0-9]+ .* (FAIL|TIMEOUT|UNEXPECTEDPASS|ERROR) ' "$log" | sort -u
		tlog="$top/build/test/$name/meson-logs/testlog.txt"
		[ -f "$tlog" ] && grep -E -B 6 -A 6 '^not ok |^Bail out' "$tlog" | grep -v '# TODO' | head -n 80
	done
}

echo
echo "test-all: $(( $(date +%s) - start )) s; build directories under build/test/"
if [ -n "$failures" ]; then
	report_failures
	echo "test-all: failed:$failures"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
