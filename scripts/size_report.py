#!/usr/bin/python3
# Flash and RAM of a kernel image per subsystem, from the linker's map
# file (GNU ld's or lld's format): every input section placed in an
# allocated output section is charged to the source file it came from,
# and the file to a subsystem by its path.  Flash counts what the image
# holds (code, read-only data, the .data image); RAM counts .data and
# .bss, without the stacks' reserved sections (.stack, .irqstack), which
# are listed on their own, as threads' stacks are not counted either.
#
#   size_report.py kernel.map out.txt [--goal SUBSYSTEMS:FLASH_BYTES[:RAM_BYTES]]...
#                  [--thread-goal BYTES]
#                  [--footprint footprint.txt]
#
# A goal sums the flash of some subsystems (comma-separated), and their
# static RAM (.data and .bss) when it gives RAM_BYTES; the thread goal the RAM a
# thread costs besides its stack: its struct thread, whose size is the
# boot thread's section's, at the top of its stack's heap block (with
# the granule's rounding at most; kernel/thread.c).  Each fails the
# report (exit status 1) when above: a build check.  --footprint checks that the
# totals are the image's, as arch/armv6m/footprint.py read them from the
# ELF file's sections (the test size-report): every byte charged once.

import re
import sys

# mm/heap.c: blocks come in 8-byte granules.
HEAP_GRANULE = 8
BOOT_THREAD = re.compile(r'^\.(bss|data)\.boot_thread$')

# Subsystems, first match wins: (name, regular expression on the object's
# path as the build names it: directories joined by '_', e.g.
# kernel.elf.p/drivers_serial_pl011.c.o).
SUBSYSTEMS = [
    ('tests', r'(^|_)tests?_|_test\.c|ktest'),
    ('bench', r'(^|_)bench_'),
    ('app', r'(^|/)app_'),            # the application (CONFIG_APP: app/<name>/)
    ('sched', r'kernel_(sched|sched_balance|thread|wait)\.c|arch_[a-z0-9]+_(switch\.S|thread\.c)'),
    ('sync', r'kernel_(mutex|semaphore|msgq|spinlock|completion|event|flags)[a-z_]*\.c'),
    ('timers', r'kernel_(time|timer|clock|sw_timer)[a-z_]*\.c|drivers_timer_'),
    ('uart', r'drivers_serial_|drivers_tty_'),
    ('irq', r'kernel_irq\.c|drivers_irqchip_|arch_[a-z0-9]+_vectors\.S'),
    ('faults', r'arch_[a-z0-9]+_(trap\.c|extable\.S)|kernel_trap\.c'),
    ('printk', r'kernel_(printk|panic|console_input)\.c|lib_printf\.c'),
    ('heap', r'mm_heap\.c|mm_slab\.c'),
    ('drivers', r'drivers_base_'),
    # The compiler's helpers: libgcc's, or the port's own (aeabi_*).
    ('lib', r'lib_|libkstring|libgcc|libc\.a|libclang_rt|arch_[a-z0-9]+_aeabi_'),
    ('boot', r'arch_[a-z0-9]+_|kernel_(main|bootmem|cmdline|cpu)\.c'),
]
STACKS = ('.stack', '.irqstack')
FLASH_OUT = ('.text', '.rodata', '.vectors', '.boot2', '.ARM.exidx')
RAM_OUT = ('.data', '.bss')


# A string-literal section: .rodata.str1.1, or with -fdata-sections GCC's
# per function .rodata.<function>.str1.4.
STRING_SECTION = re.compile(r'^\.rodata\.([^.]+\.)?str\d+\.\d+$')


def subsystem(obj, section):
    # String literals (mostly printk formats): lld merges them all into
    # one synthetic section, so both linkers' are counted apart.
    if STRING_SECTION.match(section) or obj.startswith('<internal>'):
        return 'strings'
    for name, pattern in SUBSYSTEMS:
        if re.search(pattern, obj):
            return name
    return 'other'


def is_gnu(lines):
    return any(l.startswith('Linker script and memory map') for l in lines)


def is_lld(lines):
    return bool(lines) and re.match(r'^\s*VMA\s+LMA\s+Size\s+Align\s+Out', lines[0])


def parse_gnu(lines):
    """(output section, input section, size, object) from a GNU ld map."""
    start = next(i for i, l in enumerate(lines) if l.startswith('Linker script and memory map'))
    out, pending, placed = None, None, []
    for line in lines[start + 1:]:
        m = re.match(r'^(\.[^\s]+)(\s+0x[0-9a-f]+\s+0x([0-9a-f]+).*)?$', line)
        if m:
            out = m.group(1)		# long names leave the figures to the next line
            if m.group(3):
                yield out, None, int(m.group(3), 16), None
            continue
        m = re.match(r'^ (\.[^\s]+|COMMON)\s*$', line)
        if m:
            pending = m.group(1)
            continue
        m = re.match(r'^ (\.[^\s]+|COMMON|\*fill\*)?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)(\s+(\S.*))?$',
                     line)
        if m and out and (m.group(1) or pending):
            name = m.group(1) or pending
            pending = None
            obj = 'padding' if name == '*fill*' else (m.group(5) or '').strip()
            placed.append((out, int(m.group(2), 16), int(m.group(3), 16), name, obj))
    # Merged string sections keep their input sizes in the map but share
    # bytes: charge each only up to where the next one starts.
    placed.sort(key=lambda r: (r[0], r[1]))
    for i, (out, addr, size, name, obj) in enumerate(placed):
        if i + 1 < len(placed) and placed[i + 1][0] == out and size:
            size = max(0, min(size, placed[i + 1][1] - addr))
        yield out, name, size, obj


