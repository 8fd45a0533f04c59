/*
 * Descriptor tables: the flat GDT every x86 kernel needs (segmentation
 * is a formality), and an IDT whose 256 gates all point at the entry
 * stubs.  The 32- and 64-bit halves encode the gates and own the TSS.
 */
#include <asm/desc.h>
#include <asm/trap.h>
#include <asm/x86.h>
#include <kernel/cpu.h>
#include "internal.h"

/* Also loaded by {32,64}/head.S before C runs, so it is initialised data. */
uint64_t x86_gdt[GDT_ENTRIES] __aligned(16) = {
#ifdef __x86_64__
	[GDT_KERNEL_CODE] = SEG_CODE64_KERNEL,
	[GDT_USER_CODE64] = SEG_CODE64_USER,
#else
	[GDT_KERNEL_CODE] = SEG_CODE32_KERNEL,
#endif
	[GDT_KERNEL_DATA] = SEG_DATA_KERNEL,
	[GDT_USER_CODE32] = SEG_CODE32_USER,
	[GDT_USER_DATA] = SEG_DATA_USER,
};

struct gate_desc x86_idt[X86_NR_VECTORS] __aligned(16);

uint64_t
x86_system_desc(uintptr_t base, uint32_t limit, uint8_t type)
{
	uint32_t b = (uint32_t)base;

	return (limit & 0xffffull) | (uint64_t)(b & 0xffffff) << 16 |
	    (uint64_t)type << 40 | (uint64_t)((limit >> 16) & 0xf) << 48 |
	    (uint64_t)(b >> 24) << 56;
}

void
x86_desc_init(void)
{
	struct desc_ptr gdtr = { sizeof(x86_gdt) - 1, (uintptr_t)x86_gdt };
	struct desc_ptr idtr = { sizeof(x86_idt) - 1, (uintptr_t)x86_idt };

#ifndef __x86_64__
	/* FS is the per-CPU segment: a flat data segment based at cpus[0]. */
	x86_gdt[GDT_PERCPU] = x86_system_desc((uintptr_t)&cpus[0], 0xfffff, 0x92) |
			      0xcULL << 52;	/* 4 KiB granularity, 32-bit */
#endif
	x86_load_gdt(&gdtr);
	/* After the GDT load, which reloaded FS and GS (and their bases). */
#ifdef __x86_64__
	wrmsr(MSR_GS_BASE, (uintptr_t)&cpus[0]);
#else
	__asm__ __volatile__("movl %0, %%fs" :: "r"(PERCPU_SEL) : "memory");
#endif
	x86_tss_init();
	for (unsigned int v = 0; v < X86_NR_VECTORS; v++)
		x86_set_gate(v, (uintptr_t)x86_vector_stubs + v * X86_STUB_SIZE);
	__asm__ __volatile__("lidt %0" :: "m"(idtr) : "memory");
}
