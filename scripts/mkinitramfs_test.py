#!/usr/bin/python3
# Builds the test initramfs of the in-kernel tests: two concatenated cpio
# archives and, inside the first, /initramfs-manifest, the list of what
# the unpacked tree must show.
#
#   mkinitramfs_test.py --src tests/initramfs/root --output initramfs-test.cpio
#                       [--depfile initramfs-test.cpio.d] [--cpio /usr/bin/cpio]
#
# Archive 1 is made by the real GNU cpio (-o -H newc, the way initramfs
# images are made) from a copy of --src in <output>.tree, to which this
# script adds what git cannot keep: modes (0600, 0751, 04755, 01777),
# hard links, an empty file and directory, a 3 MiB file, symlinks of each
# kind, a deep path, a 255-byte name, and fixed mtimes.  Archive 2 is
# written here in the crc format (070702), since cpio can take device
# nodes only from a tree that root made: a character and a block device
# and a FIFO owned by users other than root, and one more regular file.
# Its names start with "./", "/" or neither, as different tools write them.
#
# The manifest has one line per entry (after a '#' comment line):
#   <type> <mode> <uid> <gid> <nlink> <size> <mtime> <crc32> <path> [<extra>]
# type f d l c b p; mode in octal with the type bits (100644); nlink as
# tmpfs shows it (directories: 2 + subdirectories); size '-' for
# directories, the target's length for symlinks, 0 for devices and FIFOs;
# crc32 (zlib's, 8 hex digits) of a regular file's data, else '-'; path
# from '/'; extra is a symlink's target or a device's major:minor.  The
# manifest lists itself with its true size and crc32 '-'.  No path or
# target has a space.

import argparse
import binascii
import os
import shutil
import stat
import subprocess
import sys
from array import array

MTIME_BASE = 1700000000

# What is added to the copied tree.  Paths are relative to its root.
MODES = {                       # besides 0755 directories, 0644/0755 files
    'etc/shadow': 0o600,
    'srv': 0o751,
    'bin/setuid-test': 0o4755,
    'tmp': 0o1777,
}
DIRS = ['tmp', 'empty-dir', 'links', 'links/sub', 'symlinks', 'data', 'long-names']
HARD_LINKS = ('links/original', ['links/second', 'links/sub/third'])
EMPTY_FILES = ['empty-file']
SYMLINKS = [                    # (path, target)
    ('symlinks/relative', '../etc/hostname'),
    ('symlinks/absolute', '/etc/hostname'),
    ('symlinks/dangling', 'does/not/exist'),
    ('symlinks/to-dir', '/usr/share'),
    ('symlinks/chain1', 'chain2'),
    ('symlinks/chain2', 'chain3'),
    ('symlinks/chain3', '../etc/hostname'),
]
BIG_FILE = ('data/big.bin', 3 * 1024 * 1024 + 123)
DEEP_DIR = 'deep/' + '/'.join('level%d' % i for i in range(1, 11))
LONG_NAME = 'long-names/' + 'n' * 251 + '.txt'      # 255 bytes
MANIFEST = 'initramfs-manifest'

# Archive 2: (name as written, mode, uid, gid, (major, minor), data).
ARCHIVE2 = [
    ('./dev-test', stat.S_IFDIR | 0o755, 0, 0, None, b''),
    ('/dev-test/null', stat.S_IFCHR | 0o666, 1001, 1002, (1, 3), b''),
    ('dev-test/sda1', stat.S_IFBLK | 0o660, 1003, 6, (8, 1), b''),
    ('./dev-test/fifo', stat.S_IFIFO | 0o620, 1004, 1005, None, b''),
    ('/etc/second-archive.txt', stat.S_IFREG | 0o640, 1006, 1007, None,
     b'This file comes from the second archive of the test initramfs\n'
     b'(070702, written by scripts/mkinitramfs_test.py).\n'),
]

TYPE_CHAR = {stat.S_IFREG: 'f', stat.S_IFDIR: 'd', stat.S_IFLNK: 'l',
             stat.S_IFCHR: 'c', stat.S_IFBLK: 'b', stat.S_IFIFO: 'p'}


