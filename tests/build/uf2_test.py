#!/usr/bin/python3
# Tests of the RP2040 image tools, printed as TAP: the boot2 CRC32
# (scripts/rp2040_boot2.py) against the CRC catalogue's check value and
# an independent derivation from zlib's CRC-32, and the UF2 writer and
# checker (scripts/uf2.py): a packed image passes, and each kind of
# damage to a block (magic, flags, family, address, numbering, count,
# payload, padding, size, a wrong boot2 CRC) is caught and named.  The
# command line is exercised end to end too.

import importlib.util
import os
import random
import re
import struct
import subprocess
import sys
import tempfile
import zlib

SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
SCRIPTS = os.path.join(SRC, 'scripts')
sys.path.insert(0, SCRIPTS)


def load(name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(SCRIPTS, name + '.py'))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


boot2 = load('rp2040_boot2')
uf2 = load('uf2')

BASE = 0x10000000
FAMILY = 0xe48bff56
results = []


def test(fn):
    results.append(fn)
    return fn


def image(size=1000, seed=1):
    """A flash image: a valid boot2 block, then pseudo-random bytes."""
    rnd = random.Random(seed)
    code = bytes(rnd.randrange(256) for _ in range(100))
    rest = bytes(rnd.randrange(256) for _ in range(size - boot2.SIZE))
    return boot2.pad(code) + rest


def blocks(data):
    return [bytearray(data[i:i + 512]) for i in range(0, len(data), 512)]


def field(block, offset, value):
    struct.pack_into('<I', block, offset, value)


def expect_error(data, img, pattern, **kw):
    errors = uf2.check(bytes(data), BASE, FAMILY, img, **kw)
    assert errors, 'damage not caught (wanted /%s/)' % pattern
    assert any(re.search(pattern, e) for e in errors), \
        'wanted /%s/, got %s' % (pattern, errors)


def bitrev(v, bits):
    return int(format(v, '0%db' % bits)[::-1], 2)


@test
def crc_check_value():
    # CRC-32/MPEG-2's catalogue check value, and the empty message.
    assert boot2.crc32(b'123456789') == 0x0376e6e7, hex(boot2.crc32(b'123456789'))
    assert boot2.crc32(b'') == 0xffffffff


@test
def crc_matches_zlib_derivation():
    # The same polynomial MSB first is zlib's reflected CRC-32 on
    # bit-reversed bytes, bit-reversed, without its final XOR.
    rnd = random.Random(7)
    for n in (1, 4, 252, 1000):
        data = bytes(rnd.randrange(256) for _ in range(n))
        ref = bitrev(zlib.crc32(bytes(bitrev(b, 8) for b in data)), 32) ^ 0xffffffff
        assert boot2.crc32(data) == ref, (n, hex(boot2.crc32(data)), hex(ref))


@test
def boot2_block_layout():
    code = bytes(range(1, 101))
    block = boot2.pad(code)
    assert len(block) == 256
    assert block[:100] == code and not any(block[100:252])
    assert struct.unpack_from('<I', block, 252)[0] == boot2.crc32(block[:252])
    assert boot2.check(block) is None
    assert boot2.check(block[:255]) is not None
    bad = bytearray(block)
    bad[10] ^= 1
    assert 'CRC32' in boot2.check(bytes(bad))


@test
def boot2_too_big_refused():
    try:
        boot2.pad(bytes(253))
    except ValueError as e:
        assert '253' in str(e)
    else:
        raise AssertionError('253 bytes of boot2 accepted')


@test
def boot2_assembly_has_the_block():
    block = boot2.pad(bytes(range(60)))
    text = boot2.assembly(block)
    assert '.section .boot2' in text
    got = bytes(int(b, 16) for line in text.splitlines() if '.byte' in line
                for b in line.split('.byte')[1].split(','))
    assert got == block


@test
def pack_layout():
    img = image(1000)
    data = uf2.pack(img, BASE, FAMILY)
    assert len(data) == 4 * 512
    for i, b in enumerate(blocks(data)):
        m0, m1, flags, addr, size, no, total, fam = struct.unpack_from('<8I', b)
        assert (m0, m1) == (0x0a324655, 0x9e5d5157)
        assert struct.unpack_from('<I', b, 508)[0] == 0x0ab16f30
        assert (flags, addr, size, no, total, fam) == (0x2000, BASE + 256 * i, 256, i, 4, FAMILY)
    assert blocks(data)[3][32:32 + 232] == img[768:]
    assert not any(blocks(data)[3][32 + 232:508])


@test
def packed_image_passes():
    for size in (256, 257, 512, 1000, 4096):
        img = image(size, seed=size)
        data = uf2.pack(img, BASE, FAMILY)
        errors = uf2.check(data, BASE, FAMILY, img, flash_size=0x200000,
                           rp2040_boot2_crc=True)
        assert errors == [], (size, errors)


@test
def corrupted_payload_caught():
    img = image()
    b = blocks(uf2.pack(img, BASE, FAMILY))
    b[2][32 + 17] ^= 0x40
    expect_error(b''.join(b), img, r'differs from the image at offset 0x211 \(address 0x10000211\)')


@test
def bad_magic_caught():
    img = image()
    for offset in (0, 4, 508):
        b = blocks(uf2.pack(img, BASE, FAMILY))
        b[1][offset] ^= 1
        expect_error(b''.join(b), img, r'block 1: bad magic')


