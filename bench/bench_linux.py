#!/usr/bin/python3
# Kite against Linux on the same emulated machine (issue 10 item 7,
# docs/bench.md): boots Debian bookworm's own kernel and this build's Kite
# kernel in the same QEMU machine and CPU model, one CPU, under
# "-icount shift=0,sleep=off" (one nanosecond of virtual time per guest
# instruction: kbench's ns/op are instructions per operation, and repeat),
# each with a tiny initramfs whose /init is kbench (bench/kbench.c), and
# prints per row Linux's figure, Kite's and the ratio Kite/Linux.  Writes
# bench-linux.csv, bench-linux.md, bench-linux.png (matplotlib, if
# installed) and both consoles' logs into --outdir.
#
# Debian's kernel (linux-image-<flavour> of bookworm: arm64, amd64, 686-pae)
# is downloaded once with a private apt state, as scripts/setup-host.sh does
# for libfdt, and only its /boot (vmlinuz, config) kept under
# <deps>/linux-<flavour>/.
#
#   ninja -C build/virt bench-linux          (the Meson run target)
#   bench_linux.py --arch aarch64 --kernel build/virt/Image
#       --kbench build/virt/bench/kbench --tiny build/virt/bench/kbench-tiny
#       --qemu qemu-system-aarch64 --machine-arg=-machine --machine-arg=virt ...
#       --outdir build/virt/bench --deps .deps [--timeout 600]
#       [--only linux|kite] [--linux-append "mitigations=off"] [--rows "getppid ..."]
import argparse
import csv
import datetime
import glob
import os
import re
import shutil
import subprocess
import sys
import time

# Debian's flavour and package architecture, the serial console's name.
ARCH = {
    'aarch64': {'flavour': 'arm64', 'debarch': 'arm64', 'console': 'ttyAMA0'},
    'x86_64': {'flavour': 'amd64', 'debarch': 'amd64', 'console': 'ttyS0'},
    # Kite's i386 port pages with PAE (docs/x86.md): Debian's PAE kernel.
    'i386': {'flavour': '686-pae', 'debarch': 'i386', 'console': 'ttyS0'},
}
RELEASE = 'bookworm'
MIRROR = 'http://deb.debian.org/debian'
KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg'
ICOUNT = ['-icount', 'shift=0,sleep=off']
ROW_RE = re.compile(r'kbench (\S+) (\S+)(?: (\S+))?(?: (\S+))?(?: (\S+))?\s*$')


def log(msg):
    print('bench-linux: ' + msg, file=sys.stderr, flush=True)


# ------------------------------------------------------------ Debian's kernel

def apt_opts(work, debarch):
    return ['-q', '-o', 'APT::Architecture=' + debarch, '-o', 'APT::Architectures::=' + debarch,
            '-o', 'Dir::Etc::SourceList=' + os.path.join(work, 'sources.list'),
            '-o', 'Dir::Etc::SourceParts=' + os.path.join(work, 'sources.list.d'),
            '-o', 'Dir::State::Lists=' + os.path.join(work, 'lists'),
            '-o', 'Dir::Cache=' + os.path.join(work, 'cache'),
            '-o', 'Dir::State::status=/dev/null', '-o', 'Debug::NoLocking=1']


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        raise SystemExit('bench-linux: %s failed (%d):\n%s%s' % (' '.join(cmd), r.returncode,
                                                                r.stdout, r.stderr))
    return r.stdout


