#!/usr/bin/env python3
"""The system-call table generator.

Reads kernel/syscall.tbl (its header comment describes the format) and
writes, for one port, the C table the dispatcher indexes by number
(kernel/syscall.c), or for all ports docs/syscalls.md, whose status
columns come from scanning the source tree for SYSCALL_DEFINEn.

  syscalltbl.py c --arch <port> <syscall.tbl> <out.c>
  syscalltbl.py doc <srcroot> <out.md>        (regenerate the page)
  syscalltbl.py check-doc <srcroot>            (exit 1 when it is stale)

A malformed table stops with "<file>:<line>: <what>" and status 1.
"""

import os
import re
import sys

ARCHES = ('aarch64', 'x86_64', 'i386')
NR_ARGS = 6

TABLE = os.path.join('kernel', 'syscall.tbl')
DOC = os.path.join('docs', 'syscalls.md')
SCAN_DIRS = ('kernel', 'fs', 'mm', 'drivers', 'arch')


class TableError(Exception):
    pass


class Handler:
    """One port's handler: a function name (sys_ omitted) or None, and the
    argument registers it takes in order (None: 0..5 as they come)."""

    def __init__(self, name, regs=None):
        self.name = name
        self.regs = regs

    def symbol(self):
        return 'sys_' + self.name

    def argmap(self):
        """The table's argmap word: 4 bits per handler argument naming the
        register it comes from; 0 for the identity."""
        if self.regs is None:
            return 0
        regs = list(self.regs) + [r for r in range(NR_ARGS) if r not in self.regs]
        if regs == list(range(NR_ARGS)):
            return 0
        word = 0
        for i, r in enumerate(regs):
            word |= r << (4 * i)
        return word

    def describe(self):
        s = self.symbol()
        if self.regs is not None:
            s += '(' + ', '.join('a%d' % r for r in self.regs) + ')'
        return s


class Call:
    def __init__(self, name, nums, handlers, status, note, line):
        self.name = name
        self.nums = nums            # arch -> number or None
        self.handlers = handlers    # arch -> Handler (ports with the call)
        self.status = status        # '-' or 'partial'
        self.note = note
        self.line = line


def _parse_handler_item(item, where):
    m = re.fullmatch(r'(?:(\w+):)?(none|[A-Za-z_]\w*)(?:\[([0-5]{1,6})\])?', item)
    if not m:
        raise TableError('%s: bad handler item "%s"' % (where, item))
    arch, name, regs = m.groups()
    if arch is not None and arch not in ARCHES:
        raise TableError('%s: unknown port "%s" in "%s"' % (where, arch, item))
    if regs is not None:
        regs = [int(c) for c in regs]
        if len(set(regs)) != len(regs):
            raise TableError('%s: register repeated in "%s"' % (where, item))
        if name == 'none':
            raise TableError('%s: "none" takes no registers' % where)
    if name.startswith('sys_'):
        raise TableError('%s: write the handler without sys_: "%s"' % (where, item))
    return arch, (None if name == 'none' else name), regs


def parse_table(path):
    """The calls of the table at path, in its order."""
    calls = []
    seen = {}
    used = {a: {} for a in ARCHES}
    with open(path, encoding='utf-8') as f:
        for lineno, raw in enumerate(f, 1):
            where = '%s:%d' % (path, lineno)
            line = raw.rstrip('\n')
            if not line.strip() or line.lstrip().startswith('#'):
                continue
            fields = line.split(None, 6)
            if len(fields) < 6:
                raise TableError('%s: want name, 3 numbers, handler, status [note]' % where)
            name = fields[0]
            if not re.fullmatch(r'[A-Za-z_]\w*', name):
                raise TableError('%s: bad name "%s"' % (where, name))
            if name in seen:
                raise TableError('%s: %s already listed on line %d' % (where, name, seen[name]))
            seen[name] = lineno
            nums = {}
            for arch, tok in zip(ARCHES, fields[1:4]):
                if tok == '-':
                    nums[arch] = None
                    continue
                if not re.fullmatch(r'\d+', tok) or int(tok) > 4095:
                    raise TableError('%s: bad %s number "%s"' % (where, arch, tok))
                n = int(tok)
                if n in used[arch]:
                    raise TableError('%s: %s number %d already used by %s' %
                                     (where, arch, n, used[arch][n]))
                used[arch][n] = name
                nums[arch] = n
            ports = [a for a in ARCHES if nums[a] is not None]
            if not ports:
                raise TableError('%s: %s is on no port' % (where, name))
            default = Handler(name)
            per_arch = {}
            if fields[4] != '-':
                for item in fields[4].split(','):
                    arch, hname, regs = _parse_handler_item(item, where)
                    h = Handler(hname, regs)
                    if arch is None:
                        default = h
                    else:
                        if nums[arch] is None:
                            raise TableError('%s: %s has no %s number, but a %s handler' %
                                             (where, name, arch, arch))
                        if arch in per_arch:
                            raise TableError('%s: two %s handlers' % (where, arch))
                        per_arch[arch] = h
            handlers = {a: per_arch.get(a, default) for a in ports}
            status = fields[5]
            if status not in ('-', 'partial'):
                raise TableError('%s: status must be "-" or "partial", not "%s"' % (where, status))
            note = fields[6].strip() if len(fields) > 6 else ''
            if status == 'partial' and not note:
                raise TableError('%s: a partial call needs a note saying what is missing' % where)
            calls.append(Call(name, nums, handlers, status, note, lineno))
    return calls


