#!/usr/bin/python3
# Runs a test kernel in QEMU and turns its console into clean TAP for
# Meson: drops the boot log before "TAP version 13", turns kernel log lines
# in between into TAP comments, enforces a hard timeout, and maps QEMU's
# exit status (PSCI off, isa-debug-exit, semihosting) to success or a
# "Bail out!".  The whole console goes to --log for post-mortems.
#
#   qemu_tap.py --timeout 60 --ok-status 0 --log out.log -- qemu-system-... args
#
# With --expect REGEX (repeatable) the kernel is not expected to print TAP:
# the run is a boot that must show each pattern on the console (a clear
# report of bad input, say) and still end with QEMU exiting by itself; each
# pattern becomes one TAP result.
#
# A kernel line "# ktest-input: <hex>" asks for those bytes to be typed
# on the serial console (QEMU's standard input): a test of the receive
# path that waits for them (tests/meson.build passes ktest.input to say
# that this runner answers).

import argparse
import os
import re
import selectors
import signal
import subprocess
import sys
import time

TAP_LINE = re.compile(r'^(?:(?:not )?ok\b|1\.\.\d+|#|Bail out!)')
PANIC = re.compile(r'Kernel panic|Unhandled exception')
INPUT = re.compile(r'^# ktest-input: ((?:[0-9a-f]{2})*)$')


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--timeout', type=float, default=60)
    p.add_argument('--ok-status', type=int, default=0)
    p.add_argument('--log')
    p.add_argument('--expect', action='append', default=[])
    p.add_argument('qemu', nargs=argparse.REMAINDER)
    args = p.parse_args()
    cmd = args.qemu[1:] if args.qemu and args.qemu[0] == '--' else args.qemu
    if not cmd:
        p.error('no QEMU command given')

    log = open(args.log, 'w') if args.log else None
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + args.timeout
    buf = b''
    in_tap = False
    panic_line = None
    timed_out = False

    console = []

    def handle(line):
        nonlocal in_tap, panic_line
        if log:
            log.write(line + '\n')
        console.append(line)
        m = INPUT.match(line)
        if m:
            try:
                proc.stdin.write(bytes.fromhex(m.group(1)))
                proc.stdin.flush()
            except OSError:
                pass
        if args.expect:
            return
        if PANIC.search(line) and panic_line is None:
            panic_line = line.strip()
        if not in_tap:
            if line.startswith('TAP version'):
                in_tap = True
                print(line, flush=True)
            return
        if TAP_LINE.match(line):
            print(line, flush=True)
        elif line.strip():
            print('# ' + line, flush=True)

    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            timed_out = True
            break
        events = sel.select(timeout=min(left, 1.0))
        if not events:
            if proc.poll() is not None:
                break
            continue
        chunk = os.read(proc.stdout.fileno(), 65536)
        if not chunk:
            break
        buf += chunk.replace(b'\r', b'')
        *lines, buf = buf.split(b'\n')
        for raw in lines:
            handle(raw.decode('utf-8', 'replace'))
    if buf:
        handle(buf.decode('utf-8', 'replace'))

    if timed_out:
        os.killpg(proc.pid, signal.SIGKILL)
    status = proc.wait()
    if log:
        log.close()

    if args.expect:
        return report_expectations(args, console, timed_out, status)

    problem = None
    if timed_out:
        problem = 'timeout after %gs' % args.timeout
    elif panic_line:
        problem = 'kernel crashed: ' + panic_line
    elif status != args.ok_status:
        problem = 'QEMU exited with status %d (expected %d)' % (status, args.ok_status)
    elif not in_tap:
        problem = 'the kernel printed no TAP header'
    if problem:
        if not in_tap:
            print('TAP version 13')
        print('Bail out! ' + problem, flush=True)
        return 1
    return 0


def report_expectations(args, console, timed_out, status):
    print('TAP version 13')
    print('1..%d' % (len(args.expect) + 1))
    failed = 0
    for i, pattern in enumerate(args.expect, 1):
        hit = next((l for l in console if re.search(pattern, l)), None)
        if hit:
            print('ok %d console shows /%s/' % (i, pattern))
        else:
            failed += 1
            print('not ok %d console shows /%s/' % (i, pattern))
    n = len(args.expect) + 1
    if timed_out:
        failed += 1
        print('not ok %d QEMU exits by itself # timeout after %gs' % (n, args.timeout))
    elif status != args.ok_status:
        failed += 1
        print('not ok %d QEMU exits by itself # status %d, expected %d'
              % (n, status, args.ok_status))
    else:
        print('ok %d QEMU exits by itself' % n)
    if failed:
        for line in console[-40:]:
            print('# ' + line)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