def debian_kernel(deps, arch):
    """The cached vmlinuz of Debian's kernel for arch (downloaded once)."""
    a = ARCH[arch]
    dest = os.path.join(deps, 'linux-' + a['flavour'])
    found = sorted(glob.glob(os.path.join(dest, 'boot', 'vmlinuz-*')))
    if found and os.path.isfile(os.path.join(dest, 'VERSION')):
        return found[-1], open(os.path.join(dest, 'VERSION')).read().split('\n')[0]
    for tool in ('apt-get', 'apt-cache', 'dpkg-deb', 'tar'):
        if not shutil.which(tool):
            raise SystemExit('bench-linux: %s is needed to fetch Debian\'s kernel' % tool)
    work = os.path.join(deps, 'apt-linux-' + a['flavour'])
    shutil.rmtree(work, ignore_errors=True)
    for d in ('lists/partial', 'cache/archives/partial', 'sources.list.d'):
        os.makedirs(os.path.join(work, d))
    with open(os.path.join(work, 'sources.list'), 'w') as f:
        f.write('deb [signed-by=%s] %s %s main\n' % (KEYRING, MIRROR, RELEASE))
    opts = apt_opts(work, a['debarch'])
    log('fetching Debian %s\'s linux-image-%s (private apt state in %s)' %
        (RELEASE, a['flavour'], work))
    run(['apt-get'] + opts + ['update'])
    # The metapackage names the versioned image package.
    meta = 'linux-image-%s:%s' % (a['flavour'], a['debarch'])
    show = run(['apt-cache'] + opts + ['show', meta])
    m = re.search(r'^Depends:.*?(linux-image-[0-9][^ ,]*-%s)\b' % re.escape(a['flavour']),
                  show, re.M)
    if not m:
        raise SystemExit('bench-linux: no kernel package in %s\'s Depends:\n%s' % (meta, show))
    pkg = m.group(1)
    run(['apt-get'] + opts + ['download', '%s:%s' % (pkg, a['debarch'])], cwd=work)
    debs = glob.glob(os.path.join(work, pkg + '_*_' + a['debarch'] + '.deb'))
    if len(debs) != 1:
        raise SystemExit('bench-linux: expected one %s .deb in %s' % (pkg, work))
    deb = debs[0]
    tmp = dest + '.tmp'
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    # Only /boot (vmlinuz, config, System.map): not the modules.
    tarball = subprocess.Popen(['dpkg-deb', '--fsys-tarfile', deb], stdout=subprocess.PIPE)
    subprocess.run(['tar', '-x', '-C', tmp, '--wildcards', './boot/*'], stdin=tarball.stdout,
                   check=True)
    if tarball.wait() != 0:
        raise SystemExit('bench-linux: dpkg-deb --fsys-tarfile %s failed' % deb)
    version = run(['dpkg-deb', '-f', deb, 'Version']).strip()
    with open(os.path.join(tmp, 'VERSION'), 'w') as f:
        f.write('%s %s %s\n' % (pkg, version, a['debarch']))
    shutil.rmtree(dest, ignore_errors=True)
    os.rename(tmp, dest)
    shutil.rmtree(work, ignore_errors=True)
    found = sorted(glob.glob(os.path.join(dest, 'boot', 'vmlinuz-*')))
    if not found:
        raise SystemExit('bench-linux: %s has no /boot/vmlinuz-*' % os.path.basename(deb))
    log('unpacked %s\'s /boot into %s' % (os.path.basename(deb), dest))
    return found[-1], open(os.path.join(dest, 'VERSION')).read().split('\n')[0]


# ------------------------------------------------------------ the initramfs

def cpio_newc(entries):
    """A newc archive of (name, mode, data, rdev major, minor) entries."""
    out = bytearray()
    ino = 1

    def pad4():
        out.extend(b'\0' * (-len(out) % 4))
    for name, mode, data, rmaj, rmin in entries + [('TRAILER!!!', 0, b'', 0, 0)]:
        nameb = name.encode() + b'\0'
        fields = [ino, mode, 0, 0, 1, 1700000000, len(data), 0, 0, rmaj, rmin, len(nameb), 0]
        out.extend(b'070701' + b''.join(b'%08X' % v for v in fields))
        out.extend(nameb)
        pad4()
        out.extend(data)
        pad4()
        ino += 1
    return bytes(out)