# ---------------------------------------------------------------- C table

def gen_c(calls, arch):
    entries = sorted((c.nums[arch], c) for c in calls if c.nums[arch] is not None)
    size = entries[-1][0] + 1 if entries else 0
    symbols = sorted({c.handlers[arch].symbol() for _, c in entries
                      if c.handlers[arch].name is not None})
    out = ['/* Generated by scripts/syscalltbl.py from kernel/syscall.tbl for %s: do not edit. */'
           % arch,
           '#include <kernel/syscall_table.h>',
           '',
           '/*',
           ' * Weak: a handler no file defines is a NULL slot, which the dispatcher',
           ' * answers with -ENOSYS.',
           ' */']
    for s in symbols:
        out.append('extern syscall_handler_t %s __attribute__((weak));' % s)
    out += ['',
            'const struct syscall_entry syscall_table[%d] = {' % size]
    for nr, c in entries:
        h = c.handlers[arch]
        fn = h.symbol() if h.name is not None else 'NULL'
        am = h.argmap()
        if am:
            out.append('\t[%d] = { %s, "%s", 0x%06x },' % (nr, fn, c.name, am))
        else:
            out.append('\t[%d] = { %s, "%s", 0 },' % (nr, fn, c.name))
    out += ['};',
            '',
            'const unsigned int syscall_table_size = %d;' % size]
    restart = [nr for nr, c in entries if c.name == 'restart_syscall']
    if restart:
        out.append('const long syscall_nr_restart_syscall = %d;' % restart[0])
    out.append('')
    return '\n'.join(out)


# ---------------------------------------------------------------- source scan

# Preprocessor symbols that select ports.
ARCH_SYMBOLS = {
    'CONFIG_ARCH_AARCH64': {'aarch64'},
    '__aarch64__': {'aarch64'},
    'LINUX_STAT_ABI_GENERIC': {'aarch64'},
    'CONFIG_ARCH_X86_64': {'x86_64'},
    '__x86_64__': {'x86_64'},
    'LINUX_STAT_ABI_X86_64': {'x86_64'},
    'CONFIG_ARCH_I386': {'i386'},
    '__i386__': {'i386'},
    'LINUX_STAT_ABI_I386': {'i386'},
    'CONFIG_ARCH_X86': {'x86_64', 'i386'},
    'CONFIG_64BIT': {'aarch64', 'x86_64'},
}
ALL = frozenset(ARCHES)


class _Cond:
    """Where a preprocessor condition holds: a set of ports, or unknown
    (a symbol that selects no port: true on every port, and so is its
    negation, as far as this scan can tell)."""

    def __init__(self, ports, known=True):
        self.ports = frozenset(ports)
        self.known = known

    def neg(self):
        return _Cond(ALL - self.ports) if self.known else _Cond(ALL, False)


def _eval_cond(expr):
    tokens = re.findall(r'defined|\w+|&&|\|\||!|\(|\)', expr)
    pos = [0]

    def peek():
        return tokens[pos[0]] if pos[0] < len(tokens) else None

    def take():
        t = peek()
        pos[0] += 1
        return t

    def primary():
        t = take()
        if t == '!':
            return primary().neg()
        if t == '(':
            v = disj()
            if take() != ')':
                raise ValueError
            return v
        if t == 'defined':
            paren = peek() == '('
            if paren:
                take()
            sym = take()
            if paren and take() != ')':
                raise ValueError
            return _Cond(ARCH_SYMBOLS[sym]) if sym in ARCH_SYMBOLS else _Cond(ALL, False)
        if t is not None and re.fullmatch(r'\w+', t):
            if t in ARCH_SYMBOLS:
                return _Cond(ARCH_SYMBOLS[t])
            if t == '0':
                return _Cond(())
            return _Cond(ALL, False)
        raise ValueError

    def conj():
        v = primary()
        while peek() == '&&':
            take()
            w = primary()
            v = _Cond(v.ports & w.ports, v.known and w.known)
        return v

    def disj():
        v = conj()
        while peek() == '||':
            take()
            w = conj()
            v = _Cond(v.ports | w.ports, v.known and w.known)
        return v

    try:
        v = disj()
        if peek() is not None:
            raise ValueError
        return v
    except (ValueError, IndexError, KeyError):
        return _Cond(ALL, False)    # too clever for this scan: assume it holds


