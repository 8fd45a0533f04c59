#!/usr/bin/python3
# The Open POSIX Test Suite (Debian's posixtestsuite source package) for
# tests/posix: fetching it into .deps/ and building its conformance tests
# static for one architecture.
#
#   posix-tests.py fetch
#       apt-get source posixtestsuite/bookworm (1.5.2-8, with Debian's
#       patches) into .deps/posixtestsuite-src, with a private deb-src list
#       and apt state as scripts/setup-host.sh fetches busybox's source.
#       Idempotent and silent when the source is there.
#
#   posix-tests.py build --cc aarch64-linux-gnu-gcc --out DIR [--manifest FILE] [--jobs N]
#       Builds the tests of the areas below, as the suite's Makefile does
#       (its CFLAGS, Debian's LDFLAGS file) but static, into DIR/tree (the
#       suite's own layout, so the .sh tests find their helpers), with the
#       runner (tests/posix/pts-run.c) at DIR/tree/pts-run, and writes
#       DIR/manifest.json (or FILE): the tree's path and per test its area, kind (test or sh), build
#       result and the files it needs.  Incremental: a test is rebuilt
#       when its source, the flags or the compiler change.
#
# The suite's Makefile compiles with -Wall -Werror; -Werror is left out
# here: GCC 12 warns about code the suite's GCC 3 era accepted (unused
# results, format truncation...), which says nothing about the system
# under test, and a test that does not build tests nothing.  A test that
# still fails to compile or link is reported as BUILD-FAIL, as the
# Makefile's "build: FAILED" / "link: FAILED".
import argparse
import concurrent.futures
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(TOP, '.deps', 'posixtestsuite-src')
RELEASE = 'bookworm'
PACKAGE = 'posixtestsuite'

# The areas, as the suite's run_tests groups conformance/interfaces (SIG,
# THR, SEM, TMR, MEM), each directory in one area: pthread_kill and
# pthread_sigmask count as signals, not threads.  conformance/behavior/
# timers goes with the timers.
AREAS = [
    ('signals', ['sig*', 'raise', 'kill', 'killpg', 'pthread_kill', 'pthread_sigmask']),
    ('pthreads', ['pthread_*']),
    ('semaphores', ['sem_*']),
    ('timers', ['time*', '*time', 'clock*', 'nanosleep', '../behavior/timers']),
    ('mmap', ['m*lock*', 'm*map', 'shm_*']),
]

# The Makefile's CFLAGS (its -std=gnu99 check passes on any GCC of this
# century) and INCLUDE, the LDFLAGS file as Debian patches it, plus
# -static.  LDFLAGS goes on both command lines, as in the Makefile.
CFLAGS = ['-g', '-O2', '-Wall', '-D_POSIX_C_SOURCE=200112L', '-std=gnu99']
LDFLAGS = ['-D_GNU_SOURCE', '-lpthread', '-lrt']
RUNNER_CFLAGS = ['-O2', '-Wall', '-Wextra', '-Werror', '-std=gnu11', '-D_GNU_SOURCE']

TEST_C = re.compile(r'^[0-9][^/]*-[^/]*\.c$')          # locate-test's [0-9]*-*.c
RUN_C = re.compile(r'^[0-9][^/]*-[0-9][^/]*\.c$')       # [0-9]*-[0-9]*.c
RUN_SH = re.compile(r'^[0-9][^/]*-[0-9][^/]*\.sh$')     # [0-9]*-[0-9]*.sh


def fetch(args):
    src = args.dest
    if os.path.isfile(os.path.join(src, 'include', 'posixtest.h')) and \
       os.path.isfile(os.path.join(src, 'debian', 'changelog')):
        return 0
    work = os.path.join(os.path.dirname(src), 'apt-posixtestsuite-src')
    shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(src, ignore_errors=True)
    for d in ('lists/partial', 'cache/archives/partial', 'sources.list.d'):
        os.makedirs(os.path.join(work, d))
    with open(os.path.join(work, 'sources.list'), 'w') as f:
        f.write('deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] '
                'http://deb.debian.org/debian %s main\n' % RELEASE)
    opts = ['-q', '-o', 'Dir::Etc::SourceList=' + work + '/sources.list',
            '-o', 'Dir::Etc::SourceParts=' + work + '/sources.list.d',
            '-o', 'Dir::State::Lists=' + work + '/lists', '-o', 'Dir::Cache=' + work + '/cache',
            '-o', 'Dir::State::status=/dev/null', '-o', 'Debug::NoLocking=1']
    for cmd in (['apt-get'] + opts + ['update'],
                ['apt-get'] + opts + ['source', '--download-only', '%s/%s' % (PACKAGE, RELEASE)]):
        # apt checks the files against the signed Sources index.
        p = subprocess.run(cmd, cwd=work, capture_output=True, text=True)
        if p.returncode != 0:
            sys.stderr.write(p.stdout + p.stderr)
            raise SystemExit('posix-tests: %s failed' % ' '.join(cmd[:1] + cmd[-2:]))
    dsc = glob.glob(os.path.join(work, PACKAGE + '_*.dsc'))
    if len(dsc) != 1:
        raise SystemExit('posix-tests: no single %s .dsc in %s' % (PACKAGE, work))
    parent = os.path.dirname(src)
    before = set(os.listdir(parent))
    p = subprocess.run(['dpkg-source', '-x', dsc[0], src], capture_output=True, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stdout + p.stderr)
        raise SystemExit('posix-tests: dpkg-source -x failed')
    # dpkg-source links the upstream tarball beside the tree: not needed.
    for name in set(os.listdir(parent)) - before:
        if name in os.listdir(work):
            os.unlink(os.path.join(parent, name))
    shutil.rmtree(work)
    print('posix-tests: unpacked %s into %s' % (os.path.basename(dsc[0]),
                                                os.path.relpath(src, TOP)))
    return 0


