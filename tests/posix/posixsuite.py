#!/usr/bin/python3
# The Open POSIX Test Suite (scripts/posix-tests.py builds it) under Kite
# in QEMU, or natively under the host's Linux, as TAP for Meson.
#
# QEMU mode: the built tests are about 700 KiB each (static glibc), near a
# gigabyte in all, more than an initramfs in the board's 512 MiB can
# hold, so they run in batches of --batch-mib: each boot's initrd is the
# user initramfs (busybox, /etc/mounts.sh) with one more cpio archive
# appended (Kite, as Linux, unpacks concatenated archives) holding the
# batch's tests, the runner (pts-run.c) and rootfs/run, the rdinit=:
#
#   posixsuite.py --arch x86_64 --manifest posix-manifest.json
#                 --base-initramfs user/initramfs.cpio --append 'console=ttyS0 ktest.user'
#                 --reference linux-amd64.txt --log posix.log
#                 -- qemu-system-x86_64 ... -kernel kernel.elf
#
# Each test has a time limit inside the guest (--test-timeout, as the
# suite's own Makefile runs each under timeout(1)): a hang is a failure
# (HUNG) and the run goes on.  A boot that stops printing for longer than
# that limit (plus a margin) is killed, and a boot that ends before its
# batch's last result (a kernel crash or hang) counts its running test as
# KERNEL (a kernel bug, whatever Linux does) and the batch resumes after
# it in a new boot.
#
# Native mode (Linux): runs the same runner over every test on the host,
# in its own PID and mount namespace (a private /dev/shm), without
# CAP_SYS_TIME (the clock_settime tests would set the host's clock), and
# writes the reference file:
#
#   posixsuite.py --native --manifest ... --log linux.log --write-reference linux-amd64.txt
#
# TAP: one line per test.  A test that passes on Linux is ok when it passes
# on Kite, else "not ok # TODO" (Meson's expected failure: a missing
# feature, counted, not a broken build); a test that does not pass on Linux
# either is a SKIP; a test that brought the kernel down, or did not run
# because the run broke off, is a plain "not ok".  Then per-area counts
# for Kite beside Linux and the tests that pass on Linux and not on Kite.
import argparse
import collections
import json
import os
import re
import selectors
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEST = 'usr/lib/posix-testsuite'
START = re.compile(r'posix-start: (\S+)')
RESULT = re.compile(r'posix-result: (\S+) (PASS|FAIL|UNRESOLVED|UNSUPPORTED|UNTESTED|HUNG|'
                    r'INTERRUPTED) (\S+) (\d+)')
DONE = re.compile(r'posix-done: (\d+) tests')
PANIC = re.compile(r'Kernel panic|Unhandled exception|BUG:|Oops')
REF_LINE = re.compile(r'^([A-Z-]+): (\S+)(?: \((.*)\))?\s*$')
AREAS = ['signals', 'pthreads', 'semaphores', 'timers', 'mmap']
# Columns of the summary: the suite's result codes; FAIL takes in HUNG,
# INTERRUPTED and KERNEL (shown apart in brackets) as the suite counts a
# hang as a failure; BUILD is "build: FAILED" / "link: FAILED".
COLUMNS = ['PASS', 'FAIL', 'UNRESOLVED', 'UNSUPPORTED', 'UNTESTED', 'BUILD']
FAILS = ('FAIL', 'HUNG', 'INTERRUPTED', 'KERNEL', 'NOTRUN')


def column(result):
    if result in FAILS:
        return 'FAIL'
    if result == 'BUILD-FAIL':
        return 'BUILD'
    return result


def elf_arch(path):
    """The architecture of an ELF program, from e_machine."""
    with open(path, 'rb') as f:
        head = f.read(20)
    return {3: 'i386', 62: 'x86_64', 183: 'aarch64'}.get(int.from_bytes(head[18:20], 'little'), '?')


def load_manifest(path):
    with open(path) as f:
        m = json.load(f)
    tests = [t for t in m['tests'] if t['build'] != 'build-only']
    return m, tests


def runnable(tests):
    return [t for t in tests if t['build'] == 'ok']


def write_list(path, tests):
    with open(path, 'w') as f:
        for t in tests:
            f.write('%s %s %s\n' % (t['name'], t['kind'], t['path']))


