#!/usr/bin/python3
# Builds the initramfs of the real system (<builddir>/user/initramfs.cpio):
# Debian's static busybox at /bin/busybox with a hard link per applet (as
# Debian's initramfs-tools links them), the skeleton tree (user/rootfs:
# /init, /etc, the test runner), the empty mount points, and the given
# programs under /usr/lib/kite-tests/.
#
#   mkinitramfs.py --busybox .deps/busybox-arm64/bin/busybox --arch aarch64
#                  --skeleton user/rootfs --console-tty ttyAMA0
#                  --programs user/tests/kite-tests ... --output initramfs.cpio
#                  [--depfile initramfs.cpio.d] [--cpio /usr/bin/cpio]
#                  [--tree SRC=DEST ...]
#
# --tree copies the directory SRC (symlinks as symlinks) to /DEST in the
# image, over the skeleton (tests/busybox adds busybox's test suite so).
# The applet list comes from the binary itself (busybox --list-full), run
# directly when it is the build machine's architecture, else through QEMU's
# user-mode emulator (qemu-user-static, installed by scripts/setup-host.sh).
# Archive 1 is made by the real GNU cpio (newc) from a tree under
# <output>.tree with fixed owners (root) and times; archive 2, appended and
# written here, holds /dev/console (c 5 1) as Linux's own default initramfs
# does: Linux opens it for init before anything mounts devtmpfs, while Kite
# mounts devtmpfs over /dev (hiding it).
import argparse
import os
import shutil
import stat
import subprocess
import sys

MTIME = 1700000000
DIRS = {                 # besides what the skeleton has: mode
    'bin': 0o755, 'sbin': 0o755, 'usr': 0o755, 'usr/bin': 0o755, 'usr/sbin': 0o755,
    'usr/lib': 0o755, 'usr/lib/kite-tests': 0o755, 'etc': 0o755,
    'dev': 0o755, 'proc': 0o555, 'sys': 0o555, 'tmp': 0o1777, 'root': 0o700,
    'mnt': 0o755, 'run': 0o755, 'var': 0o755,
}
ELF_MACHINE = {'aarch64': 183, 'x86_64': 62, 'i386': 3}
QEMU = {'aarch64': 'aarch64', 'x86_64': 'x86_64', 'i386': 'i386'}
HOST_ARCH = {'x86_64': 'x86_64', 'aarch64': 'aarch64', 'i686': 'i386', 'i386': 'i386'}


def elf_machine(path):
    with open(path, 'rb') as f:
        head = f.read(20)
    if head[:4] != b'\x7fELF':
        raise SystemExit('%s: not an ELF file' % path)
    return int.from_bytes(head[18:20], 'little')


def list_applets(busybox, arch):
    """busybox --list-full, run natively or under qemu-<arch>(-static)."""
    cmd = [busybox, '--list-full']
    if HOST_ARCH.get(os.uname().machine) != arch:
        for name in ('qemu-%s-static' % QEMU[arch], 'qemu-%s' % QEMU[arch]):
            qemu = shutil.which(name)
            if qemu:
                cmd = [qemu, busybox, '--list-full']
                break
        else:
            raise SystemExit('cannot run the %s busybox here to list its applets: '
                             'install qemu-user-static (scripts/setup-host.sh does)' % arch)
    out = subprocess.run(cmd, capture_output=True, text=True)
    applets = [line.strip() for line in out.stdout.splitlines() if line.strip()]
    if out.returncode != 0 or len(applets) < 50:
        raise SystemExit('%s --list-full failed (%d): %s' % (' '.join(cmd), out.returncode,
                                                             out.stderr.strip()))
    return applets


def build_tree(args, root):
    if os.path.lexists(root):
        shutil.rmtree(root)
    shutil.copytree(args.skeleton, root, symlinks=True)
    for src, dest in args.tree:
        shutil.copytree(src, os.path.join(root, dest), symlinks=True, dirs_exist_ok=True)
    for rel, mode in DIRS.items():
        os.makedirs(os.path.join(root, rel), exist_ok=True)
        os.chmod(os.path.join(root, rel), mode)
    # The board's serial port, for /init when nothing else names the console.
    init = os.path.join(root, 'init')
    with open(init) as f:
        text = f.read()
    with open(init, 'w') as f:
        f.write(text.replace('@CONSOLE_TTY@', args.console_tty))
    bb = os.path.join(root, 'bin/busybox')
    shutil.copyfile(args.busybox, bb)
    os.chmod(bb, 0o755)
    for applet in list_applets(args.busybox, args.arch):
        rel = applet.lstrip('/')
        if rel in ('bin/busybox', 'linuxrc') or '..' in rel.split('/'):
            continue
        path = os.path.join(root, rel)
        if os.path.lexists(path):
            continue            # the skeleton's own file wins
        os.makedirs(os.path.dirname(path), exist_ok=True)
        os.link(bb, path)
    for prog in args.programs:
        dest = os.path.join(root, 'usr/lib/kite-tests', os.path.basename(prog))
        shutil.copyfile(prog, dest)
        os.chmod(dest, 0o755)
    # Modes of the skeleton's files as git keeps them (0755 or 0644).
    for dirpath, dirnames, filenames in os.walk(root):
        for name in filenames:
            p = os.path.join(dirpath, name)
            if not os.path.islink(p) and os.stat(p).st_nlink == 1:
                os.chmod(p, 0o755 if os.stat(p).st_mode & 0o111 else 0o644)


