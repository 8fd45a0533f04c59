/*
 * The x86-64 task state segment's layout: no task, only stacks.  RSP0 is
 * where an entry from user mode switches to (the running thread's stack
 * top, written at every switch); the interrupt stack table gives a double
 * fault, an NMI and a machine check a known-good stack each.
 */
#ifndef ARCH_X86_64_TSS_H
#define ARCH_X86_64_TSS_H

#include <kernel/compiler.h>
#include <kernel/types.h>

#define X86_EXC_STACKS		3	/* IST 1-3 */
#define IST_DOUBLE_FAULT	1
#define IST_NMI			2
#define IST_MACHINE_CHECK	3

struct x86_tss {
	uint32_t reserved0;
	uint64_t rsp[3];	/* stacks for entry from rings 0-2 */
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __packed;

static inline void
x86_tss_set_sp0(struct x86_tss *tss, uintptr_t sp)
{
	tss->rsp[0] = sp;
}

#endif