def parse_lld(lines):
    """The same from an lld map: VMA LMA Size Align Out In Symbol columns."""
    out = None
    for line in lines[1:]:
        m = re.match(r'^\s*[0-9a-f]+\s+[0-9a-f]+\s+([0-9a-f]+)\s+\d+\s(\s*)(\S.*)$', line)
        if not m:
            continue
        size, indent, what = int(m.group(1), 16), len(m.group(2)), m.group(3)
        if indent == 0:
            out = what
            yield out, None, size, None
        elif indent <= 8 and out:
            m2 = re.match(r'^(.*):\((\S+)\)$', what)
            if m2:
                yield out, m2.group(2), size, m2.group(1)
            elif what.startswith('<internal>'):
                yield out, what, size, '<internal>'


def main():
    args = sys.argv[1:]
    goals = []
    thread_goal = None
    if '--thread-goal' in args:
        i = args.index('--thread-goal')
        thread_goal = int(args[i + 1], 0)
        del args[i:i + 2]
    while '--goal' in args:
        i = args.index('--goal')
        names, limit, *ram_limit = args[i + 1].split(':')
        goals.append((names.split(','), int(limit, 0),
                      int(ram_limit[0], 0) if ram_limit else None))
        del args[i:i + 2]
    footprint = None
    if '--footprint' in args:
        i = args.index('--footprint')
        footprint = args[i + 1]
        del args[i:i + 2]
    path, out_path = args
    with open(path) as f:
        lines = f.read().splitlines()
    if is_lld(lines):
        rows = parse_lld(lines)
    elif is_gnu(lines):
        rows = parse_gnu(lines)
    else:
        sys.exit('%s: neither a GNU ld nor an lld map' % path)

    flash, ram, stacks, out_size, charged = {}, {}, {}, {}, {}
    thread_size = None
    for out, name, size, obj in rows:
        if name is None:		# an output section's own size
            out_size[out] = size
            continue
        if BOOT_THREAD.match(name):
            thread_size = size
        charged[out] = charged.get(out, 0) + size
        if not size:
            continue
        sub = subsystem(obj, name) if obj != 'padding' else 'padding'
        if out in STACKS:
            pass
        elif out.startswith(FLASH_OUT):
            flash[sub] = flash.get(sub, 0) + size
        elif out.startswith(RAM_OUT):
            ram[sub] = ram.get(sub, 0) + size
            if out.startswith('.data'):
                flash[sub] = flash.get(sub, 0) + size	# its image in flash
    # What the map shows as no input section's (alignment, reservations).
    for out, size in out_size.items():
        gap = size - charged.get(out, 0)
        if out in STACKS:
            stacks[out] = size
        elif gap and out.startswith(FLASH_OUT):
            flash['padding'] = flash.get('padding', 0) + gap
        elif gap and out.startswith(RAM_OUT):
            ram['padding'] = ram.get('padding', 0) + gap
            if out.startswith('.data'):
                flash['padding'] = flash.get('padding', 0) + gap
    names = sorted(set(flash) | set(ram), key=lambda s: (-flash.get(s, 0), s))
    report = ['%-10s %8s %8s' % ('subsystem', 'flash', 'RAM')]
    for s in names:
        report.append('%-10s %8d %8d' % (s, flash.get(s, 0), ram.get(s, 0)))
    report.append('%-10s %8d %8d' % ('total', sum(flash.values()), sum(ram.values())))
    report.append('stacks reserved: %s' % (', '.join('%s %d' % kv for kv in sorted(stacks.items()))
                                           or 'none'))
    failed = False
    for subs, limit, ram_limit in goals:
        for what, total, limit in (('flash', sum(flash.get(s, 0) for s in subs), limit),
                                   ('static RAM', sum(ram.get(s, 0) for s in subs), ram_limit)):
            if limit is None:
                continue
            failed |= total > limit
            report.append('goal: %s %s %d bytes, at most %d: %s' % (
                ' + '.join(subs), what, total, limit, 'met' if total <= limit else 'MISSED'))
    if thread_goal is not None:
        if thread_size is None:
            failed = True
            report.append('goal: per thread: no .bss.boot_thread section in the map')
        else:
            block = -(-thread_size // HEAP_GRANULE) * HEAP_GRANULE
            failed |= block > thread_goal
            report.append('goal: per thread %d bytes (struct thread %d in its stack\'s heap block), '
                          'at most %d: %s' % (block, thread_size, thread_goal,
                                              'met' if block <= thread_goal else 'MISSED'))
    if footprint:
        failed |= not reconciles(footprint, sum(flash.values()), sum(ram.values()), report)
    text = '\n'.join(report) + '\n'
    with open(out_path, 'w') as f:
        f.write(text)
    sys.stdout.write(text)
    sys.exit(1 if failed else 0)


def reconciles(path, flash, ram, report):
    """The totals against footprint.txt's flash and its .data + .bss."""
    with open(path) as f:
        text = f.read()
    image = re.search(r'flash\s+(\d+) bytes', text)
    data = re.search(r'\.data (\d+)', text.split('RAM', 1)[-1])
    bss = re.search(r'\.bss (\d+)', text)
    if not (image and data and bss):
        report.append('footprint: %s: no flash, .data and .bss sizes' % path)
        return False
    want_flash, want_ram = int(image.group(1)), int(data.group(1)) + int(bss.group(1))
    ok = (flash, ram) == (want_flash, want_ram)
    report.append('footprint: flash %d (image %d), RAM %d (.data + .bss %d): %s' % (
        flash, want_flash, ram, want_ram, 'reconciled' if ok else 'MISMATCH'))
    return ok


if __name__ == '__main__':
    main()
