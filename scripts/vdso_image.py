#!/usr/bin/python3
"""Check a port's vDSO and make the kernel's copy of it.

    vdso_image.py --arch ARCH --so vdso.so --asm vdso-image.S --header vdso-image.h

Refuses (exit status 1, saying why) a vDSO that a process could not use
as it is mapped, with no loader to help: it must be an ELF shared object
of the port linked at 0, with one read-only executable PT_LOAD from file
offset 0, a dynamic section without relocations, needed libraries or
text relocations, no writable or zero-filled data, hash tables, symbol
versions, the soname Linux gives it, and exactly the entry points Linux
exports on the port under Linux's versions (what glibc 2.36 looks up;
docs/vdso.md), every one inside the image.

Writes the assembly that embeds the file in the kernel (.incbin, between
vdso_image and vdso_image_end) and a header with the image's size and
each entry point's offset (VDSO_SYM_<name>).
"""
import argparse
import struct
import sys

# Per port: ELF class, machine, soname, {version: [symbols]}.
PORTS = {
    'aarch64': (64, 183, 'linux-vdso.so.1', {
        'LINUX_2.6.39': ['__kernel_rt_sigreturn', '__kernel_gettimeofday',
                         '__kernel_clock_gettime', '__kernel_clock_getres'],
    }),
    'x86_64': (64, 62, 'linux-vdso.so.1', {
        'LINUX_2.6': ['__vdso_clock_gettime', '__vdso_gettimeofday', '__vdso_time',
                      '__vdso_clock_getres', '__vdso_getcpu'],
    }),
    'i386': (32, 3, 'linux-gate.so.1', {
        'LINUX_2.6': ['__vdso_clock_gettime', '__vdso_clock_gettime64', '__vdso_gettimeofday',
                      '__vdso_time', '__vdso_clock_getres'],
        'LINUX_2.5': ['__kernel_vsyscall', '__kernel_sigreturn', '__kernel_rt_sigreturn'],
    }),
}

PT_LOAD, PT_DYNAMIC, PT_INTERP, PT_TLS = 1, 2, 3, 7
PF_X, PF_W, PF_R = 1, 2, 4
SHT_RELA, SHT_REL, SHT_NOBITS = 4, 9, 8
SHF_ALLOC = 2
DT_NULL, DT_NEEDED, DT_PLTRELSZ, DT_HASH, DT_STRTAB, DT_SYMTAB = 0, 1, 2, 4, 5, 6
DT_RELA, DT_RELASZ, DT_SONAME, DT_REL, DT_RELSZ, DT_TEXTREL, DT_JMPREL = 7, 8, 14, 17, 18, 22, 23
DT_FLAGS, DT_GNU_HASH, DT_VERSYM, DT_VERDEF, DT_VERDEFNUM = 30, 0x6ffffef5, 0x6ffffff0, 0x6ffffffc, 0x6ffffffd
DT_RELACOUNT, DT_RELCOUNT, DT_VERNEED = 0x6ffffff9, 0x6ffffffa, 0x6ffffffe
DF_TEXTREL = 4
STT_FUNC, STB_GLOBAL, STB_WEAK = 2, 1, 2
SHN_UNDEF, SHN_ABS = 0, 0xfff1


class Bad(Exception):
    pass