def tree_paths(root):
    paths = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            paths.append(os.path.relpath(os.path.join(dirpath, name), root))
    return ['.'] + sorted(paths, key=lambda p: p.encode())


def console_archive():
    """A newc archive with /dev/console (character 5:1, 0600), padded to 512."""
    out = bytearray()
    for ino, (name, mode, rdev) in enumerate([('dev/console', stat.S_IFCHR | 0o600, (5, 1))]):
        nb = name.encode() + b'\0'
        fields = [0x20000 + ino, mode, 0, 0, 1, MTIME, 0, 0, 0, rdev[0], rdev[1], len(nb), 0]
        out += b'070701' + b''.join(b'%08X' % v for v in fields) + nb
        out += bytes(-len(out) % 4)
    nb = b'TRAILER!!!\0'
    out += b'070701' + b''.join(b'%08X' % v for v in [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, len(nb), 0]) + nb
    out += bytes(-len(out) % 4)
    out += bytes(-len(out) % 512)
    return bytes(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--busybox', required=True)
    ap.add_argument('--arch', required=True, choices=sorted(ELF_MACHINE))
    ap.add_argument('--skeleton', required=True)
    ap.add_argument('--console-tty', required=True)
    ap.add_argument('--programs', nargs='*', default=[])
    ap.add_argument('--output', required=True)
    ap.add_argument('--depfile')
    ap.add_argument('--cpio', default='cpio')
    ap.add_argument('--tree', action='append', default=[], metavar='SRC=DEST')
    args = ap.parse_args()
    trees = []
    for t in args.tree:
        src, sep, dest = t.partition('=')
        dest = dest.strip('/')
        if not sep or not os.path.isdir(src) or not dest or '..' in dest.split('/'):
            raise SystemExit('--tree %s: want an existing SRC directory=DEST path' % t)
        trees.append((src, dest))
    args.tree = trees

    for path in [args.busybox] + args.programs:
        if elf_machine(path) != ELF_MACHINE[args.arch]:
            raise SystemExit('%s: ELF machine %d, not %s' % (path, elf_machine(path), args.arch))
    root = args.output + '.tree'
    build_tree(args, root)
    paths = tree_paths(root)
    for rel in paths:
        os.utime(os.path.join(root, rel), (MTIME, MTIME), follow_symlinks=False)

    help_text = subprocess.run([args.cpio, '--help'], capture_output=True, text=True).stdout
    repro = ['--reproducible'] if '--reproducible' in help_text else []
    cpio = subprocess.run([args.cpio, '-o', '-H', 'newc', '-0', '-R', '0:0', '--quiet'] + repro,
                          cwd=root, input=b''.join(p.encode() + b'\0' for p in paths),
                          capture_output=True)
    if cpio.returncode != 0 or not cpio.stdout:
        raise SystemExit('cpio failed (%d): %s' % (cpio.returncode, cpio.stderr.decode()))
    tmp = args.output + '.tmp'
    with open(tmp, 'wb') as f:
        f.write(cpio.stdout + console_archive())
    os.replace(tmp, args.output)

    if args.depfile:
        deps = [os.path.abspath(__file__), os.path.abspath(args.busybox)]
        deps += [os.path.abspath(p) for p in args.programs]
        for dirpath, dirnames, filenames in [w for d in [args.skeleton] + [t[0] for t in args.tree]
                                             for w in os.walk(d)]:
            deps.append(os.path.abspath(dirpath))
            deps += [os.path.abspath(os.path.join(dirpath, f)) for f in filenames]
        with open(args.depfile, 'w') as f:
            f.write('%s: %s\n' % (args.output.replace(' ', '\\ '),
                                  ' \\\n '.join(d.replace(' ', '\\ ') for d in deps)))


if __name__ == '__main__':
    sys.exit(main())