def batches(tree, tests, limit):
    """Consecutive runs of tests whose files add up to at most limit bytes."""
    out, cur, size = [], [], 0
    for t in tests:
        s = sum(os.path.getsize(os.path.join(tree, f)) for f in t['files'])
        if cur and size + s > limit:
            out.append(cur)
            cur, size = [], 0
        cur.append(t)
        size += s
    if cur:
        out.append(cur)
    return out


def make_initrd(args, tree, batch, work):
    """The user initramfs plus one archive with the batch, at work/initrd.cpio."""
    stage = os.path.join(work, 'stage')
    shutil.rmtree(stage, ignore_errors=True)
    root = os.path.join(stage, DEST)
    files = {'pts-run'} | {f for t in batch for f in t['files']}
    for rel in sorted(files):
        dest = os.path.join(root, rel)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        try:
            os.link(os.path.join(tree, rel), dest)
        except OSError:
            shutil.copy2(os.path.join(tree, rel), dest)
    shutil.copyfile(os.path.join(HERE, 'rootfs', 'run'), os.path.join(root, 'run'))
    os.chmod(os.path.join(root, 'run'), 0o755)
    write_list(os.path.join(root, 'tests.list'), batch)
    paths = []
    for dirpath, dirnames, filenames in os.walk(stage):
        for name in dirnames + filenames:
            paths.append(os.path.relpath(os.path.join(dirpath, name), stage))
    paths.sort()
    cpio = subprocess.run([args.cpio, '-o', '-H', 'newc', '-0', '-R', '0:0', '--quiet',
                           '--reproducible'], cwd=stage, capture_output=True,
                          input=b''.join(p.encode() + b'\0' for p in paths))
    if cpio.returncode != 0:
        raise SystemExit('cpio failed: ' + cpio.stderr.decode())
    initrd = os.path.join(work, 'initrd.cpio')
    with open(initrd, 'wb') as out, open(args.base_initramfs, 'rb') as base:
        shutil.copyfileobj(base, out)
        out.write(cpio.stdout)
    shutil.rmtree(stage)
    return initrd


def boot(cmd, idle, log):
    """Runs one boot; returns (lines, status, killed): killed when it went quiet."""
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    data = bytearray()
    last = time.monotonic()
    killed = False
    while True:
        if time.monotonic() - last > idle:
            killed = True
            break
        if not sel.select(1.0):
            continue
        chunk = os.read(proc.stdout.fileno(), 65536)
        if not chunk:
            break
        data += chunk
        log.write(chunk)
        log.flush()
        # Progress is a runner line, not any output: a kernel spewing
        # messages while the test hangs is still hung.
        if b'posix-' in chunk:
            last = time.monotonic()
    if killed:
        os.killpg(proc.pid, signal.SIGKILL)
    status = proc.wait()
    return data.decode('utf-8', 'replace').splitlines(), status, killed


def parse(lines):
    """{name: (result, detail, ms)}, the last test started, done count, output per test."""
    results, started, done, outputs, panic = {}, None, None, collections.defaultdict(list), None
    current = None
    for line in lines:
        m = RESULT.search(line)
        if m:
            results[m.group(1)] = (m.group(2), m.group(3), int(m.group(4)))
            current = m.group(1)
            continue
        m = START.search(line)
        if m:
            started = current = m.group(1)
            continue
        m = DONE.search(line)
        if m:
            done = int(m.group(1))
            continue
        if 'posix-out: ' in line and current:
            outputs[current].append(line.split('posix-out: ', 1)[1])
        if PANIC.search(line) and panic is None:
            panic = line.strip()
    return results, started, done, outputs, panic


def describe(detail, output):
    """exit=1, with the test's first line of output when it printed one."""
    first = next((line.strip() for line in output if line.strip()), '')
    first = re.sub(r'^\[\d\d:\d\d:\d\d\]', '', first)     # testfrmw.h's time stamp
    return detail + (': ' + first[:120] if first else '')


