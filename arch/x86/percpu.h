/*
 * x86's own per-CPU state, beside the core's struct cpu: each CPU's GDT
 * (its TSS descriptors and, on i386, its per-CPU and TLS segments
 * differ), TSS, guarded exception stacks, fault-report text and address-
 * space bookkeeping.  Indexed by cpu_id().  The boot CPU fills an entry
 * before starting that CPU; afterwards only the CPU itself writes it.
 * Private to arch/x86.
 */
#ifndef ARCH_X86_PERCPU_H
#define ARCH_X86_PERCPU_H

#include <asm/segment.h>
#include <kernel/cpu.h>
#include <kernel/vm.h>
#ifdef __x86_64__
#include "64/tss.h"
#else
#include "32/tss.h"
#endif

struct arch_aspace;

struct x86_cpu {
	uint64_t gdt[GDT_ENTRIES];	/* offset 0: head.S loads CPU 0's as is */
	/* 128-byte aligned: a TSS must not cross a page for a task switch. */
	struct x86_tss tss __aligned(128);
#ifndef __x86_64__
	struct x86_tss df_tss __aligned(128);	/* the double-fault task */
#endif
	struct kstack exc_stack[X86_EXC_STACKS];	/* guarded, once mm is up */
	char exc_stack_name[X86_EXC_STACKS][24];
	/*
	 * A fault report's text (trap.c): the decoded error code, and a
	 * report built on it.  An expected trap's report outlives its handler.
	 */
	char trap_text[2][160];
	/* mmu.c: the address space loaded, and this CPU's PCID numbering. */
	struct arch_aspace *current_as;
	uint32_t pcid_generation;
	uint16_t next_pcid;
	uintptr_t tls;			/* the TLS base loaded (FS base, i386 GDT_TLS) */
} __aligned(128);

extern struct x86_cpu x86_cpus[NR_CPUS];

/* Interrupts masked or preemption off, as for this_cpu(). */
static inline struct x86_cpu *
x86_this_cpu(void)
{
	return &x86_cpus[cpu_id()];
}

#endif
