#!/usr/bin/python3
# Flash and RAM footprint of an ARMv6-M kernel.elf, printed at build time
# and written to a report file.  Flash holds every loaded byte (the .data
# image included); RAM holds .stack, .data and .bss, and the heap (mm/heap.c)
# gets the rest of it, less a 4-byte end marker and alignment.  Reads the ELF32
# headers directly, so it needs no toolchain binutils.
#
#   footprint.py kernel.elf out.txt FLASH_BASE FLASH_SIZE RAM_BASE RAM_SIZE

import struct
import sys

SHF_ALLOC = 0x2
SHT_NOBITS = 8
PT_LOAD = 1


def read_elf(path):
    with open(path, 'rb') as f:
        data = f.read()
    if data[:4] != b'\x7fELF' or data[4] != 1 or data[5] != 1:
        sys.exit('%s: not a little-endian ELF32 file' % path)
    (e_phoff, e_shoff, _, _, e_phentsize, e_phnum, e_shentsize, e_shnum,
     e_shstrndx) = struct.unpack_from('<IIIHHHHHH', data, 28)
    segments = []
    for i in range(e_phnum):
        p_type, _, _, p_paddr, p_filesz, _, _, _ = struct.unpack_from(
            '<IIIIIIII', data, e_phoff + i * e_phentsize)
        if p_type == PT_LOAD:
            segments.append((p_paddr, p_filesz))
    raw = [struct.unpack_from('<IIIIIIIIII', data, e_shoff + i * e_shentsize)
           for i in range(e_shnum)]
    strtab = raw[e_shstrndx][4]
    sections = []
    for name, sh_type, flags, addr, _, size, *_ in raw:
        end = data.index(b'\0', strtab + name)
        sections.append((data[strtab + name:end].decode(), sh_type, flags, addr, size))
    return segments, sections


def kib(n):
    return '%.1f KiB' % (n / 1024)


def main():
    elf, out = sys.argv[1], sys.argv[2]
    flash_base, flash_size, ram_base, ram_size = (int(v, 0) for v in sys.argv[3:7])
    segments, sections = read_elf(elf)

    flash = sum(size for addr, size in segments
                if flash_base <= addr < flash_base + flash_size)
    ram_parts = [(name, size) for name, sh_type, flags, addr, size in sections
                 if flags & SHF_ALLOC and size and ram_base <= addr < ram_base + ram_size]
    ram = sum(size for _, size in ram_parts)
    flash_parts = [(name, size) for name, sh_type, flags, addr, size in sections
                   if flags & SHF_ALLOC and sh_type != SHT_NOBITS and size]

    lines = [
        'footprint of %s:' % elf.rsplit('/', 1)[-1],
        '  flash %6d bytes of %s (%.1f%%): %s' % (
            flash, kib(flash_size), 100.0 * flash / flash_size,
            ', '.join('%s %d' % p for p in flash_parts)),
        '  RAM   %6d bytes of %s (%.1f%%): %s; %d bytes left for the heap' % (
            ram, kib(ram_size), 100.0 * ram / ram_size,
            ', '.join('%s %d' % p for p in ram_parts), ram_size - ram),
    ]
    with open(out, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    print('\n'.join(lines))
    if flash > flash_size or ram > ram_size:
        sys.exit('the kernel does not fit the board')


if __name__ == '__main__':
    main()
