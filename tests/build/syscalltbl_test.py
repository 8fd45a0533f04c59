#!/usr/bin/python3
# Tests of the system-call table generator (scripts/syscalltbl.py) and of
# kernel/syscall.tbl itself, printed as TAP:
# - every port's generated C table read back and compared, number by
#   number and name by name, with Linux's unistd headers: the host's
#   x86_64 and i386 ones, and aarch64's from the arm64 cross headers
#   (linux-libc-dev-arm64-cross) when installed;
# - the per-port handlers and argument orders the table promises;
# - malformed tables stop with file:line and a reason;
# - the SYSCALL_DEFINE scan and its #if handling, the page's statuses,
#   and check-doc failing on a stale page.

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile

SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
spec = importlib.util.spec_from_file_location(
    'syscalltbl', os.path.join(SRC, 'scripts', 'syscalltbl.py'))
st = importlib.util.module_from_spec(spec)
spec.loader.exec_module(st)

TABLE = os.path.join(SRC, 'kernel', 'syscall.tbl')
results = []


def test(fn):
    results.append(fn)
    return fn


class Skip(Exception):
    pass


def unistd_defines(text):
    """__NR_ names to numbers from a header or cpp -dM output, following
    aliases (asm-generic's __NR3264_* names)."""
    defs = dict(re.findall(r'^#define\s+(__NR3264_\w+|__NR_\w+)\s+(\S+)\s*$', text, re.M))
    out = {}
    for k, v in defs.items():
        if not k.startswith('__NR_'):
            continue
        for _ in range(8):
            if v in defs:
                v = defs[v]
        if re.fullmatch(r'\d+', v):
            out[k[len('__NR_'):]] = int(v)
    # Counts and markers, not calls.
    for k in ('syscalls', 'arch_specific_syscall'):
        out.pop(k, None)
    return out


def host_header(name):
    path = os.path.join('/usr/include/x86_64-linux-gnu/asm', name)
    if not os.path.exists(path):
        raise Skip('no %s on this host (linux-libc-dev)' % path)
    with open(path) as f:
        return unistd_defines(f.read())


def aarch64_header():
    src = '#include <asm/unistd.h>\n'
    for cmd in (['aarch64-linux-gnu-gcc', '-E', '-dM', '-'],
                ['cpp', '-dM', '-nostdinc', '-I/usr/aarch64-linux-gnu/include', '-']):
        if not shutil.which(cmd[0]) or not os.path.exists(
                '/usr/aarch64-linux-gnu/include/asm-generic/unistd.h'):
            continue
        p = subprocess.run(cmd, input=src, capture_output=True, text=True)
        if p.returncode == 0:
            return unistd_defines(p.stdout)
    raise Skip('no arm64 Linux headers (linux-libc-dev-arm64-cross)')


def generated(arch):
    """The generated table read back: number -> (handler, name, argmap)."""
    text = st.gen_c(st.parse_table(TABLE), arch)
    rows = re.findall(r'^\t\[(\d+)\] = \{ (\w+), "(\w+)", (0x[0-9a-f]+|0) \},$', text, re.M)
    size = int(re.search(r'syscall_table_size = (\d+);', text).group(1))
    table = {}
    for nr, fn, name, am in rows:
        assert int(nr) not in table, 'number %s twice' % nr
        table[int(nr)] = (fn, name, int(am, 16))
    assert size == max(table) + 1, 'size %d, highest number %d' % (size, max(table))
    # Every handler the entries name is declared weak.
    for fn, _, _ in table.values():
        if fn != 'NULL':
            assert re.search(r'^extern syscall_handler_t %s __attribute__\(\(weak\)\);$' % fn,
                             text, re.M), fn + ' not declared weak'
    return table


def same_numbers(arch, header):
    table = generated(arch)
    ours = {name: nr for nr, (_, name, _) in table.items()}
    missing = sorted(set(header) - set(ours))
    extra = sorted(set(ours) - set(header))
    wrong = sorted(n for n in set(ours) & set(header) if ours[n] != header[n])
    assert not missing, '%s: missing %s' % (arch, missing[:10])
    assert not extra, '%s: not in Linux\'s header: %s' % (arch, extra[:10])
    assert not wrong, '%s: wrong numbers: %s' % (
        arch, ['%s %d!=%d' % (n, ours[n], header[n]) for n in wrong[:10]])


@test
def numbers_x86_64():
    same_numbers('x86_64', host_header('unistd_64.h'))


@test
def numbers_i386():
    same_numbers('i386', host_header('unistd_32.h'))


@test
def numbers_aarch64():
    same_numbers('aarch64', aarch64_header())


