#!/usr/bin/python3
# UF2 (Microsoft's USB flashing format, github.com/microsoft/uf2): a flash
# image cut into 512-byte blocks that a boot loader's USB drive accepts in
# any order.  Each block is, all fields little-endian 32-bit:
#
#    0  magicStart0  0x0a324655 ("UF2\n")
#    4  magicStart1  0x9e5d5157
#    8  flags        0x00002000: familyID present
#   12  targetAddr   where the payload goes in flash
#   16  payloadSize  256 here (the RP2040 boot ROM takes only 256)
#   20  blockNo      0, 1, ...
#   24  numBlocks    the file's block count, in every block
#   28  familyID     0xe48bff56 for the RP2040
#   32  data[476]    the payload, then zeros
#  508  magicEnd     0x0ab16f30
#
#   uf2.py pack --base 0x10000000 --family 0xe48bff56 kernel.bin kernel.uf2
#   uf2.py check --base 0x10000000 --family 0xe48bff56 [--bin kernel.bin]
#                [--flash-size 0x200000] [--rp2040-boot2] kernel.uf2
#
# pack makes one 256-byte payload per block from kernel.bin (a flash image
# from --base), the last one zero-padded.  check reads a UF2 back and
# fails, naming each problem, unless every block is well formed with the
# family, payloads run contiguously from --base, blocks are numbered
# 0..n-1 with n in each, the payload equals --bin (padding zero), the
# image fits --flash-size, and (--rp2040-boot2) the RP2040 boot2 CRC at
# its start is right.  tests/build/uf2_test.py tests both.

import argparse
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rp2040_boot2  # noqa: E402

MAGIC_START0 = 0x0a324655
MAGIC_START1 = 0x9e5d5157
MAGIC_END = 0x0ab16f30
FLAG_FAMILY_ID_PRESENT = 0x00002000
BLOCK_SIZE = 512
PAYLOAD_SIZE = 256
DATA_SIZE = 476
HEADER = struct.Struct('<8I')
FAMILY_RP2040 = 0xe48bff56


def pack(image, base, family):
    """The UF2 file for a flash image placed at base."""
    if base % PAYLOAD_SIZE:
        raise ValueError('base 0x%x is not a multiple of %d' % (base, PAYLOAD_SIZE))
    if not image:
        raise ValueError('empty image')
    n = (len(image) + PAYLOAD_SIZE - 1) // PAYLOAD_SIZE
    out = bytearray()
    for i in range(n):
        chunk = image[i * PAYLOAD_SIZE:(i + 1) * PAYLOAD_SIZE]
        data = chunk + bytes(DATA_SIZE - len(chunk))
        out += HEADER.pack(MAGIC_START0, MAGIC_START1, FLAG_FAMILY_ID_PRESENT,
                           base + i * PAYLOAD_SIZE, PAYLOAD_SIZE, i, n, family)
        out += data + struct.pack('<I', MAGIC_END)
    return bytes(out)


