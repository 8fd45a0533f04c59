#!/usr/bin/python3
# The check behind ARMV6M_HIGH_REGS_FIXED (arch/armv6m/meson.build): no
# code in an ARMv6-M kernel image writes r8-r11, so neither a thread's
# call frame nor PendSV's exception frame saves them (<asm/thread.h>).
# GCC keeps off them with -ffixed-r8..r11; this catches what it does not
# compile: assembly, and anything linked from libgcc (whose 64-bit
# helpers use them, hence arch/armv6m/aeabi_long.c).
#
#   armv6m_high_regs.py --objdump OBJDUMP kernel.elf report.txt
#       Disassembles the image and lists every instruction that writes
#       r8-r11 (on ARMv6-M only MOV and ADD can) outside the functions that
#       may: the fault entries, which put back what they saved, and the
#       register test's probe, which does the same.  Writes the list (or
#       "none") to report.txt; exit status 1 if there is any.

import argparse
import re
import subprocess
import sys

HIGH = {'r8', 'r9', 'r10', 'r11', 'sb', 'sl', 'fp'}
# Functions that restore r8-r11 to the values they found: the fault
# entries (vectors.S) and the register test's probe.
ALLOWED = re.compile(r'^(armv6m_(exception|hardfault|nmi)_entry|armv6m_test_reg_spin\w*)$')
FUNC = re.compile(r'^[0-9a-f]+ <([^>]+)>:$')
INSN = re.compile(r'^\s*([0-9a-f]+):\s+(?:[0-9a-f]{4}\s?){1,2}\s+(\S+)\s*([^;@]*)')


def violations(objdump, elf):
    out = subprocess.run([objdump, '-d', elf], capture_output=True, text=True,
                         check=True).stdout
    func = '?'
    bad = []
    for line in out.splitlines():
        m = FUNC.match(line)
        if m:
            func = m.group(1)
            continue
        m = INSN.match(line)
        if not m:
            continue
        addr, op, args = m.group(1), m.group(2), m.group(3).strip()
        ops = [a.strip() for a in args.split(',')]
        if op not in ('mov', 'movs', 'add', 'adds', 'cpy') or not ops or ops[0] not in HIGH:
            continue
        if op == 'mov' and len(ops) == 2 and ops[0] == ops[1]:
            continue				# mov r8, r8: the Thumb-1 nop
        if ALLOWED.match(func):
            continue
        bad.append('%s <%s>: %s %s' % (addr, func, op, args))
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--objdump', required=True)
    ap.add_argument('elf')
    ap.add_argument('report')
    a = ap.parse_args()
    bad = violations(a.objdump, a.elf)
    with open(a.report, 'w') as f:
        f.write('\n'.join(bad) + '\n' if bad else 'none\n')
    if bad:
        sys.stderr.write('armv6m_high_regs: %d instruction(s) write r8-r11, which neither '
                         'switch frame saves (ARMV6M_HIGH_REGS_FIXED):\n  %s\n'
                         % (len(bad), '\n  '.join(bad[:20])))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