@test
def every_name_on_its_ports():
    """A name is listed once, and only on ports that number it."""
    calls = st.parse_table(TABLE)
    names = [c.name for c in calls]
    assert len(names) == len(set(names))
    for c in calls:
        assert set(c.handlers) == {a for a in st.ARCHES if c.nums[a] is not None}, c.name
    # aarch64 has only the *at forms and no fork (clone does both).
    by = {c.name: c for c in calls}
    for old in ('open', 'stat', 'lstat', 'fork', 'vfork', 'mkdir', 'unlink', 'rename',
                'access', 'dup2', 'pipe', 'poll', 'select', 'getdents'):
        assert by[old].nums['aarch64'] is None, old
        assert by[old].nums['x86_64'] is not None, old
    for at in ('openat', 'newfstatat', 'mkdirat', 'unlinkat', 'renameat', 'faccessat',
               'dup3', 'pipe2', 'ppoll', 'pselect6', 'clone'):
        assert by[at].nums['aarch64'] is not None, at


@test
def per_port_handlers():
    x64, i386, a64 = generated('x86_64'), generated('i386'), generated('aarch64')
    expect = [
        (i386, 192, 'sys_mmap_pgoff', 'mmap2'),
        (i386, 90, 'sys_old_mmap', 'mmap'),
        (i386, 140, 'sys_llseek', '_llseek'),
        (i386, 142, 'sys_select', '_newselect'),
        (i386, 82, 'sys_old_select', 'select'),
        (i386, 24, 'sys_getuid16', 'getuid'),
        (i386, 199, 'sys_getuid', 'getuid32'),
        (i386, 212, 'sys_chown', 'chown32'),
        (i386, 182, 'sys_chown16', 'chown'),
        (i386, 221, 'sys_fcntl64', 'fcntl64'),
        (i386, 180, 'sys_ia32_pread64', 'pread64'),
        (i386, 194, 'sys_ia32_ftruncate64', 'ftruncate64'),
        (i386, 272, 'sys_ia32_fadvise64_64', 'fadvise64_64'),
        (i386, 265, 'sys_clock_gettime32', 'clock_gettime'),
        (i386, 403, 'sys_clock_gettime', 'clock_gettime64'),
        (i386, 320, 'sys_utimensat_time32', 'utimensat'),
        (i386, 412, 'sys_utimensat', 'utimensat_time64'),
        (i386, 300, 'sys_fstatat64', 'fstatat64'),
        (i386, 102, 'sys_socketcall', 'socketcall'),
        (i386, 191, 'sys_ugetrlimit', 'ugetrlimit'),
        (i386, 309, 'sys_ppoll', 'ppoll'),
        (i386, 414, 'sys_ppoll_time64', 'ppoll_time64'),
        (i386, 162, 'sys_nanosleep', 'nanosleep'),
        (x64, 35, 'sys_nanosleep', 'nanosleep'),
        (i386, 76, 'sys_old_getrlimit', 'getrlimit'),
        (i386, 17, 'NULL', 'break'),
        (x64, 17, 'sys_pread64', 'pread64'),
        (x64, 134, 'NULL', 'uselib'),
        (x64, 205, 'NULL', 'set_thread_area'),
        (x64, 262, 'sys_newfstatat', 'newfstatat'),
        (a64, 79, 'sys_newfstatat', 'newfstatat'),
        (a64, 113, 'sys_clock_gettime', 'clock_gettime'),
        (a64, 42, 'NULL', 'nfsservctl'),
    ]
    for table, nr, fn, name in expect:
        assert table[nr][:2] == (fn, name), '%d: %s, want %s %s' % (nr, table[nr], fn, name)


@test
def argument_registers():
    """clone's handler takes the generic order: the real table permutes
    x86_64's registers (child_tid before tls), and only there.  The
    [digits] form becomes the dispatcher's argmap word."""
    x64, i386, a64 = generated('x86_64'), generated('i386'), generated('aarch64')
    assert a64[220] == ('sys_clone', 'clone', 0)
    assert i386[120] == ('sys_clone', 'clone', 0)
    assert x64[56] == ('sys_clone', 'clone', 0x534210)
    with tempfile.NamedTemporaryFile('w', suffix='.tbl', delete=False) as f:
        f.write('clone 220 56 120 x86_64:clone[01243] -\n'
                'swap 1 2 3 swap[10] -\n'
                'same 4 5 6 same[012345] -\n')
    try:
        calls = {c.name: c for c in st.parse_table(f.name)}
    finally:
        os.unlink(f.name)

    def regs(word):
        return [(word >> (4 * i)) & 0xf for i in range(6)] if word else list(range(6))

    assert regs(calls['clone'].handlers['x86_64'].argmap()) == [0, 1, 2, 4, 3, 5]
    assert calls['clone'].handlers['aarch64'].argmap() == 0
    assert regs(calls['swap'].handlers['i386'].argmap()) == [1, 0, 2, 3, 4, 5]
    assert calls['same'].handlers['x86_64'].argmap() == 0
    text = st.gen_c(list(calls.values()), 'x86_64')
    assert '[56] = { sys_clone, "clone", 0x534210 },' in text, text