def run_qemu(args, tree, tests, log):
    """Runs every batch; returns {name: (result, detail)}, boots, boot problems."""
    work = args.log + '.work'
    os.makedirs(work, exist_ok=True)
    results, problems = {}, []
    nboots = 0
    start = time.monotonic()
    idle = args.test_timeout + args.idle_margin
    todo = batches(tree, tests, args.batch_mib << 20)
    for n, batch in enumerate(todo, 1):
        initrd = make_initrd(args, tree, batch, work)
        names = [t['name'] for t in batch]
        after = None
        while True:
            left = [x for x in names if x not in results]
            if not left:
                break
            if time.monotonic() - start > args.timeout:
                for x in left:
                    results[x] = ('NOTRUN', 'the run took over %d s' % args.timeout)
                problems.append('batch %d: out of time, %d tests not run' % (n, len(left)))
                break
            env = ['PTS_TIMEOUT=%d' % args.test_timeout] + (['PTS_AFTER=' + after] if after else [])
            append = ' '.join([args.append, 'rdinit=/%s/run' % DEST] + env).strip()
            log.write(('\n### posix batch %d/%s: %d tests from %s%s\n' % (
                n, len(todo), len(left), left[0], ' (after %s)' % after if after else '')).encode())
            lines, status, killed = boot(args.qemu + ['-initrd', initrd, '-append', append],
                                         idle, log)
            nboots += 1
            got, started, done, outputs, panic = parse(lines)
            for name, (res, detail, ms) in got.items():
                if name in names and name not in results:
                    results[name] = (res, describe(detail, outputs.get(name, [])))
            ok_exit = not killed and status in (0, args.ok_status)
            if done is not None and ok_exit:
                continue        # the loop ends when nothing is left
            why = ('went quiet for %d s' % idle) if killed else 'QEMU exited with status %d' % status
            if done is not None:
                problems.append('batch %d: finished, but %s' % (n, why))
                continue
            if started and started not in results:
                # The test running when the boot ended took the kernel down.
                results[started] = ('KERNEL', why + (': ' + panic if panic else ''))
                problems.append('%s: the kernel crashed or hung while it ran (%s%s)' % (
                    started, why, ': ' + panic if panic else ''))
                after = started
                continue
            # No progress (no test started, or the boot died between
            # tests): give up on the rest of the batch.
            for x in [x for x in names if x not in results]:
                results[x] = ('NOTRUN', 'boot ended before it: ' + why)
            problems.append('batch %d: the boot ended with no test running (%s%s)' % (
                n, why, ': ' + panic if panic else ''))
            break
    if os.path.exists(os.path.join(work, 'initrd.cpio')):
        os.unlink(os.path.join(work, 'initrd.cpio'))
    return results, nboots, problems


def run_native(args, tree, tests, log):
    """The reference run on the host's Linux: {name: (result, detail)}, status."""
    listfile = os.path.join(tree, 'all.list')
    write_list(listfile, tests)
    scratch = args.log + '.scratch'
    os.makedirs(scratch, exist_ok=True)
    script = ('set -e; mount --make-rprivate /; mount -t tmpfs tmpfs /dev/shm; '
              'exec setpriv --bounding-set -sys_time --inh-caps -sys_time "$@"')
    cmd = ['unshare', '--mount', '--pid', '--fork', '--mount-proc', 'sh', '-c', script, 'sh',
           os.path.join(tree, 'pts-run'), '-t', str(args.test_timeout),
           '-o', os.path.join(scratch, 'out'), listfile]
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT)
    log.write(proc.stdout)
    got, started, done, outputs, panic = parse(proc.stdout.decode('utf-8', 'replace').splitlines())
    shutil.rmtree(scratch, ignore_errors=True)
    return ({k: (v[0], describe(v[1], outputs.get(k, []))) for k, v in got.items()},
            done is not None and proc.returncode == 0)


def load_reference(path):
    ref = {}
    with open(path) as f:
        for line in f:
            m = REF_LINE.match(line)
            if m and not line.startswith('#'):
                ref[m.group(2)] = (m.group(1), m.group(3) or '')
    return ref


def full_results(tests, ran):
    """Every test of the manifest: what ran, BUILD-FAIL for what did not build."""
    out = {}
    for t in tests:
        if t['build'] != 'ok':
            out[t['name']] = ('BUILD-FAIL', t['build'])
        else:
            out[t['name']] = ran.get(t['name'], ('NOTRUN', 'no result line'))
    return out


def counts(tests, results):
    """{area: Counter of columns and of the FAIL kinds}."""
    c = collections.defaultdict(collections.Counter)
    for t in tests:
        res = results.get(t['name'], ('NOTRUN', ''))[0]
        for key in (t['area'], 'all'):
            c[key]['tests'] += 1
            c[key][column(res)] += 1
            if res in FAILS and res != 'FAIL':
                c[key][res] += 1
    return c