def area_dirs(src):
    """[(area, directory relative to src)], each directory once, in area order."""
    base = os.path.join(src, 'conformance', 'interfaces')
    seen = set()
    out = []
    for area, patterns in AREAS:
        for pat in patterns:
            for d in sorted(glob.glob(os.path.join(base, pat))):
                rel = os.path.relpath(os.path.normpath(d), src)
                if os.path.isdir(d) and rel not in seen:
                    seen.add(rel)
                    out.append((area, rel))
    return out


def test_name(rel):
    """conformance/interfaces/sigaction/1-1.c -> sigaction/1-1 (behavior/timers/1-1)."""
    rel = os.path.splitext(rel)[0]
    for prefix in ('conformance/interfaces/', 'conformance/'):
        if rel.startswith(prefix):
            return rel[len(prefix):]
    return rel


def tool(cc, name):
    """The binutils program beside a (cross) compiler: aarch64-linux-gnu-gcc -> ...-nm."""
    base = os.path.basename(cc)
    return base[:-3] + name if base.endswith('gcc') else name


def run(cmd, cwd=None):
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return p.returncode, p.stdout


def build_one(job):
    """Compiles and links one source as the Makefile does: returns (rel, result, log)."""
    src, out_tree, rel, cc, flags_hash = job
    obj = os.path.join(out_tree, os.path.splitext(rel)[0] + '.o')
    exe = os.path.join(out_tree, os.path.splitext(rel)[0] + '.test')
    stamp = os.path.join(out_tree, os.path.splitext(rel)[0] + '.result')
    source = os.path.join(src, rel)
    if os.path.isfile(stamp) and os.path.getmtime(stamp) >= os.path.getmtime(source):
        with open(stamp) as f:
            old = f.read().split('\n', 2)
        if len(old) == 3 and old[0] == flags_hash:
            return rel, old[1], old[2]
    os.makedirs(os.path.dirname(obj), exist_ok=True)
    for f in (obj, exe):
        if os.path.exists(f):
            os.unlink(f)
    # From the suite's top, as its Makefile: __FILE__ (in the tests'
    # messages) is then the same relative path on every machine.
    rc, log = run([cc] + CFLAGS + ['-Iinclude', '-c', rel, '-o', obj] + LDFLAGS, cwd=src)
    if rc != 0:
        result = 'build-failed'
    else:
        # No main: a build-only test, compiled and not linked ("link: SKIP").
        rc, syms = run([tool(cc, 'nm'), '-g', obj])
        if rc == 0 and not re.search(r' T main$', syms, re.M):
            result = 'build-only'
        else:
            rc, log = run([cc] + CFLAGS + [obj, '-o', exe, '-static', '-s'] + LDFLAGS)
            result = 'ok' if rc == 0 else 'link-failed'
    os.unlink(obj) if os.path.exists(obj) else None
    with open(stamp, 'w') as f:
        f.write('%s\n%s\n%s' % (flags_hash, result, log))
    return rel, result, log


def sh_needs(path):
    """The suite-relative .test paths a .sh test runs (sigaddset/1-1.sh runs 1-core-buildonly)."""
    with open(path, errors='replace') as f:
        text = f.read()
    return sorted(set(re.findall(r'(conformance/[^\s;"\']+\.test)', text)))


