/*
 * The boot slots through which arch_cpu_start() (smp.c) tells a secondary
 * CPU, still without MMU, where to go: one slot per logical CPU, found by
 * MPIDR in head.S's secondary_entry.  Shared by C and assembly.
 */
#ifndef AARCH64_SMP_BOOT_H
#define AARCH64_SMP_BOOT_H

#ifdef __ASSEMBLER__
#define SB_UL(x)		x
#else
#define SB_UL(x)		x##UL
#endif

/* MPIDR_EL1 affinity fields Aff3 (39:32), Aff2, Aff1, Aff0 (7:0). */
#define MPIDR_HWID_MASK		SB_UL(0xff00ffffff)

/* A slot's hwid word: the CPU's affinity, and this bit once it is filled. */
#define BOOT_SLOT_VALID		(SB_UL(1) << 63)

#define BOOT_SLOT_HWID		0	/* MPIDR affinity | BOOT_SLOT_VALID */
#define BOOT_SLOT_TTBR0		8	/* identity map (physical) */
#define BOOT_SLOT_TTBR1		16	/* the kernel's tables (physical) */
#define BOOT_SLOT_STACK		24	/* stack_top of arch_cpu_start() */
#define BOOT_SLOT_EXC_STACK	32	/* this CPU's exception stack top */
#define BOOT_SLOT_CPU		40	/* &cpus[n]: the per-CPU register */
#define BOOT_SLOT_SIZE		64	/* one cache line */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct boot_slot {
	uint64_t hwid;
	uint64_t ttbr0;
	uint64_t ttbr1;
	uint64_t stack;
	uint64_t exc_stack;
	uint64_t cpu;
} __attribute__((aligned(BOOT_SLOT_SIZE)));

_Static_assert(sizeof(struct boot_slot) == BOOT_SLOT_SIZE, "boot slot layout");
_Static_assert(__builtin_offsetof(struct boot_slot, ttbr0) == BOOT_SLOT_TTBR0, "slot");
_Static_assert(__builtin_offsetof(struct boot_slot, ttbr1) == BOOT_SLOT_TTBR1, "slot");
_Static_assert(__builtin_offsetof(struct boot_slot, stack) == BOOT_SLOT_STACK, "slot");
_Static_assert(__builtin_offsetof(struct boot_slot, exc_stack) == BOOT_SLOT_EXC_STACK, "slot");
_Static_assert(__builtin_offsetof(struct boot_slot, cpu) == BOOT_SLOT_CPU, "slot");

/* head.S: where a secondary CPU starts, MMU off (a physical address). */
extern char secondary_entry[];
#endif

#endif
