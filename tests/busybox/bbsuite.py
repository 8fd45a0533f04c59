#!/usr/bin/python3
# busybox's own test suite (testsuite/ of Debian's busybox source, run by
# its runtest) under Debian's static busybox, as TAP for Meson.
#
# QEMU mode: boots Kite with the busybox-suite initramfs
# (rdinit=/usr/lib/busybox-testsuite/run), with a hard timeout, logs the
# console to --log, and compares each test's result (PASS/FAIL/SKIPPED/
# UNTESTED lines) with the Linux reference for the architecture:
#
#   bbsuite.py --arch x86_64 --timeout 3600 --ok-status 33 --log out.log
#              --reference linux-amd64.txt --known known-differences.txt
#              -- qemu-system-x86_64 ... -initrd busybox-suite.cpio ...
#
# With --partial, for a run of a few applets (their names after the
# rdinit= word, which run passes on to runtest), only the tests the run
# reported are compared.
#
# Chroot mode (Linux): runs the same run-suite script in a chroot of the
# same initramfs tree under the host's Linux kernel (a private mount
# namespace with /proc, /dev and /sys bound in), which is how the
# reference files were made; the i386 tree runs natively on x86-64:
#
#   bbsuite.py --chroot build/x86_64/tests/busybox/busybox-suite.cpio.tree
#              --log linux.log --write-reference linux-amd64.txt
#
# A test passes when Kite's result equals Linux's.  A difference listed in
# --known (one "arch | test name | reason" a line; arch "*" for all) is
# reported as TODO (expected failure), and a listed difference that no
# longer happens is an unexpected pass, which Meson counts as a failure:
# the list must follow the kernel.  Tests the reference has that Kite did
# not report (a hang, a lost console line) fail; so does a run that does
# not reach run-suite's summary or whose QEMU does not exit by itself.
import argparse
import collections
import os
import re
import selectors
import signal
import subprocess
import sys
import time

RESULT = re.compile(r'^(PASS|FAIL|SKIPPED|UNTESTED): (.*?)\s*$')
SUMMARY = re.compile(r'# busybox-testsuite: summary: PASS (\d+) FAIL (\d+) SKIPPED (\d+) '
                     r'UNTESTED (\d+) in (\d+) s')
KINDS = ('PASS', 'FAIL', 'SKIPPED', 'UNTESTED')


def parse(lines):
    results = []            # (kind, name) in run order
    summary = None
    for line in lines:
        line = line.rstrip('\r\n')
        m = RESULT.match(line)
        if m:
            results.append((m.group(1), m.group(2)))
            continue
        m = SUMMARY.search(line)
        if m:
            summary = [int(x) for x in m.groups()]
    return results, summary


def counts(results):
    c = collections.Counter(k for k, _ in results)
    return ' '.join('%s %d' % (k, c[k]) for k in KINDS)