def build(args):
    src = args.src
    if not os.path.isfile(os.path.join(src, 'include', 'posixtest.h')):
        raise SystemExit('posix-tests: no suite in %s (run scripts/posix-tests.py fetch)' % src)
    out = os.path.abspath(args.out)
    tree = os.path.join(out, 'tree')
    os.makedirs(tree, exist_ok=True)
    cc = args.cc
    version = run([cc, '--version'])[1].splitlines()[0]
    libc = glibc_version(cc)
    flags_hash = hashlib.sha256(json.dumps([cc, version, CFLAGS, LDFLAGS, 'relative']).encode()
                                ).hexdigest()[:16]

    # The runner, with the project's own warnings.
    runner_src = os.path.join(TOP, 'tests', 'posix', 'pts-run.c')
    rc, log = run([cc] + RUNNER_CFLAGS + ['-static', '-s', runner_src, '-o',
                                          os.path.join(tree, 'pts-run')])
    if rc != 0:
        sys.stderr.write(log)
        raise SystemExit('posix-tests: the runner did not build')

    sources = []                 # (area, rel .c)
    scripts = []                 # (area, rel .sh)
    for area, d in area_dirs(src):
        for dirpath, dirnames, filenames in os.walk(os.path.join(src, d)):
            dirnames.sort()
            for name in sorted(filenames):
                rel = os.path.relpath(os.path.join(dirpath, name), src)
                if TEST_C.match(name):
                    sources.append((area, rel))
                elif RUN_SH.match(name):
                    scripts.append((area, rel))
    jobs = [(src, tree, rel, cc, flags_hash) for _, rel in sources]
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        built = {rel: (result, log) for rel, result, log in pool.map(build_one, jobs)}

    tests = []
    for area, rel in sources:
        name = os.path.basename(rel)
        if not RUN_C.match(name) or 'buildonly' in name:
            continue
        result, log = built[rel]
        exe = os.path.splitext(rel)[0] + '.test'
        tests.append({'name': test_name(rel), 'area': area, 'kind': 'test', 'path': exe,
                      'build': result, 'files': [exe] if result == 'ok' else [],
                      'log': '' if result == 'ok' else log[-2000:]})
    for area, rel in scripts:
        dest = os.path.join(tree, rel)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copyfile(os.path.join(src, rel), dest)
        os.chmod(dest, 0o755)
        needs = sh_needs(dest)
        missing = [n for n in needs if not os.path.isfile(os.path.join(tree, n))]
        tests.append({'name': test_name(rel), 'area': area, 'kind': 'sh', 'path': rel,
                      'build': 'ok' if not missing else 'link-failed',
                      'files': [rel] + needs,
                      'log': '' if not missing else 'missing ' + ' '.join(missing)})
    tests.sort(key=lambda t: ([a for a, _ in AREAS].index(t['area']), t['name']))
    manifest = {'tree': tree, 'cc': cc, 'version': version, 'glibc': libc, 'cflags': CFLAGS, 'ldflags': LDFLAGS + ['-static'],
                'source': os.path.basename(os.path.realpath(src)),
                'package': package_version(src), 'runner': 'pts-run', 'tests': tests}
    path = os.path.abspath(args.manifest or os.path.join(out, 'manifest.json'))
    with open(path + '.tmp', 'w') as f:
        json.dump(manifest, f, indent=1)
    os.replace(path + '.tmp', path)
    failed = sum(1 for t in tests if t['build'] not in ('ok', 'build-only'))
    print('posix-tests: %d tests for %s, glibc %s: %d did not build' % (
        len(tests), version, libc, failed))
    if args.depfile:
        deps = [os.path.abspath(__file__), runner_src] + \
               [os.path.join(src, rel) for _, rel in sources + scripts]
        with open(args.depfile, 'w') as f:
            f.write('%s: %s\n' % (path, ' \\\n '.join(deps)))
    return 0


def glibc_version(cc):
    """The C library the compiler builds against, from its <features.h>."""
    p = subprocess.run([cc, '-E', '-dM', '-x', 'c', '-'], input='#include <features.h>\n',
                       capture_output=True, text=True)
    v = dict(re.findall(r'^#define (__GLIBC_MINOR__|__GLIBC__) (\d+)$', p.stdout, re.M))
    return '%s.%s' % (v.get('__GLIBC__', '?'), v.get('__GLIBC_MINOR__', '?'))


def package_version(src):
    try:
        with open(os.path.join(src, 'debian', 'changelog')) as f:
            m = re.match(r'(\S+) \((\S+)\)', f.readline())
        return '%s %s' % m.groups()
    except (OSError, AttributeError):
        return 'unknown'


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest='cmd', required=True)
    f = sub.add_parser('fetch')
    f.add_argument('--dest', default=SRC)
    b = sub.add_parser('build')
    b.add_argument('--src', default=SRC)
    b.add_argument('--cc', required=True)
    b.add_argument('--out', required=True)
    b.add_argument('--jobs', type=int, default=os.cpu_count() or 1)
    b.add_argument('--manifest', help='where to write the manifest (default OUT/manifest.json)')
    b.add_argument('--depfile')
    args = ap.parse_args()
    return fetch(args) if args.cmd == 'fetch' else build(args)


if __name__ == '__main__':
    sys.exit(main())