@test
def wrong_family_caught():
    img = image()
    b = blocks(uf2.pack(img, BASE, FAMILY))
    field(b[3], 28, 0x1b57745f)		# nRF52
    expect_error(b''.join(b), img, r'block 3: family 0x1b57745f')
    expect_error(uf2.pack(img, BASE, 0x1b57745f), img, r'block 0: family')


@test
def flags_caught():
    img = image()
    b = blocks(uf2.pack(img, BASE, FAMILY))
    field(b[0], 8, 0x2001)			# "not main flash": the ROM would skip it
    expect_error(b''.join(b), img, r'block 0: flags 0x00002001')


@test
def gap_in_addresses_caught():
    img = image()
    b = blocks(uf2.pack(img, BASE, FAMILY))
    field(b[2], 12, BASE + 0x400)
    expect_error(b''.join(b), img, r'block 2: target 0x10000400, want 0x10000200')
    expect_error(uf2.pack(img, BASE + 0x100, FAMILY), img, r'block 0: target 0x10000100')


@test
def numbering_caught():
    img = image()
    b = blocks(uf2.pack(img, BASE, FAMILY))
    b[1], b[2] = b[2], b[1]			# reordered: addresses and numbers out of step
    expect_error(b''.join(b), img, r'block 1: numbered 2')
    b = blocks(uf2.pack(img, BASE, FAMILY))
    field(b[3], 24, 5)
    expect_error(b''.join(b), img, r'block 3: says 5 blocks, the file has 4')


@test
def missing_block_caught():
    img = image()
    b = blocks(uf2.pack(img, BASE, FAMILY))
    expect_error(b''.join(b[:3]), img, r'says 4 blocks, the file has 3')
    expect_error(uf2.pack(img[:700], BASE, FAMILY), img, r'payload is 768 bytes for a 1000-byte image')


@test
def payload_size_caught():
    img = image()
    b = blocks(uf2.pack(img, BASE, FAMILY))
    field(b[1], 16, 476)
    expect_error(b''.join(b), img, r'block 1: payload 476 bytes, want 256')


@test
def padding_caught():
    img = image()
    b = blocks(uf2.pack(img, BASE, FAMILY))
    b[0][400] = 0xff
    expect_error(b''.join(b), img, r'block 0: bytes after the payload are not zero')
    b = blocks(uf2.pack(img, BASE, FAMILY))
    b[3][32 + 250] = 1				# inside the payload, after the image
    expect_error(b''.join(b), img, r'padding after the image is not zero')


@test
def truncated_file_caught():
    img = image()
    data = uf2.pack(img, BASE, FAMILY)
    expect_error(data[:-1], img, r'not a non-zero multiple of 512')
    expect_error(b'', img, r'not a non-zero multiple of 512')


@test
def wrong_boot2_crc_caught():
    img = bytearray(image())
    img[100] ^= 0x80				# boot2's code changed, its CRC not
    data = uf2.pack(bytes(img), BASE, FAMILY)
    assert uf2.check(data, BASE, FAMILY, bytes(img)) == []
    expect_error(data, bytes(img), r'boot2 CRC32 is 0x[0-9a-f]{8}, the boot ROM computes',
                 rp2040_boot2_crc=True)


@test
def too_big_for_flash_caught():
    img = image(4096)
    expect_error(uf2.pack(img, BASE, FAMILY), img, r'image is 4096 bytes, flash 2048',
                 flash_size=2048)


@test
def command_line():
    with tempfile.TemporaryDirectory() as tmp:
        binf, uf2f = os.path.join(tmp, 'kernel.bin'), os.path.join(tmp, 'kernel.uf2')
        with open(binf, 'wb') as f:
            f.write(image(3000))
        common = ['--base', '0x10000000', '--family', '0xe48bff56']
        tool = [sys.executable, os.path.join(SCRIPTS, 'uf2.py')]
        subprocess.run(tool + ['pack'] + common + [binf, uf2f], check=True)
        check = tool + ['check'] + common + ['--flash-size', '0x200000', '--rp2040-boot2',
                                             '--bin', binf, uf2f]
        p = subprocess.run(check, capture_output=True, text=True)
        assert p.returncode == 0, p.stderr
        assert '12 blocks' in p.stdout and 'boot2 CRC32 correct' in p.stdout, p.stdout
        with open(uf2f, 'r+b') as f:
            f.seek(5 * 512 + 32 + 3)
            byte = f.read(1)[0]
            f.seek(-1, os.SEEK_CUR)
            f.write(bytes([byte ^ 0x10]))
        p = subprocess.run(check, capture_output=True, text=True)
        assert p.returncode == 1, (p.returncode, p.stdout)
        assert 'payload differs from the image at offset 0x503' in p.stderr, p.stderr
        p = subprocess.run([sys.executable, os.path.join(SCRIPTS, 'rp2040_boot2.py'),
                            '--check', binf], capture_output=True, text=True)
        assert p.returncode == 0, p.stderr


def main():
    print('TAP version 13')
    print('1..%d' % len(results))
    failed = 0
    for i, fn in enumerate(results, 1):
        try:
            fn()
            print('ok %d uf2.%s' % (i, fn.__name__))
        except Exception as e:        # report every failure, keep going
            failed += 1
            for line in str(e).splitlines() or [type(e).__name__]:
                print('# ' + line)
            print('not ok %d uf2.%s' % (i, fn.__name__))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