def make_initramfs(path, kbench, tiny):
    def file(p):
        with open(p, 'rb') as f:
            return f.read()
    entries = [
        ('dev', 0o040755, b'', 0, 0),
        ('dev/console', 0o020600, b'', 5, 1),   # Linux opens it for init
        ('proc', 0o040555, b'', 0, 0),
        ('tmp', 0o041777, b'', 0, 0),           # kbench mounts a tmpfs there
        ('init', 0o100755, file(kbench), 0, 0),
        ('kbench-tiny', 0o100755, file(tiny), 0, 0),
    ]
    with open(path, 'wb') as f:
        f.write(cpio_newc(entries))


# ------------------------------------------------------------ the runs

def boot(name, cmd, timeout, logpath):
    """Runs QEMU to its power-off; returns the rows kbench printed."""
    log('%s: %s' % (name, ' '.join(cmd)))
    t0 = time.monotonic()
    # The console goes straight to the log: it can be followed while the
    # run lasts, and what came before a timeout stays.
    with open(logpath, 'wb') as f:
        try:
            status = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=f,
                                    stderr=subprocess.STDOUT, timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            status = None
    with open(logpath, 'rb') as f:
        text = f.read().decode('utf-8', 'replace')
    rows, header, done = {}, '', False
    for line in text.splitlines():
        i = line.find('kbench ')
        if i < 0:
            continue
        m = ROW_RE.match(line[i:].rstrip('\r'))
        if not m:
            continue
        row, first = m.group(1), m.group(2)
        if row == 'start':
            header = ' '.join(g for g in m.groups()[1:] if g)
        elif row == 'done':
            done = True
        elif first in ('unsupported', 'failed'):
            rows[row] = {'ns': None, 'note': '%s %s' % (first, m.group(3) or '')}
        else:
            try:
                rows[row] = {'ns': float(first), 'iters': int(m.group(3) or 0),
                             'min': float(m.group(4) or first), 'max': float(m.group(5) or first),
                             'note': ''}
            except ValueError:
                continue
    took = time.monotonic() - t0
    if status is None:
        log('%s: QEMU killed after %d s (log: %s)' % (name, timeout, logpath))
    elif not done:
        log('%s: QEMU exited (%d) before "kbench done" (log: %s)' % (name, status, logpath))
    else:
        log('%s: %d rows in %.0f s (%s)' % (name, len(rows), took, header))
    return {'rows': rows, 'uname': header, 'complete': done and status is not None}


def qemu_version(qemu):
    try:
        out = subprocess.run([qemu, '--version'], capture_output=True, text=True).stdout
        return out.split('\n')[0].replace('QEMU emulator version ', '')
    except OSError:
        return '?'


def git_commit(path):
    try:
        return subprocess.run(['git', '-C', path, 'describe', '--always', '--dirty'],
                              capture_output=True, text=True).stdout.strip() or '?'
    except OSError:
        return '?'


def fmt(r):
    if r is None:
        return 'missing'
    if r['ns'] is None:
        return r['note']
    return '%.0f' % r['ns']


def table(arch, order, linux, kite):
    """[(row, linux, kite, ratio or None)] over the rows either printed."""
    out = []
    for row in order:
        lr, kr = linux['rows'].get(row), kite['rows'].get(row)
        ratio = None
        if lr and kr and lr['ns'] and kr['ns'] is not None:
            ratio = kr['ns'] / lr['ns']
        out.append((row, lr, kr, ratio))
    return out


