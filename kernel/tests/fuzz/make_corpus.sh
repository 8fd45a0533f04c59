#!/bin/sh
# Regenerates the seed corpus of exec_fuzz (and of kernel.elf's corpus
# test): for each port, a program of one endless loop linked -static,
# -static-pie and dynamically (with PT_INTERP) by the port's Linux GCC,
# stripped, and a few "#!" scripts.  Usage: make_corpus.sh <corpus dir>
set -eu
out=$(cd "$1" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'void _start(void) { for (;;); }\n' > "$tmp/loop.c"
for c in x86_64:gcc aarch64:aarch64-linux-gnu-gcc i386:i686-linux-gnu-gcc; do
	arch=${c%%:*}
	cc=${c#*:}
	for kind in static static-pie dynamic; do
		flag=-$kind
		[ "$kind" = dynamic ] && flag=
		$cc -nostdlib $flag -Os -fno-asynchronous-unwind-tables \
			-Wl,-z,max-page-size=4096 -Wl,--build-id=none -s \
			-o "$out/$arch-$kind.elf" "$tmp/loop.c"
	done
done
printf '#!/bin/sh\necho hello\n' > "$out/sh.script"
printf '#! /usr/bin/env python3 -u\nprint(1)\n' > "$out/env-arg.script"
printf '#!/bin/busybox\tsh \t\r\n' > "$out/tab-crlf.script"