class Elf:
    def __init__(self, data, bits):
        self.d = data
        self.bits = bits
        if data[:4] != b'\x7fELF':
            raise Bad('not an ELF file')
        if data[4] != (2 if bits == 64 else 1) or data[5] != 1:
            raise Bad('not a little-endian ELF%d file' % bits)
        if bits == 64:
            (self.type, self.machine, _, self.entry, self.phoff, self.shoff, _, _,
             self.phentsize, self.phnum, self.shentsize, self.shnum,
             self.shstrndx) = struct.unpack_from('<HHIQQQIHHHHHH', data, 16)
        else:
            (self.type, self.machine, _, self.entry, self.phoff, self.shoff, _, _,
             self.phentsize, self.phnum, self.shentsize, self.shnum,
             self.shstrndx) = struct.unpack_from('<HHIIIIIHHHHHH', data, 16)

    def phdrs(self):
        for i in range(self.phnum):
            off = self.phoff + i * self.phentsize
            if self.bits == 64:
                t, f, o, v, _, fs, ms, _ = struct.unpack_from('<IIQQQQQQ', self.d, off)
            else:
                t, o, v, _, fs, ms, f, _ = struct.unpack_from('<IIIIIIII', self.d, off)
            yield {'type': t, 'flags': f, 'offset': o, 'vaddr': v, 'filesz': fs, 'memsz': ms}

    def shdrs(self):
        out = []
        for i in range(self.shnum):
            off = self.shoff + i * self.shentsize
            if self.bits == 64:
                n, t, fl, a, o, s, lk, inf, _, es = struct.unpack_from('<IIQQQQIIQQ', self.d, off)
            else:
                n, t, fl, a, o, s, lk, inf, _, es = struct.unpack_from('<IIIIIIIIII', self.d, off)
            out.append({'name': n, 'type': t, 'flags': fl, 'addr': a, 'offset': o, 'size': s,
                        'link': lk, 'entsize': es})
        strtab = out[self.shstrndx] if self.shstrndx < len(out) else None
        for s in out:
            s['sname'] = self.cstr(strtab['offset'] + s['name']) if strtab else ''
        return out

    def cstr(self, off):
        end = self.d.index(b'\0', off)
        return self.d[off:end].decode()

    def word(self, off):
        fmt = '<Q' if self.bits == 64 else '<I'
        return struct.unpack_from(fmt, self.d, off)[0]


