/*
 * x86 descriptor tables: what arch/x86/desc.c shares with the 32- and
 * 64-bit halves (which own the TSS and the gate format).
 */
#ifndef ASM_DESC_H
#define ASM_DESC_H

#include <kernel/compiler.h>
#include <kernel/types.h>
#include <asm/segment.h>

struct desc_ptr {
	uint16_t limit;
	uintptr_t base;
} __packed;

#ifdef __x86_64__
struct gate_desc {
	uint16_t offset0;
	uint16_t selector;
	uint8_t ist;
	uint8_t type;		/* P | DPL | type */
	uint16_t offset1;
	uint32_t offset2;
	uint32_t reserved;
};
#else
struct gate_desc {
	uint16_t offset0;	/* the TSS selector for a task gate */
	uint16_t selector;
	uint8_t zero;
	uint8_t type;
	uint16_t offset1;
};
#endif

#define GATE_INTERRUPT	0x8e	/* present, DPL 0, interrupt gate (IF cleared) */
#define GATE_INTERRUPT_USER 0xee	/* the same, DPL 3: reachable by INT from ring 3 */
#define GATE_TASK	0x85	/* present, DPL 0, task gate (i386) */

extern struct gate_desc x86_idt[];

/* A 32-bit TSS-style system descriptor (the low half on x86-64). */
uint64_t x86_system_desc(uintptr_t base, uint32_t limit, uint8_t type);
#ifndef __x86_64__
/* A flat data segment of privilege dpl based at base (i386 FS, TLS). */
uint64_t x86_data_desc(uintptr_t base, unsigned int dpl);
#endif

/*
 * The halves: fill cpu's TSS (and on i386 its double-fault task) and
 * their descriptors in its GDT; pick a gate for each vector.
 */
void x86_tss_setup(unsigned int cpu);
void x86_set_gate(unsigned int vector, uintptr_t handler);

/*
 * Exception stacks with guard pages (kstack_alloc()) for cpu: the IST
 * stacks on x86-64, the double-fault task's on i386.  Until the boot
 * CPU's are allocated (at the end of arch_mmu_init()), it runs on static
 * ones.  0 or -ENOMEM.
 */
int x86_exception_stacks_alloc(unsigned int cpu);

/* Entry stubs, X86_STUB_SIZE bytes each, one per vector. */
extern const char x86_vector_stubs[];

/* The boot CPU's tables, first thing in C. */
void x86_desc_init(void);
/* Fill cpu's GDT from CPU 0's (before cpu loads it). */
void x86_gdt_setup(unsigned int cpu);
/* On cpu: load its GDT, TSS and the IDT, and point the per-CPU register at cpus[cpu]. */
void x86_cpu_load_tables(unsigned int cpu);

#endif