def _dir_ports(relpath):
    parts = relpath.replace(os.sep, '/').split('/')
    if parts[0] != 'arch' or len(parts) < 2:
        return ALL
    if parts[1] == 'aarch64':
        return frozenset({'aarch64'})
    if parts[1] == 'x86':
        if len(parts) > 2 and parts[2] == '32':
            return frozenset({'i386'})
        if len(parts) > 2 and parts[2] == '64':
            return frozenset({'x86_64'})
        return frozenset({'x86_64', 'i386'})
    return frozenset()


def scan_text(text, ports=ALL):
    """Handlers defined in C source text: {handler name: set of ports}.
    #if/#ifdef/#elif/#else on port symbols narrow the ports."""
    found = {}
    stack = []      # (ports of this branch, union of earlier branches, all known)
    active = frozenset(ports)
    lines = text.split('\n')
    i = 0
    while i < len(lines):
        line = lines[i]
        while line.endswith('\\') and i + 1 < len(lines):
            i += 1
            line = line[:-1] + ' ' + lines[i]
        i += 1
        m = re.match(r'\s*#\s*(ifdef|ifndef|if|elif|else|endif)\b(.*)', line)
        if m:
            kw, rest = m.group(1), re.sub(r'/\*.*?\*/|//.*', '', m.group(2)).strip()
            if kw in ('ifdef', 'ifndef'):
                c = _eval_cond('defined(%s)' % rest.split()[0] if rest else '')
                if kw == 'ifndef':
                    c = c.neg()
            elif kw in ('if', 'elif'):
                c = _eval_cond(rest)
            if kw in ('ifdef', 'ifndef', 'if'):
                stack.append((active, c.ports, c.ports, c.known))
                active = active & c.ports
            elif kw == 'elif' and stack:
                outer, _, before, known = stack[-1]
                branch = (c.ports - before) if (known and c.known) else c.ports
                stack[-1] = (outer, branch, before | c.ports, known and c.known)
                active = outer & branch
            elif kw == 'else' and stack:
                outer, _, before, known = stack[-1]
                branch = (ALL - before) if known else ALL
                stack[-1] = (outer, branch, before, known)
                active = outer & branch
            elif kw == 'endif' and stack:
                active = stack.pop()[0]
            continue
        m = re.match(r'\s*SYSCALL_DEFINE[0-6]\(\s*(\w+)', line)
        if m:
            found.setdefault(m.group(1), set()).update(active)
    return found


def scan_tree(srcroot):
    """Handlers defined under the scanned directories: {name: set of ports}.
    Test directories do not count."""
    found = {}
    for top in SCAN_DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(srcroot, top)):
            dirnames[:] = sorted(d for d in dirnames if d != 'tests')
            for fn in sorted(filenames):
                if not fn.endswith(('.c', '.h')):
                    continue
                path = os.path.join(dirpath, fn)
                rel = os.path.relpath(path, srcroot)
                with open(path, encoding='utf-8', errors='replace') as f:
                    text = f.read()
                if 'SYSCALL_DEFINE' not in text:
                    continue
                for name, ports in scan_text(text, _dir_ports(rel)).items():
                    found.setdefault(name, set()).update(ports)
    return found


# ---------------------------------------------------------------- docs

def _status(call, arch, defined):
    """done / partial / ENOSYS for the call on arch, or None if absent."""
    if call.nums[arch] is None:
        return None
    h = call.handlers[arch]
    if h.name is None or arch not in defined.get(h.name, ()):
        return 'ENOSYS'
    return 'partial' if call.status == 'partial' else 'done'


def _md_escape(text):
    return text.replace('|', '\\|')


