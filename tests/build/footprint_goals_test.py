#!/usr/bin/python3
# The RTOS profile's footprint goals as a build check, printed as TAP: in
# a scratch build directory, configure the board with the rtos_minimal
# fragment, build the kernel and run `ninja size`
# (scripts/size_report.py), which ends with one "goal: ..." line per goal.
# Each goal is a test that must keep passing; its line, with the figure,
# is the diagnostic (docs/rtos.md).
# The goals' figures are the micro:bit's: run for that board only.
#
#   footprint_goals_test.py <source dir> <cross file> <defconfig>

import os
import shutil
import subprocess
import sys
import tempfile

# What each goal line is, by its start.
GOALS = [
    ('goal: sched + sync + timers + uart flash', 'flash of scheduler, sync, timers and UART'),
    ('goal: sched + sync + timers + uart static RAM', 'static RAM of scheduler, sync, timers and UART'),
    ('goal: per thread', 'RAM per thread besides its stack'),
]


def sh(*cmd, ok=(0,)):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode not in ok:
        sys.stdout.write('not ok 1 %s\n' % ' '.join(cmd))
        for line in (p.stdout[-3000:] + p.stderr[-3000:]).splitlines():
            sys.stdout.write('# %s\n' % line)
        sys.stdout.write('1..1\n')
        sys.exit(1)
    return p.stdout


def main():
    src, cross, defconfig = sys.argv[1:4]
    tmp = tempfile.mkdtemp(prefix='kite-footprint-test-')
    build = os.path.join(tmp, 'build')
    try:
        sh('meson', 'setup', build, src, '--cross-file', cross, '-Ddefconfig=' + defconfig,
           '-Dfragments=rtos_minimal', '-Dhost_tests=none')
        sh('ninja', '-C', build, 'kernel.elf')
        sh('ninja', '-C', build, 'size', ok=(0, 1))    # 1: a goal missed
        with open(os.path.join(build, 'size.txt')) as f:
            lines = f.read().splitlines()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print('TAP version 13')
    n = 0
    for start, what in GOALS:
        n += 1
        line = next((l for l in lines if l.startswith(start)), None)
        if line is None:
            print('not ok %d %s # no "%s" line in size.txt' % (n, what, start))
        elif ': met' in line:
            print('ok %d %s # %s' % (n, what, line))
        else:
            print('not ok %d %s # %s' % (n, what, line))
    print('1..%d' % n)


if __name__ == '__main__':
    main()