def check(arch, data):
    bits, machine, soname, want = PORTS[arch]
    e = Elf(data, bits)
    if e.type != 3:
        raise Bad('not a shared object (e_type %d)' % e.type)
    if e.machine != machine:
        raise Bad('machine %d, not %s\'s %d' % (e.machine, arch, machine))
    if len(data) > 64 * 1024:
        raise Bad('%d bytes: a vDSO this large is a mistake' % len(data))

    loads = [p for p in e.phdrs() if p['type'] == PT_LOAD]
    dyns = [p for p in e.phdrs() if p['type'] == PT_DYNAMIC]
    if len(loads) != 1:
        raise Bad('%d PT_LOAD segments, not one' % len(loads))
    load = loads[0]
    if load['offset'] != 0 or load['vaddr'] != 0:
        raise Bad('the PT_LOAD is not the file from offset 0 at address 0')
    if load['flags'] != PF_R | PF_X:
        raise Bad('the PT_LOAD is not read-only and executable (flags %#x)' % load['flags'])
    if load['memsz'] != load['filesz']:
        raise Bad('the PT_LOAD has zero-filled memory (.bss): nothing would clear it')
    if any(p['type'] in (PT_INTERP, PT_TLS) for p in e.phdrs()):
        raise Bad('PT_INTERP or PT_TLS present')
    if len(dyns) != 1:
        raise Bad('no PT_DYNAMIC')
    image = load['filesz']
    if image > len(data):
        raise Bad('the PT_LOAD runs past the file')

    for s in e.shdrs():
        if s['type'] in (SHT_REL, SHT_RELA) and s['size']:
            raise Bad('relocation section %s: the vDSO would need a loader' % s['sname'])
        if s['type'] == SHT_NOBITS and (s['flags'] & SHF_ALLOC) and s['size']:
            raise Bad('zero-filled section %s' % s['sname'])
        if (s['flags'] & SHF_ALLOC) and s['type'] != SHT_NOBITS and s['addr'] + s['size'] > image:
            raise Bad('section %s lies outside the PT_LOAD' % s['sname'])

    # The dynamic section (addresses are file offsets: linked at 0, one segment).
    dyn = {}
    off, step = dyns[0]['offset'], 16 if bits == 64 else 8
    while off + step <= dyns[0]['offset'] + dyns[0]['filesz']:
        tag, val = e.word(off), e.word(off + step // 2)
        off += step
        if tag == DT_NULL:
            break
        if tag in (DT_NEEDED, DT_REL, DT_RELA, DT_JMPREL, DT_TEXTREL, DT_VERNEED):
            raise Bad('dynamic tag %#x: needs a loader' % tag)
        if tag in (DT_RELSZ, DT_RELASZ, DT_PLTRELSZ, DT_RELCOUNT, DT_RELACOUNT) and val:
            raise Bad('dynamic tag %#x = %d: relocations' % (tag, val))
        if tag == DT_FLAGS and val & DF_TEXTREL:
            raise Bad('DF_TEXTREL')
        dyn[tag] = val
    for tag, name in ((DT_SYMTAB, 'DT_SYMTAB'), (DT_STRTAB, 'DT_STRTAB'), (DT_VERSYM, 'DT_VERSYM'),
                      (DT_VERDEF, 'DT_VERDEF'), (DT_SONAME, 'DT_SONAME')):
        if tag not in dyn:
            raise Bad('no %s' % name)
    if DT_HASH not in dyn and DT_GNU_HASH not in dyn:
        raise Bad('no hash table')
    strtab = dyn[DT_STRTAB]
    if e.cstr(strtab + dyn[DT_SONAME]) != soname:
        raise Bad('soname %s, not %s' % (e.cstr(strtab + dyn[DT_SONAME]), soname))

    # Version definitions: index -> name.
    versions = {}
    vd = dyn[DT_VERDEF]
    for _ in range(dyn.get(DT_VERDEFNUM, 0)):
        _, _, ndx, _, _, aux, nxt = struct.unpack_from('<HHHHIII', data, vd)
        versions[ndx] = e.cstr(strtab + struct.unpack_from('<I', data, vd + aux)[0])
        if not nxt:
            break
        vd += nxt

    # The dynamic symbols: .dynsym's section gives their number.
    dynsym = [s for s in e.shdrs() if s['addr'] == dyn[DT_SYMTAB] and s['entsize']]
    if not dynsym:
        raise Bad('no .dynsym section')
    nsyms = dynsym[0]['size'] // dynsym[0]['entsize']
    exported = {}
    for i in range(1, nsyms):
        o = dyn[DT_SYMTAB] + i * dynsym[0]['entsize']
        if bits == 64:
            name, info, _, shndx, value, size = struct.unpack_from('<IBBHQQ', data, o)
        else:
            name, value, size, info, _, shndx = struct.unpack_from('<IIIBBH', data, o)
        sname = e.cstr(strtab + name)
        ver = struct.unpack_from('<H', data, dyn[DT_VERSYM] + 2 * i)[0] & 0x7fff
        if shndx == SHN_UNDEF:
            raise Bad('undefined symbol %s' % sname)
        if shndx == SHN_ABS:
            if sname not in versions.values():
                raise Bad('absolute symbol %s' % sname)
            continue
        if value >= image or value + size > image:
            raise Bad('symbol %s at %#x lies outside the image' % (sname, value))
        exported[sname] = (versions.get(ver, '?'), info >> 4, info & 15, value)

    expected = {s: v for v, names in want.items() for s in names}
    for s, v in sorted(expected.items()):
        if s not in exported:
            raise Bad('%s is not exported' % s)
        ver, bind, typ, _ = exported[s]
        if ver != v:
            raise Bad('%s has version %s, not %s' % (s, ver, v))
        if bind not in (STB_GLOBAL, STB_WEAK) or typ != STT_FUNC:
            raise Bad('%s is not a global function' % s)
    extra = sorted(set(exported) - set(expected))
    if extra:
        raise Bad('exported beyond Linux\'s entry points: %s' % ', '.join(extra))
    return image, {s: exported[s][3] for s in expected}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--arch', required=True, choices=sorted(PORTS))
    ap.add_argument('--so', required=True)
    ap.add_argument('--asm', required=True)
    ap.add_argument('--header', required=True)
    a = ap.parse_args()
    with open(a.so, 'rb') as f:
        data = f.read()
    try:
        image, syms = check(a.arch, data)
    except (Bad, struct.error, ValueError, IndexError) as err:
        sys.exit('%s: not a usable %s vDSO: %s' % (a.so, a.arch, err))
    with open(a.asm, 'w') as f:
        f.write('/* Generated by scripts/vdso_image.py from %s: the vDSO the kernel maps. */\n'
                '\t.section .rodata.vdso_image, "a"\n'
                '\t.balign 16\n'
                '\t.globl vdso_image, vdso_image_end\n'
                'vdso_image:\n'
                '\t.incbin "%s"\n'
                'vdso_image_end:\n'
                '\t.section .note.GNU-stack, "", %%progbits\n' % (a.so, a.so))
    with open(a.header, 'w') as f:
        f.write('/* Generated by scripts/vdso_image.py: the %s vDSO\'s size and entry points. */\n'
                '#ifndef VDSO_IMAGE_H\n#define VDSO_IMAGE_H\n\n' % a.arch)
        f.write('#define VDSO_IMAGE_SIZE\t%#x\n' % len(data))
        for s, v in sorted(syms.items()):
            f.write('#define VDSO_SYM%s\t%#x\n' % (s, v))
        f.write('\n#endif\n')


if __name__ == '__main__':
    main()