def table_error(body):
    with tempfile.NamedTemporaryFile('w', suffix='.tbl', delete=False) as f:
        f.write('# comment\n' + body)
    try:
        st.parse_table(f.name)
    except st.TableError as e:
        msg = str(e)
        assert msg.startswith(f.name + ':'), msg
        return msg
    finally:
        os.unlink(f.name)
    raise AssertionError('accepted: %r' % body)


@test
def malformed_tables():
    cases = [
        ('read 63 0 3 -\n', 'want name'),
        ('read 63 0 3 - - x\nread 64 1 4 - -\n', 'already listed on line 2'),
        ('read 63 0 3 - -\nwrite 63 1 4 - -\n', 'number 63 already used by read'),
        ('read 6x 0 3 - -\n', 'bad aarch64 number'),
        ('read 63 0 99999 - -\n', 'bad i386 number'),
        ('read - - - - -\n', 'on no port'),
        ('read 63 0 3 mips:read -\n', 'unknown port'),
        ('open - 2 5 aarch64:open -\n', 'has no aarch64 number'),
        ('read 63 0 3 - partial\n', 'needs a note'),
        ('read 63 0 3 - done\n', 'status must be'),
        ('read 63 0 3 sys_read -\n', 'without sys_'),
        ('read 63 0 3 read[0012] -\n', 'register repeated'),
        ('read 63 0 3 read[7] -\n', 'bad handler item'),
        ('read 63 0 3 none[01] -\n', 'takes no registers'),
        ('read 63 0 3 i386:a,i386:b -\n', 'two i386 handlers'),
        ('9read 63 0 3 - -\n', 'bad name'),
    ]
    for body, want in cases:
        msg = table_error(body)
        assert want in msg, '%r: %s' % (body, msg)
        assert ':2:' in msg or ':3:' in msg, msg


@test
def generator_cli_errors():
    """A bad table or port ends with status 1 and a message, no traceback."""
    with tempfile.TemporaryDirectory() as d:
        bad = os.path.join(d, 'bad.tbl')
        with open(bad, 'w') as f:
            f.write('read 63 0 3 - partial\n')
        script = os.path.join(SRC, 'scripts', 'syscalltbl.py')
        for args in (['c', '--arch', 'x86_64', bad, os.path.join(d, 'o.c')],
                     ['c', '--arch', 'mips', TABLE, os.path.join(d, 'o.c')]):
            p = subprocess.run([sys.executable, script] + args, capture_output=True, text=True)
            assert p.returncode == 1, p
            assert p.stderr.startswith('syscalltbl: ') and 'Traceback' not in p.stderr, p.stderr
            assert not os.path.exists(os.path.join(d, 'o.c'))


@test
def scan_conditions():
    text = '\n'.join([
        'SYSCALL_DEFINE1(everywhere, int, a)',
        '#ifdef CONFIG_ARCH_I386',
        'SYSCALL_DEFINE0(only_i386)',
        '#else',
        'SYSCALL_DEFINE0(not_i386)',
        '#endif',
        '#if defined(CONFIG_ARCH_X86_64) || defined(CONFIG_ARCH_I386)',
        'SYSCALL_DEFINE2(x86, int, a,',
        '\t\tint, b)',
        '#if !defined(CONFIG_64BIT)',
        ' SYSCALL_DEFINE0(x86_32bit)',
        '#endif',
        '#elif defined(CONFIG_ARCH_AARCH64)',
        'SYSCALL_DEFINE0(arm)',
        '#endif',
        '#ifdef CONFIG_PROCESSES',
        'SYSCALL_DEFINE0(unknown_symbol)',
        '#ifndef CONFIG_SOMETHING',
        'SYSCALL_DEFINE0(unknown_negated)',
        '#endif',
        '#endif',
        '#if 0',
        'SYSCALL_DEFINE0(never)',
        '#endif',
        '#ifndef LINUX_STAT_ABI_I386',
        'SYSCALL_DEFINE0(wide_stat)',
        '#endif',
        '/* SYSCALL_DEFINE0(in_comment) is not at a line start */',
    ])
    found = st.scan_text(text)
    A = set(st.ARCHES)
    want = {
        'everywhere': A, 'only_i386': {'i386'}, 'not_i386': {'aarch64', 'x86_64'},
        'x86': {'x86_64', 'i386'}, 'x86_32bit': {'i386'}, 'arm': {'aarch64'},
        'unknown_symbol': A, 'unknown_negated': A, 'wide_stat': {'aarch64', 'x86_64'},
    }
    got = {k: v for k, v in found.items() if v}
    assert got == want, got
    assert st.scan_text('SYSCALL_DEFINE0(a)', st._dir_ports('arch/x86/32/entry.c')) == \
        {'a': {'i386'}}
    assert st._dir_ports('arch/x86/apic.c') == {'x86_64', 'i386'}
    assert st._dir_ports('arch/aarch64/user.c') == {'aarch64'}
    assert st._dir_ports('arch/armv6m/x.c') == set()
    assert st._dir_ports('fs/sys_rw.c') == A