def xorshift_bytes(n, seed=0x2545f491):
    """n deterministic pseudo-random bytes (xorshift32, little-endian words)."""
    words = array('I', bytes(4 * ((n + 3) // 4)))
    x = seed
    for i in range(len(words)):
        x ^= (x << 13) & 0xffffffff
        x ^= x >> 17
        x ^= (x << 5) & 0xffffffff
        words[i] = x
    if sys.byteorder == 'big':
        words.byteswap()
    return words.tobytes()[:n]


def build_tree(src, root):
    if os.path.lexists(root):
        shutil.rmtree(root)
    shutil.copytree(src, root, symlinks=True)
    for dirpath, dirnames, filenames in os.walk(root):
        for f in filenames:
            if os.path.islink(os.path.join(dirpath, f)):
                raise SystemExit('%s: the checked-in tree holds regular files only'
                                 % os.path.join(dirpath, f))

    def at(rel):
        return os.path.join(root, rel)

    for d in DIRS + [DEEP_DIR]:
        os.makedirs(at(d), mode=0o755, exist_ok=True)
    with open(at(HARD_LINKS[0]), 'w') as f:
        f.write('One file, three names in two directories.\n')
    for name in HARD_LINKS[1]:
        os.link(at(HARD_LINKS[0]), at(name))
    for name in EMPTY_FILES + [MANIFEST]:
        open(at(name), 'w').close()
    for path, target in SYMLINKS:
        os.symlink(target, at(path))
    with open(at(BIG_FILE[0]), 'wb') as f:
        f.write(xorshift_bytes(BIG_FILE[1]))
    with open(at(DEEP_DIR + '/bottom.txt'), 'w') as f:
        f.write('Ten directories down.\n')
    with open(at(LONG_NAME), 'w') as f:
        f.write('A name of 255 bytes, NAME_MAX.\n')
    assert len(os.path.basename(LONG_NAME)) == 255
    # Modes last, whatever the umask and the checkout gave: 0755 for
    # directories, 0755 or 0644 for files, then the special ones.
    os.chmod(root, 0o755)
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = os.path.join(dirpath, name)
            if not os.path.islink(p) and os.path.isdir(p):
                os.chmod(p, 0o755)
            elif not os.path.islink(p):
                os.chmod(p, 0o755 if os.stat(p).st_mode & 0o111 else 0o644)
    for rel, mode in MODES.items():
        os.chmod(at(rel), mode)


def tree_paths(root):
    """Relative paths, "." first, sorted as `find . | LC_ALL=C sort` sorts them."""
    paths = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            paths.append(os.path.relpath(os.path.join(dirpath, name), root))
    for p in paths:
        if any(c.isspace() for c in p):
            raise SystemExit('%r: no spaces in the test tree (the manifest splits on them)' % p)
    return ['.'] + sorted(paths, key=lambda p: p.encode())


def manifest_path(name):
    """A name as written in an archive, as the unpacked tree shows it."""
    while name.startswith('./'):
        name = name[2:]
    name = name.lstrip('/')
    return '/' + ('' if name == '.' else name)


def make_manifest(root, paths):
    """The manifest's lines, and the index of its own line."""
    entries = []        # [type, mode, uid, gid, nlink, size, mtime, crc, path, extra]
    for rel in paths:
        p = os.path.join(root, rel)
        st = os.lstat(p)
        fmt = stat.S_IFMT(st.st_mode)
        size, crc, extra = str(st.st_size), '-', None
        if fmt == stat.S_IFREG:
            with open(p, 'rb') as f:
                crc = '%08x' % binascii.crc32(f.read())
        elif fmt == stat.S_IFLNK:
            extra = os.readlink(p)
            size = str(len(extra.encode()))
        elif fmt == stat.S_IFDIR:
            size = '-'
        else:
            raise SystemExit('%s: unexpected file type in the test tree' % p)
        # Owner: cpio -R 0:0.  nlink of directories: filled in below.
        entries.append([TYPE_CHAR[fmt], st.st_mode, 0, 0, st.st_nlink, size,
                        int(st.st_mtime), crc, manifest_path(rel), extra])
    for i, (name, mode, uid, gid, rdev, data) in enumerate(ARCHIVE2):
        fmt = stat.S_IFMT(mode)
        entries.append([TYPE_CHAR[fmt], mode, uid, gid, 1,
                        '-' if fmt == stat.S_IFDIR else str(len(data)),
                        archive2_mtime(len(paths), i),
                        '%08x' % binascii.crc32(data) if fmt == stat.S_IFREG else '-',
                        manifest_path(name), '%d:%d' % rdev if rdev else None])
    # tmpfs: a directory's nlink is 2 ("." and its entry in the parent)
    # plus one ".." for each subdirectory.
    subdirs = {}
    for e in entries:
        if e[0] == 'd' and e[8] != '/':
            parent = os.path.dirname(e[8])
            subdirs[parent] = subdirs.get(parent, 0) + 1
    for e in entries:
        if e[0] == 'd':
            e[4] = 2 + subdirs.get(e[8], 0)
    return entries


def archive2_mtime(n_archive1, i):
    return MTIME_BASE + n_archive1 + i


def render(entries):
    lines = ['# initramfs-manifest v1: type mode uid gid nlink size mtime crc32 path '
             '[symlink-target|major:minor]']
    for e in entries:
        line = '%s %06o %d %d %d %s %d %s %s' % tuple(e[:9])
        if e[9] is not None:
            line += ' ' + e[9]
        lines.append(line)
    return ('\n'.join(lines) + '\n').encode()


def newc_archive(entries, ino_base):
    """A cpio archive in the crc format (070702), padded to 512 bytes like cpio's."""
    out = bytearray()

    def pad4():
        out.extend(bytes(-len(out) % 4))

    for i, (name, mode, uid, gid, rdev, data, mtime) in enumerate(entries):
        nb = name.encode() + b'\0'
        check = sum(data) & 0xffffffff if stat.S_ISREG(mode) else 0
        fields = [ino_base + i, mode, uid, gid, 2 if stat.S_ISDIR(mode) else 1, mtime,
                  len(data), 0, 0, rdev[0] if rdev else 0, rdev[1] if rdev else 0,
                  len(nb), check]
        out.extend(b'070702' + b''.join(b'%08X' % v for v in fields))
        out.extend(nb)
        pad4()
        out.extend(data)
        pad4()
    out.extend(b'070702' + b'%08X' % 0 * 4 + b'%08X' % 1 + b'%08X' % 0 * 6 +
               b'%08X' % 11 + b'%08X' % 0 + b'TRAILER!!!\0')
    pad4()
    out.extend(bytes(-len(out) % 512))
    return bytes(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--src', required=True)
    ap.add_argument('--output', required=True)
    ap.add_argument('--depfile')
    ap.add_argument('--cpio', default='cpio')
    args = ap.parse_args()

    root = args.output + '.tree'
    build_tree(args.src, root)
    paths = tree_paths(root)
    # Fixed mtimes, after the last change to any directory.
    for i, rel in enumerate(paths):
        t = MTIME_BASE + i
        os.utime(os.path.join(root, rel), (t, t), follow_symlinks=False)

    # The manifest lists itself: find the size its own line makes it.
    entries = make_manifest(root, paths)
    me = next(e for e in entries if e[8] == '/' + MANIFEST)
    me[5], me[7] = '0', '-'
    while True:
        text = render(entries)
        if me[5] == str(len(text)):
            break
        me[5] = str(len(text))
    mpath = os.path.join(root, MANIFEST)
    with open(mpath, 'wb') as f:
        f.write(text)
    t = MTIME_BASE + paths.index(MANIFEST)
    os.utime(mpath, (t, t))
    if os.lstat(mpath).st_size != len(text):
        raise SystemExit('manifest size mismatch')

    help_text = subprocess.run([args.cpio, '--help'], capture_output=True, text=True).stdout
    repro = ['--reproducible'] if '--reproducible' in help_text else []
    cpio = subprocess.run([args.cpio, '-o', '-H', 'newc', '-0', '-R', '0:0', '--quiet'] + repro,
                          cwd=root, input=b''.join(p.encode() + b'\0' for p in paths),
                          capture_output=True)
    if cpio.returncode != 0 or not cpio.stdout:
        raise SystemExit('cpio failed (%d): %s' % (cpio.returncode, cpio.stderr.decode()))

    second = [(name, mode, uid, gid, rdev, data, archive2_mtime(len(paths), i))
              for i, (name, mode, uid, gid, rdev, data) in enumerate(ARCHIVE2)]
    image = cpio.stdout + newc_archive(second, 0x10000)
    tmp = args.output + '.tmp'
    with open(tmp, 'wb') as f:
        f.write(image)
    os.replace(tmp, args.output)

    if args.depfile:
        deps = [os.path.abspath(__file__)]
        for dirpath, dirnames, filenames in os.walk(args.src):
            deps.append(dirpath)
            deps += [os.path.join(dirpath, f) for f in filenames]
        with open(args.depfile, 'w') as f:
            f.write('%s: %s\n' % (args.output.replace(' ', '\\ '),
                                  ' \\\n '.join(d.replace(' ', '\\ ') for d in deps)))


if __name__ == '__main__':
    main()
