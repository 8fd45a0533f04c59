#!/usr/bin/python3
# A configuration the test builds do not cover, built the way its user
# builds it, printed as TAP: in a scratch build directory, configure the
# board with the given fragments, build, and run that build's tests of
# one suite (all of them, or those named), whose results become this
# test's lines.  The sample application (configs/app_sample.config: the
# 'app' suite, a boot of the application in each QEMU variant) and a
# kernel without processes (configs/no_processes.config: in-kernel tests)
# are built this way (tests/meson.build).
#
#   scratch_build_test.py <source dir> <cross file> <defconfig> <fragments,...> <suite> [test...]

import os
import re
import shutil
import subprocess
import sys
import tempfile


def fail(what, p):
    print('TAP version 13')
    print('not ok 1 %s' % what)
    for line in (p.stdout[-4000:] + p.stderr[-4000:]).splitlines():
        print('# %s' % line)
    print('1..1')
    sys.exit(1)


def main():
    src, cross, defconfig, fragments, suite = sys.argv[1:6]
    tests = sys.argv[6:]
    tmp = tempfile.mkdtemp(prefix='kite-scratch-test-')
    build = os.path.join(tmp, 'build')
    try:
        p = subprocess.run(['meson', 'setup', build, src, '--cross-file', cross,
                            '-Ddefconfig=' + defconfig, '-Dfragments=' + fragments,
                            '-Dhost_tests=none'], capture_output=True, text=True)
        if p.returncode:
            fail('configure %s with %s' % (defconfig, fragments), p)
        p = subprocess.run(['ninja', '-C', build], capture_output=True, text=True)
        if p.returncode:
            fail('build %s with %s' % (defconfig, fragments), p)
        p = subprocess.run(['meson', 'test', '-C', build, '--no-rebuild', '--suite', suite,
                            '--print-errorlogs'] + tests, capture_output=True, text=True)
        # "1/2 kite:app / app-microbit   OK   0.84s   5 subtests passed"
        results = re.findall(r'^\s*\d+/\d+ kite:%s / (\S+)\s+(\S+)' % re.escape(suite),
                             p.stdout, re.M)
        print('TAP version 13')
        if not results:
            print('not ok 1 the %s suite ran # nothing ran (%s)' % (suite, fragments))
            for line in p.stdout[-4000:].splitlines():
                print('# %s' % line)
            print('1..1')
            sys.exit(1)
        for n, (name, verdict) in enumerate(results, 1):
            print('%s %d %s (%s)' % ('ok' if verdict == 'OK' else 'not ok', n, name, fragments))
        if p.returncode:
            for line in p.stdout[-4000:].splitlines():
                print('# %s' % line)
        print('1..%d' % len(results))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    main()