def write_outputs(args, meta, rows):
    base = os.path.join(args.outdir, 'bench-linux')
    # Terminal
    w = max([len(r[0]) for r in rows] + [4])
    print('\n%s: instructions per operation (-icount shift=0), Linux %s vs Kite %s' %
          (args.arch, meta['linux_pkg'], meta['kite_commit']))
    print('%-*s %14s %14s %8s' % (w, 'row', 'Linux', 'Kite', 'Kite/Linux'))
    for row, lr, kr, ratio in rows:
        print('%-*s %14s %14s %8s' % (w, row, fmt(lr), fmt(kr),
                                      '%.2f' % ratio if ratio is not None else '-'))
    # CSV
    with open(base + '.csv', 'w', newline='') as f:
        c = csv.writer(f)
        c.writerow(['arch', 'row', 'linux_ns_per_op', 'kite_ns_per_op', 'kite_over_linux',
                    'linux_note', 'kite_note'])
        for row, lr, kr, ratio in rows:
            c.writerow([args.arch, row,
                        '%.1f' % lr['ns'] if lr and lr['ns'] is not None else '',
                        '%.1f' % kr['ns'] if kr and kr['ns'] is not None else '',
                        '%.3f' % ratio if ratio is not None else '',
                        (lr or {}).get('note', 'missing'), (kr or {}).get('note', 'missing')])
    # Markdown
    with open(base + '.md', 'w') as f:
        f.write('### %s\n\n' % args.arch)
        f.write('%s; QEMU %s `%s`, one CPU, `%s`; Linux: Debian `%s` (%s); Kite: %s.\n\n' %
                (meta['date'], meta['qemu'], ' '.join(meta['machine']), ' '.join(ICOUNT),
                 meta['linux_pkg'], meta['linux_uname'], meta['kite_commit']))
        f.write('| row | Linux (ins/op) | Kite (ins/op) | Kite/Linux |\n')
        f.write('| --- | ---: | ---: | ---: |\n')
        for row, lr, kr, ratio in rows:
            flag = ' **>0.5**' if ratio is not None and ratio > 0.5 else ''
            f.write('| %s | %s | %s | %s%s |\n' % (row, fmt(lr), fmt(kr),
                                                   '%.2f' % ratio if ratio is not None else '-',
                                                   flag))
    log('wrote %s.csv and %s.md' % (base, base))
    plot(args, meta, rows, base + '.png')