@test
def doc_statuses():
    with tempfile.NamedTemporaryFile('w', suffix='.tbl', delete=False) as f:
        f.write('read 63 0 3 - -\n'
                'fcntl 25 72 55 - partial no locks\n'
                'pread64 67 17 180 i386:ia32_pread64 -\n'
                'open - 2 5 - -\n'
                'break - - 17 none - obsolete\n')
    try:
        calls = st.parse_table(f.name)
    finally:
        os.unlink(f.name)
    defined = {'read': {'aarch64', 'x86_64', 'i386'}, 'fcntl': {'x86_64'},
               'pread64': {'aarch64', 'x86_64', 'i386'}, 'open': {'x86_64'}}
    doc = st.gen_doc(calls, defined)
    rows = {m.group(1): m.group(2) for m in re.finditer(r'^\| `(\w+)` \| (.*) \|$', doc, re.M)}
    assert rows['read'].startswith('63 done | 0 done | 3 done |'), rows['read']
    assert rows['fcntl'].startswith('25 ENOSYS | 72 partial | 55 ENOSYS |'), rows['fcntl']
    assert 'no locks' in rows['fcntl']
    # i386's pread64 needs sys_ia32_pread64, which nothing defines.
    assert rows['pread64'].startswith('67 done | 17 done | 180 ENOSYS |'), rows['pread64']
    assert 'i386: `sys_ia32_pread64`' in rows['pread64']
    assert rows['open'].startswith('— | 2 done | 5 ENOSYS |'), rows['open']
    assert rows['break'].startswith('— | — | 17 ENOSYS |'), rows['break']
    assert '| done | 2 | 3 | 1 |' in doc and '| partial | 0 | 1 | 0 |' in doc, doc
    assert '| ENOSYS | 1 | 0 | 4 |' in doc and '| calls | 3 | 4 | 5 |' in doc, doc


@test
def check_doc_detects_stale_page():
    script = os.path.join(SRC, 'scripts', 'syscalltbl.py')
    with tempfile.TemporaryDirectory() as root:
        os.makedirs(os.path.join(root, 'kernel'))
        os.makedirs(os.path.join(root, 'fs'))
        os.makedirs(os.path.join(root, 'docs'))
        with open(os.path.join(root, 'kernel', 'syscall.tbl'), 'w') as f:
            f.write('read 63 0 3 - -\n')

        def check():
            return subprocess.run([sys.executable, script, 'check-doc', root],
                                  capture_output=True, text=True).returncode

        assert check() == 1, 'no page at all passed'
        assert subprocess.run([sys.executable, script, 'doc', root]).returncode == 0
        assert check() == 0
        with open(os.path.join(root, 'fs', 'read.c'), 'w') as f:
            f.write('SYSCALL_DEFINE3(read, int, fd, char *, buf, size_t, n)\n{\n}\n')
        assert check() == 1, 'a new handler left the page current'
        assert subprocess.run([sys.executable, script, 'doc', root]).returncode == 0
        assert check() == 0
        with open(os.path.join(root, 'docs', 'syscalls.md')) as f:
            assert '| `read` | 63 done | 0 done | 3 done |' in f.read()


def main():
    print('TAP version 13')
    print('1..%d' % len(results))
    failed = 0
    for i, fn in enumerate(results, 1):
        try:
            fn()
            print('ok %d %s' % (i, fn.__name__))
        except Skip as e:
            print('ok %d %s # SKIP %s' % (i, fn.__name__, e))
        except Exception as e:     # noqa: BLE001 - report any failure as TAP
            failed += 1
            print('not ok %d %s' % (i, fn.__name__))
            for line in ('%s: %s' % (type(e).__name__, e)).splitlines():
                print('# ' + line)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