def check(uf2, base, family, image=None, flash_size=None, rp2040_boot2_crc=False):
    """The problems found in a UF2 file (an empty list when it is right)."""
    errors = []
    if not uf2 or len(uf2) % BLOCK_SIZE:
        return ['file is %d bytes, not a non-zero multiple of %d' % (len(uf2), BLOCK_SIZE)]
    n = len(uf2) // BLOCK_SIZE
    payload = bytearray()
    for i in range(n):
        block = uf2[i * BLOCK_SIZE:(i + 1) * BLOCK_SIZE]
        m0, m1, flags, addr, size, no, total, fam = HEADER.unpack_from(block)
        (mend,) = struct.unpack_from('<I', block, BLOCK_SIZE - 4)
        where = 'block %d' % i
        if (m0, m1, mend) != (MAGIC_START0, MAGIC_START1, MAGIC_END):
            errors.append('%s: bad magic (0x%08x 0x%08x ... 0x%08x)' % (where, m0, m1, mend))
            continue
        if flags != FLAG_FAMILY_ID_PRESENT:
            errors.append('%s: flags 0x%08x, want 0x%08x (family ID present, to be flashed)'
                          % (where, flags, FLAG_FAMILY_ID_PRESENT))
        if fam != family:
            errors.append('%s: family 0x%08x, want 0x%08x' % (where, fam, family))
        if size != PAYLOAD_SIZE:
            errors.append('%s: payload %d bytes, want %d' % (where, size, PAYLOAD_SIZE))
        if addr != base + i * PAYLOAD_SIZE:
            errors.append('%s: target 0x%08x, want 0x%08x (contiguous from 0x%08x)'
                          % (where, addr, base + i * PAYLOAD_SIZE, base))
        if no != i:
            errors.append('%s: numbered %d' % (where, no))
        if total != n:
            errors.append('%s: says %d blocks, the file has %d' % (where, total, n))
        if any(block[32 + PAYLOAD_SIZE:32 + DATA_SIZE]):
            errors.append('%s: bytes after the payload are not zero' % where)
        payload += block[32:32 + PAYLOAD_SIZE]
    if errors:
        return errors
    if flash_size is not None and len(payload) > flash_size:
        errors.append('image is %d bytes, flash %d' % (len(payload), flash_size))
    if image is not None:
        if len(image) > len(payload) or len(payload) - len(image) >= PAYLOAD_SIZE:
            errors.append('payload is %d bytes for a %d-byte image' % (len(payload), len(image)))
        elif payload[:len(image)] != image:
            first = next(j for j in range(len(image)) if payload[j] != image[j])
            errors.append('payload differs from the image at offset 0x%x (address 0x%08x)'
                          % (first, base + first))
        elif any(payload[len(image):]):
            errors.append('padding after the image is not zero')
    if rp2040_boot2_crc:
        why = rp2040_boot2.check(bytes(payload))
        if why:
            errors.append(why)
    return errors


def main():
    ap = argparse.ArgumentParser(description='Make or check a UF2 file.')
    sub = ap.add_subparsers(dest='cmd', required=True)
    for name in ('pack', 'check'):
        p = sub.add_parser(name)
        p.add_argument('--base', type=lambda v: int(v, 0), required=True)
        p.add_argument('--family', type=lambda v: int(v, 0), required=True)
        if name == 'pack':
            p.add_argument('image')
            p.add_argument('output')
        else:
            p.add_argument('--bin', help='the flash image the payload must equal')
            p.add_argument('--flash-size', type=lambda v: int(v, 0))
            p.add_argument('--rp2040-boot2', action='store_true',
                           help='check the boot2 CRC32 at the start of the payload')
            p.add_argument('uf2')
    args = ap.parse_args()

    if args.cmd == 'pack':
        with open(args.image, 'rb') as f:
            image = f.read()
        try:
            data = pack(image, args.base, args.family)
        except ValueError as e:
            sys.exit('%s: %s' % (args.image, e))
        with open(args.output, 'wb') as f:
            f.write(data)
        return

    with open(args.uf2, 'rb') as f:
        uf2 = f.read()
    image = None
    if args.bin:
        with open(args.bin, 'rb') as f:
            image = f.read()
    errors = check(uf2, args.base, args.family, image, args.flash_size, args.rp2040_boot2)
    for e in errors:
        print('%s: %s' % (args.uf2, e), file=sys.stderr)
    if errors:
        sys.exit(1)
    what = ['%d blocks' % (len(uf2) // BLOCK_SIZE), 'family 0x%08x' % args.family,
            'contiguous from 0x%08x' % args.base]
    if image is not None:
        what.append('payload equals %s' % os.path.basename(args.bin))
    if args.rp2040_boot2:
        what.append('boot2 CRC32 correct')
    print('%s: %s' % (args.uf2, ', '.join(what)))


if __name__ == '__main__':
    main()