def plot(args, meta, rows, path):
    try:
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
    except ImportError:
        log('no matplotlib: no plot (apt-get install python3-matplotlib)')
        return
    names = [r[0] for r in rows]
    lin = [r[1]['ns'] if r[1] and r[1]['ns'] else 0 for r in rows]
    kit = [r[2]['ns'] if r[2] and r[2]['ns'] else 0 for r in rows]
    x = list(range(len(names)))
    fig, (ax, rx) = plt.subplots(2, 1, figsize=(11, 8), sharex=True,
                                 gridspec_kw={'height_ratios': [3, 2]})
    uname = meta['linux_uname'].split(' ')
    ax.bar([i - 0.2 for i in x], lin, 0.4, color='#4c72b0',
           label='Linux ' + uname[1] if len(uname) > 1 else 'Linux')
    ax.bar([i + 0.2 for i in x], kit, 0.4, color='#dd8452', label='Kite')
    ax.set_yscale('log')
    ax.set_ylabel('instructions per operation')
    for i, (_, lr, kr, _) in enumerate(rows):
        for r, dx in ((lr, -0.2), (kr, 0.2)):
            if r and r['ns'] is None:
                ax.text(i + dx, 1.5, r['note'].replace('unsupported ', ''), rotation=90,
                        ha='center', va='bottom', fontsize=7)
    values = [v for v in lin + kit if v]
    ax.set_ylim(bottom=1, top=max(values + [10]) * 3)
    ax.set_title('%s: Debian\'s Linux and Kite on QEMU %s, -icount shift=0' %
                 (args.arch, meta['qemu'].split(' ')[0]))
    ax.legend(loc='upper left')
    ratios = [r[3] if r[3] is not None else 0 for r in rows]
    colors = ['#55a868' if v and v <= 0.5 else '#c44e52' for v in ratios]
    rx.bar(x, ratios, 0.6, color=colors)
    rx.axhline(0.5, color='black', linestyle='--', linewidth=1, label='goal: half of Linux')
    rx.axhline(1.0, color='grey', linestyle=':', linewidth=1, label='Linux')
    for i, v in enumerate(ratios):
        rx.text(i, v, '%.2f' % v if v else 'n/a', ha='center', va='bottom', fontsize=8)
    rx.set_ylabel('Kite / Linux')
    rx.set_ylim(0, max(ratios + [1.2]) * 1.15)
    rx.legend(loc='upper left', fontsize=8)
    rx.set_xticks(x)
    rx.set_xticklabels(names, rotation=30, ha='right')
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    log('wrote ' + path)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('--arch', required=True, choices=sorted(ARCH))
    p.add_argument('--kernel', required=True, help="Kite's boot image (Image, kernel.elf)")
    p.add_argument('--kbench', required=True)
    p.add_argument('--tiny', required=True)
    p.add_argument('--qemu', required=True)
    p.add_argument('--machine-arg', action='append', default=[],
                   help="the board's QEMU machine arguments, one per option")
    p.add_argument('--outdir', required=True)
    p.add_argument('--deps', required=True, help='the cache of Debian files (.deps)')
    p.add_argument('--timeout', type=int, default=600, help='seconds per QEMU run')
    p.add_argument('--only', choices=['linux', 'kite'])
    p.add_argument('--linux-append', default='')
    p.add_argument('--kite-append', default='')
    p.add_argument('--kite-config', default='', help='the build\'s defconfig and fragments')
    p.add_argument('--rows', default='', help='kbench rows to run (default: all)')
    args = p.parse_args()

    a = ARCH[args.arch]
    os.makedirs(args.outdir, exist_ok=True)
    src = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    meta = {'date': datetime.date.today().isoformat(), 'qemu': qemu_version(args.qemu),
            'machine': args.machine_arg,
            'kite_commit': git_commit(src) + (' (%s)' % args.kite_config if args.kite_config else ''),
            'linux_pkg': '-', 'linux_uname': '-'}
    cpio = os.path.join(args.outdir, 'bench-initramfs.cpio')
    make_initramfs(cpio, args.kbench, args.tiny)
    qemu = [args.qemu] + args.machine_arg + ['-smp', '1'] + ICOUNT + ['-initrd', cpio]
    # Arguments after "--" go to /init on both kernels.
    init_args = (' -- ' + args.rows) if args.rows else ''
    results = {}
    empty = {'rows': {}, 'uname': '-', 'complete': False}
    if args.only != 'kite':
        vmlinuz, pkg = debian_kernel(args.deps, args.arch)
        meta['linux_pkg'] = pkg.split(' ')[0] + ' ' + pkg.split(' ')[1] if ' ' in pkg else pkg
        cmdline = 'console=%s rdinit=/init quiet panic=-1 %s' % (a['console'], args.linux_append)
        results['linux'] = boot('linux', qemu + ['-kernel', vmlinuz, '-append',
                                                 cmdline.strip() + init_args],
                                args.timeout, os.path.join(args.outdir, 'bench-linux-console-linux.log'))
        meta['linux_uname'] = results['linux']['uname']
    if args.only != 'linux':
        cmdline = 'console=%s rdinit=/init quiet %s' % (a['console'], args.kite_append)
        results['kite'] = boot('kite', qemu + ['-kernel', args.kernel, '-append',
                                               cmdline.strip() + init_args],
                               args.timeout, os.path.join(args.outdir, 'bench-linux-console-kite.log'))
    linux, kite = results.get('linux', empty), results.get('kite', empty)
    order = []       # kbench's order, whichever kernel printed the row
    for r in list(linux['rows']) + list(kite['rows']):
        if r not in order:
            order.append(r)
    write_outputs(args, meta, table(args.arch, order, linux, kite))
    ok = all(res['complete'] for res in results.values())
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
