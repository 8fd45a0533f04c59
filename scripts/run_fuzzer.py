#!/usr/bin/python3
# Runs a libFuzzer harness for Meson without touching the source tree:
# libFuzzer writes the inputs it finds into its first corpus directory,
# so that is a fresh temporary one, with the checked-in seed corpus second;
# a crash leaves its input next to the harness (-artifact_prefix).
#
#   run_fuzzer.py <harness> <seed corpus dir> [libFuzzer options...]
#
# Meson passes a fixed -runs=N and -seed=1: the same work on every host,
# whatever its speed (never -max_total_time).  A crash exits 1: libFuzzer's
# own status for it, 77, is what Meson reads as a skipped test.

import os
import subprocess
import sys
import tempfile


def main():
    harness, seeds, opts = sys.argv[1], sys.argv[2], sys.argv[3:]
    prefix = os.path.abspath(harness) + '-'
    with tempfile.TemporaryDirectory(prefix='fuzz-corpus-') as new:
        rc = subprocess.call([harness, '-artifact_prefix=' + prefix, '-error_exitcode=1'] +
                             opts + [new, seeds])
    sys.exit(rc)


if __name__ == '__main__':
    main()