def gen_doc(calls, defined):
    counts = {a: {'done': 0, 'partial': 0, 'ENOSYS': 0} for a in ARCHES}
    rows = []
    for c in sorted(calls, key=lambda c: c.name):
        cells = []
        notes = []
        for a in ARCHES:
            st = _status(c, a, defined)
            if st is None:
                cells.append('—')
                continue
            counts[a][st] += 1
            cells.append('%d %s' % (c.nums[a], st))
        # Handlers other than sys_<name>, per port.
        by_handler = {}
        for a in ARCHES:
            if c.nums[a] is None:
                continue
            h = c.handlers[a]
            desc = 'no handler' if h.name is None else h.describe()
            if h.name == c.name and h.regs is None:
                continue
            by_handler.setdefault(desc, []).append(a)
        for desc, arches in by_handler.items():
            notes.append('%s: `%s`' % (', '.join(arches), desc) if desc != 'no handler'
                         else '%s: no handler' % ', '.join(arches))
        if c.note:
            notes.append(_md_escape(c.note))
        rows.append('| `%s` | %s | %s |' % (c.name, ' | '.join(cells), '; '.join(notes)))
    out = [
        '# System calls',
        '',
        'Every Linux system call of the three MMU ports, with its number and',
        'status on each: **done** (a handler exists), **partial** (a handler',
        'exists and the note says what it leaves out) or **ENOSYS** (no',
        'handler: the call returns `-ENOSYS` and is logged once, with its name).',
        '— means the port has no such call.  The numbers are Linux 6.1\'s.',
        '',
        'Generated by `scripts/syscalltbl.py` from `kernel/syscall.tbl` and the',
        '`SYSCALL_DEFINEn` handlers in the source: do not edit.  After changing',
        'either, run `ninja -C <builddir> syscalls-doc`; the `syscalls-doc`',
        'test fails while this page is stale.  How a call reaches its handler:',
        '[syscall-layer.md](syscall-layer.md) and the table\'s header comment.',
        '',
        '| | aarch64 | x86_64 | i386 |',
        '| --- | --- | --- | --- |',
    ]
    for st in ('done', 'partial', 'ENOSYS'):
        out.append('| %s | %s |' % (st, ' | '.join(str(counts[a][st]) for a in ARCHES)))
    out.append('| calls | %s |' % ' | '.join(str(sum(counts[a].values())) for a in ARCHES))
    out += ['',
            '| call | aarch64 | x86_64 | i386 | handler, notes |',
            '| --- | --- | --- | --- | --- |']
    out += rows
    out.append('')
    return '\n'.join(out)


# ---------------------------------------------------------------- main

def _write_if_changed(path, text):
    try:
        with open(path, encoding='utf-8') as f:
            if f.read() == text:
                return
    except FileNotFoundError:
        pass
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)


def _used_handlers(calls):
    """The handler names some port's table entry calls."""
    return {h.name for c in calls for h in c.handlers.values()
            if h is not None and h.name is not None}


def main(argv):
    try:
        if len(argv) == 5 and argv[0] == 'c' and argv[1] == '--arch':
            arch = argv[2]
            if arch not in ARCHES:
                raise TableError('unknown port "%s" (%s)' % (arch, ', '.join(ARCHES)))
            _write_if_changed(argv[4], gen_c(parse_table(argv[3]), arch))
            return 0
        if len(argv) in (2, 3) and argv[0] in ('doc', 'check-doc'):
            root = argv[1]
            calls = parse_table(os.path.join(root, TABLE))
            defined = scan_tree(root)
            text = gen_doc(calls, defined)
            orphans = sorted(set(defined) - _used_handlers(calls))
            if orphans and argv[0] == 'check-doc':
                # A handler the table never names is a call left ENOSYS by a typo.
                print('%s: defined but no table entry calls them: %s' %
                      (TABLE, ', '.join('sys_' + h for h in orphans)), file=sys.stderr)
                return 1
            if argv[0] == 'doc':
                out = argv[2] if len(argv) == 3 else os.path.join(root, DOC)
                _write_if_changed(out, text)
                return 0
            path = os.path.join(root, DOC)
            try:
                with open(path, encoding='utf-8') as f:
                    current = f.read()
            except FileNotFoundError:
                current = None
            if current == text:
                print('%s is up to date' % DOC)
                return 0
            print('%s is stale: run ninja -C <builddir> syscalls-doc (or %s doc %s)' %
                  (DOC, sys.argv[0], root), file=sys.stderr)
            if current is not None:
                import difflib
                sys.stderr.writelines(list(difflib.unified_diff(
                    current.splitlines(True), text.splitlines(True),
                    'checked in', 'generated'))[:60])
            return 1
    except TableError as e:
        print('syscalltbl: %s' % e, file=sys.stderr)
        return 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
