/*
 * Descriptor tables: a GDT per CPU (flat segments, as every x86 kernel
 * needs, plus that CPU's TSS descriptors, the segment whose limit names
 * the CPU (the vDSO's getcpu) and, on i386, its per-CPU and TLS
 * segments), one IDT shared by all, whose 256 gates point at the
 * entry stubs, and loading them on a CPU together with its per-CPU
 * register.  The 32- and 64-bit halves encode the gates and fill the
 * TSSes.
 */
#include <string.h>
#include <asm/desc.h>
#include <asm/trap.h>
#include <asm/x86.h>
#include <kernel/cpu.h>
#include "internal.h"
#include "percpu.h"

/* CPU 0's GDT is loaded by {32,64}/head.S before C runs: initialised data. */
struct x86_cpu x86_cpus[NR_CPUS] = {
	[0] = { .gdt = {
#ifdef __x86_64__
		[GDT_KERNEL_CODE] = SEG_CODE64_KERNEL,
		[GDT_USER_CODE64] = SEG_CODE64_USER,
#else
		[GDT_KERNEL_CODE] = SEG_CODE32_KERNEL,
#endif
		[GDT_KERNEL_DATA] = SEG_DATA_KERNEL,
		[GDT_USER_CODE32] = SEG_CODE32_USER,
		[GDT_USER_DATA] = SEG_DATA_USER,
	} },
};

_Static_assert(offsetof(struct x86_cpu, gdt) == 0, "head.h loads x86_cpus as CPU 0's GDT");

struct gate_desc x86_idt[X86_NR_VECTORS] __aligned(16);

uint64_t
x86_system_desc(uintptr_t base, uint32_t limit, uint8_t type)
{
	uint32_t b = (uint32_t)base;

	return (limit & 0xffffull) | (uint64_t)(b & 0xffffff) << 16 |
	    (uint64_t)type << 40 | (uint64_t)((limit >> 16) & 0xf) << 48 |
	    (uint64_t)(b >> 24) << 56;
}

#ifndef __x86_64__
/* A flat ring-0 data segment (4 KiB granules, 32-bit) based at base. */
uint64_t
x86_data_desc(uintptr_t base, unsigned int dpl)
{
	return x86_system_desc(base, 0xfffff, (uint8_t)(0x92 | dpl << 5)) | 0xcULL << 52;
}
#endif

void
x86_gdt_setup(unsigned int cpu)
{
	uint64_t *gdt = x86_cpus[cpu].gdt;

	if (cpu != 0)
		memcpy(gdt, x86_cpus[0].gdt, sizeof(x86_cpus[0].gdt));
#ifndef __x86_64__
	/* FS is the per-CPU segment: based at this CPU's struct cpu. */
	gdt[GDT_PERCPU] = x86_data_desc((uintptr_t)&cpus[cpu], 0);
	gdt[GDT_TLS] = 0;			/* until a thread with TLS runs */
#endif
	/*
	 * A user-readable, byte-granular data segment whose limit is the CPU
	 * number (node 0 in bits 12 and up, as Linux encodes it): LSL gives
	 * it to the vDSO's getcpu.  Never loaded into a segment register.
	 */
	gdt[GDT_CPUNODE] = x86_system_desc(0, cpu, 0xf1) | 0x4ULL << 52;	/* P, DPL 3, data RO; D */
	x86_tss_setup(cpu);
}

void
x86_cpu_load_tables(unsigned int cpu)
{
	struct desc_ptr gdtr = { sizeof(x86_cpus[cpu].gdt) - 1, (uintptr_t)x86_cpus[cpu].gdt };
	struct desc_ptr idtr = { sizeof(x86_idt) - 1, (uintptr_t)x86_idt };

	x86_load_gdt(&gdtr);
	/* After the GDT load, which reloaded FS and GS (and their bases). */
#ifdef __x86_64__
	wrmsr(MSR_GS_BASE, (uintptr_t)&cpus[cpu]);
#else
	__asm__ __volatile__("movl %0, %%fs" :: "r"(PERCPU_SEL) : "memory");
#endif
	__asm__ __volatile__("ltr %w0" :: "r"(TSS_SEL) : "memory");
	__asm__ __volatile__("lidt %0" :: "m"(idtr) : "memory");
#if defined(CONFIG_PROCESSES) && defined(__x86_64__)
	x86_syscall_init();
#endif
}

void
x86_desc_init(void)
{
	for (unsigned int v = 0; v < X86_NR_VECTORS; v++)
		x86_set_gate(v, (uintptr_t)x86_vector_stubs + v * X86_STUB_SIZE);
	x86_gdt_setup(0);
	x86_cpu_load_tables(0);
}
