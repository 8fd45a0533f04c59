#!/usr/bin/python3
# Runs QEMU for the `qemu`, `qemu-gdb` and `bench` run targets with the
# console on this terminal, and turns the board's "powered off cleanly"
# status (isa-debug-exit's 33 on x86) into 0 so ninja reports success.
# --timeout N kills QEMU after N seconds (0: none, for interactive use).
# QEMU_ARGS in the environment adds options after the board's (where
# QEMU lets later ones win, they do), e.g.
#
#   QEMU_ARGS='-smp 4' ninja -C build/virt qemu
#
#   qemu_run.py --ok-status 33 [--timeout 300] -- qemu-system-x86_64 ...

import argparse
import os
import shlex
import subprocess
import sys


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--ok-status', type=int, default=0)
    p.add_argument('--timeout', type=float, default=0)
    p.add_argument('qemu', nargs=argparse.REMAINDER)
    args = p.parse_args()
    cmd = args.qemu[1:] if args.qemu and args.qemu[0] == '--' else args.qemu
    # Last, so that they win over the board's (-machine q35 over pc, ...).
    cmd = cmd + shlex.split(os.environ.get('QEMU_ARGS', ''))
    try:
        status = subprocess.call(cmd, timeout=args.timeout or None)
    except subprocess.TimeoutExpired:
        print('\nqemu_run: QEMU killed after %gs' % args.timeout, file=sys.stderr)
        return 124
    if status == args.ok_status:
        return 0
    print('qemu_run: QEMU exited with status %d' % status, file=sys.stderr)
    return status or 1


if __name__ == '__main__':
    sys.exit(main())