def fmt_counts(c):
    extra = ', '.join('%s %d' % (k.lower(), c[k]) for k in FAILS[1:] if c[k])
    return ' '.join('%s %d' % (k, c[k]) for k in COLUMNS) + (' (%s)' % extra if extra else '')


def write_results(path, header, tests, results):
    with open(path, 'w') as f:
        f.write(header)
        for t in tests:
            res, detail = results[t['name']]
            f.write('%s: %s (%s)\n' % (res, t['name'], detail))


def tap_escape(s):
    return s.replace('#', '\\#')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--manifest')
    ap.add_argument('--build-cc', metavar='CC',
                    help='build the tests first (scripts/posix-tests.py build, incremental) '
                         'with this compiler, from --src into --out; the manifest is OUT/manifest.json')
    ap.add_argument('--src')
    ap.add_argument('--out')
    ap.add_argument('--log', required=True)
    ap.add_argument('--arch')
    ap.add_argument('--native', action='store_true')
    ap.add_argument('--write-reference')
    ap.add_argument('--reference')
    ap.add_argument('--base-initramfs')
    ap.add_argument('--cpio', default='cpio')
    ap.add_argument('--append', default='')
    ap.add_argument('--ok-status', type=int, default=0)
    ap.add_argument('--test-timeout', type=int, default=120)
    ap.add_argument('--idle-margin', type=int, default=120,
                    help='seconds beyond --test-timeout without a runner line: the kernel hangs')
    ap.add_argument('--batch-mib', type=int, default=96)
    ap.add_argument('--timeout', type=int, default=4 * 3600, help='for the whole run')
    ap.add_argument('--filter', help='only the tests whose name starts with this')
    ap.add_argument('--from-results', metavar='FILE',
                    help='compare the results of an earlier run (its .results file) again')
    ap.add_argument('qemu', nargs=argparse.REMAINDER)
    args = ap.parse_args()
    args.qemu = args.qemu[1:] if args.qemu[:1] == ['--'] else args.qemu
    args.log = os.path.abspath(args.log)

    built = ''
    if args.build_cc:
        # Here, not as a Meson target: Meson builds every test's
        # dependencies in a plain build, and this is a gigabyte of tests.
        cmd = [sys.executable, os.path.join(HERE, '..', '..', 'scripts', 'posix-tests.py'),
               'build', '--cc', args.build_cc, '--out', args.out] + \
              (['--src', args.src] if args.src else [])
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        built = p.stdout
        if p.returncode != 0:
            print('TAP version 13\n1..1\nnot ok 1 - the tests build')
            print(''.join('# ' + line + '\n' for line in built.splitlines()), end='')
            return 0
        args.manifest = os.path.join(args.out, 'manifest.json')
    if not args.manifest:
        ap.error('--manifest or --build-cc')
    manifest, tests = load_manifest(args.manifest)
    if args.filter:
        tests = [t for t in tests if t['name'].startswith(args.filter)]
    tree = manifest['tree']
    start = time.monotonic()
    with open(args.log, 'ab' if args.from_results else 'wb') as log:
        if args.from_results:
            with open(args.from_results) as f:
                header_was = [line for line in f if line.startswith('#')]
            ran = {n: r for n, r in load_reference(args.from_results).items()}
            problems = [p for p in (line.split('problem: ', 1)[1].strip() for line in header_was
                                    if 'problem: ' in line)]
            m = re.search(r'\((\d+) boots\)', ''.join(header_was))
            nboots = int(m.group(1)) if m else 0
            m = re.search(r' in (\d+) s\n', ''.join(header_was))
            start -= int(m.group(1)) if m else 0
        elif args.native:
            ran, finished = run_native(args, tree, runnable(tests), log)
            problems = [] if finished else ['the runner did not reach its end']
            nboots = 0
        else:
            if not args.qemu or not args.base_initramfs:
                ap.error('QEMU mode wants --base-initramfs and the QEMU command after --')
            ran, nboots, problems = run_qemu(args, tree, runnable(tests), log)
    secs = time.monotonic() - start
    results = full_results(tests, ran)
    mine = counts(tests, results)
    who = 'Linux %s' % os.uname().release if args.native else 'Kite %s' % args.arch
    where = ('natively (%s binaries on an %s host, a PID namespace, no CAP_SYS_TIME)' % (
                 elf_arch(os.path.join(tree, 'pts-run')), os.uname().machine)
             if args.native else 'in QEMU (%d boots)' % nboots)
    header = ('# Open POSIX Test Suite (%s) on %s, %s, per-test limit %d s\n'
              '# %s in %.0f s\n'
              '# built static by %s, glibc %s\n' % (
                  manifest['package'], who, where, args.test_timeout, fmt_counts(mine['all']),
                  secs, manifest['version'], manifest.get('glibc', '?')))
    header += ''.join('# problem: %s\n' % p for p in problems)
    if not args.from_results:
        write_results(args.log + '.results', header, tests, results)
    if args.write_reference:
        write_results(args.write_reference, header, tests, results)

    ref = load_reference(args.reference) if args.reference else {}
    theirs = counts(tests, {n: ref.get(n, ('NOTRUN', 'not in the reference')) for n in results})
    tap, behind = [], []
    for t in tests:
        name = t['name']
        res, detail = results[name]
        label = tap_escape(name)
        lres = ref.get(name, ('none', ''))[0] if ref else None
        if res in ('KERNEL', 'NOTRUN'):
            tap.append('not ok - %s: %s (%s)' % (label, res, tap_escape(detail)))
        elif lres is None:
            tap.append('ok - %s # SKIP %s (%s), no reference' % (label, res, tap_escape(detail))
                       if res != 'PASS' else 'ok - %s' % label)
        elif lres == 'PASS' and res == 'PASS':
            tap.append('ok - %s' % label)
        elif lres == 'PASS':
            behind.append((t['area'], name, res, detail))
            tap.append('not ok - %s # TODO Linux PASS, Kite %s (%s)' % (label, res,
                                                                       tap_escape(detail)))
        else:
            tap.append('ok - %s # SKIP Linux %s, Kite %s' % (label, lres, res))
    finished = not problems
    tap.append('%s - %s%s' % (
        'ok' if finished else 'not ok',
        'the runner reached its end' if args.native else
        'every batch ran to its end and QEMU exited by itself (%d boots)' % nboots,
        '' if finished else ': ' + '; '.join(problems)))

    print('TAP version 13')
    print('1..%d' % len(tap))
    for n, line in enumerate(tap, 1):
        print(line.replace(' - ', ' %d - ' % n, 1))
    print(''.join('# ' + line + '\n' for line in built.splitlines()), end='')
    print('# %s: %s in %.0f s' % (who, fmt_counts(mine['all']), secs))
    short = ['PASS', 'FAIL', 'UNRES', 'UNSUP', 'UNTST', 'BUILD']
    print('# %-10s %5s   %-37s %s' % ('', '', who, 'Linux (%s)' % os.path.basename(args.reference)
                                        if ref else ''))
    print('# %-10s %5s  ' % ('area', 'tests') + ' '.join('%5s' % k for k in short) +
          ('   ' + ' '.join('%5s' % k for k in short) + '  Linux PASS, Kite not' if ref else ''))
    for area in AREAS + ['all']:
        if not mine[area]['tests']:
            continue
        row = '# %-10s %5d  ' % (area, mine[area]['tests'])
        row += ' '.join('%5d' % mine[area][k] for k in COLUMNS)
        if ref:
            row += '   ' + ' '.join('%5d' % theirs[area][k] for k in COLUMNS)
            row += '  %5d' % sum(1 for b in behind if b[0] == area or area == 'all')
        print(row)
    kinds = lambda c: ', '.join('%s %d' % (k.lower(), c[k]) for k in FAILS[1:] if c[k]) or 'none'
    print('# FAIL counts in: %s %s%s' % (who, kinds(mine['all']),
                                         '; Linux %s' % kinds(theirs['all']) if ref else ''))
    if ref:
        print('# Linux PASS, Kite not: %d' % len(behind))
        for area, name, res, detail in behind:
            print('#   %s %s: %s (%s)' % (area, name, res, detail))
    for p in problems:
        print('# problem: ' + p)
    print('# per-test results: %s; console: %s' % (args.from_results or args.log + '.results',
                                                   args.log))
    return 0


if __name__ == '__main__':
    sys.exit(main())