def run_qemu(cmd, timeout, log):
    """Runs QEMU, copies its console to log; returns (lines, status, timed out, seconds)."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    deadline = start + timeout
    data = bytearray()
    timed_out = False
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            timed_out = True
            break
        if not sel.select(min(left, 1.0)):
            continue
        chunk = os.read(proc.stdout.fileno(), 65536)
        if not chunk:
            break
        data += chunk
        log.write(chunk)
        log.flush()
    if timed_out:
        os.killpg(proc.pid, signal.SIGKILL)
    status = proc.wait()
    text = data.decode('utf-8', 'replace')
    return text.splitlines(), status, timed_out, time.monotonic() - start


def run_chroot(tree, log):
    tree = os.path.abspath(tree)
    script = ('set -e; mount --make-rprivate /; '
              'mount -t proc proc "$1/proc"; mount --rbind /dev "$1/dev"; '
              'mount --rbind /sys "$1/sys"; '
              'exec chroot "$1" /usr/bin/env -i /bin/sh /usr/lib/busybox-testsuite/run-suite')
    start = time.monotonic()
    proc = subprocess.run(['unshare', '--mount', '--pid', '--fork', 'sh', '-c', script, 'sh', tree],
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT)
    log.write(proc.stdout)
    return (proc.stdout.decode('utf-8', 'replace').splitlines(), proc.returncode,
            time.monotonic() - start)


def load_known(path, arch):
    known = {}
    if not path:
        return known
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if not line.strip() or line.startswith('#'):
                continue
            parts = [p.strip() for p in line.split('|', 2)]
            if len(parts) != 3:
                raise SystemExit('%s:%d: want "arch | test name | reason"' % (path, n))
            if parts[0] in ('*', arch):
                known[parts[1]] = parts[2]
    return known


def tap_escape(s):
    return s.replace('#', '\\#')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--arch')
    ap.add_argument('--timeout', type=float, default=3600)
    ap.add_argument('--ok-status', type=int, default=0)
    ap.add_argument('--log', required=True)
    ap.add_argument('--reference')
    ap.add_argument('--known')
    ap.add_argument('--chroot')
    ap.add_argument('--write-reference')
    ap.add_argument('--partial', action='store_true',
                    help='a run of some applets (rdinit=... <applet>...): compare only '
                         'the tests it reported')
    ap.add_argument('qemu', nargs=argparse.REMAINDER)
    args = ap.parse_args()
    cmd = args.qemu[1:] if args.qemu[:1] == ['--'] else args.qemu

    with open(args.log, 'wb') as log:
        if args.chroot:
            lines, status, secs = run_chroot(args.chroot, log)
            results, summary = parse(lines)
            print('Linux (chroot %s): %s, %.0f s' % (args.chroot, counts(results), secs))
            for kind, name in results:
                if kind == 'FAIL':
                    print('  FAIL: ' + name)
            if args.write_reference:
                with open(args.write_reference, 'w') as f:
                    f.write('# busybox\'s testsuite on Linux (%s), in a chroot of the initramfs tree\n'
                            '# (tests/busybox/bbsuite.py --chroot): %s\n' % (os.uname().release,
                                                                            counts(results)))
                    f.writelines('%s: %s\n' % r for r in results)
            ok = summary is not None and status == 0
            return 0 if ok else 1
        if not cmd:
            ap.error('no QEMU command given')
        lines, status, timed_out, secs = run_qemu(cmd, args.timeout, log)

    results, summary = parse(lines)
    reference = []
    if args.reference:
        with open(args.reference) as f:
            reference, _ = parse(f)
    known = load_known(args.known, args.arch)

    ref_by_name = collections.defaultdict(list)
    for kind, name in reference:
        ref_by_name[name].append(kind)
    kite_by_name = collections.defaultdict(list)
    for kind, name in results:
        kite_by_name[name].append(kind)

    tap = []
    failing = []
    names = list(dict.fromkeys([n for _, n in reference] + [n for _, n in results]))
    if args.partial:
        names = [n for n in names if n in kite_by_name]
    for name in names:
        ref = sorted(ref_by_name.get(name, []))
        got = sorted(kite_by_name.get(name, []))
        label = tap_escape(name)
        if ref == got:
            if name in known:
                tap.append('ok - %s # TODO listed as a known difference, but as on Linux (%s)'
                           % (label, '/'.join(got)))
            elif got and all(k == 'PASS' for k in got):
                tap.append('ok - %s' % label)
            else:
                tap.append('ok - %s # SKIP %s, as on Linux' % (label, '/'.join(got)))
            continue
        diff = 'Linux %s, Kite %s' % ('/'.join(ref) or 'none', '/'.join(got) or 'none')
        failing.append('%s (%s)' % (name, diff))
        if name in known:
            tap.append('not ok - %s # TODO %s: %s' % (label, diff, tap_escape(known[name])))
        else:
            tap.append('not ok - %s: %s' % (label, diff))

    finished = summary is not None and summary[:4] == [
        sum(1 for k, _ in results if k == kind) for kind in KINDS]
    tap.append('%s - run-suite reached its summary and every result line arrived%s' % (
        'ok' if finished else 'not ok',
        '' if finished else ' (summary %s, parsed %s)' % (summary, counts(results))))
    exit_ok = not timed_out and status in (0, args.ok_status)
    tap.append('%s - QEMU exited by itself (status %s%s)' % (
        'ok' if exit_ok else 'not ok', status, ', timed out after %.0f s' % secs if timed_out else ''))

    print('TAP version 13')
    print('1..%d' % len(tap))
    for n, line in enumerate(tap, 1):
        print(line.replace(' - ', ' %d - ' % n, 1))
    print('# Kite %s: %s, %.0f s (runtest %s s)' % (args.arch, counts(results), secs,
                                                   summary[4] if summary else '?'))
    if reference:
        print('# Linux reference (%s): %s' % (os.path.basename(args.reference), counts(reference)))
    for f in failing:
        print('# differs: ' + f)
    print('# console log: ' + args.log)
    return 0


if __name__ == '__main__':
    sys.exit(main())
