/*
 * x86-64 task state segment and gate format.  The TSS holds no task
 * here, only stacks: the interrupt stack table gives a double fault, an
 * NMI and a machine check a known-good stack, so a kernel stack overflow
 * is reported instead of escalating to a triple fault.
 */
#include <asm/desc.h>
#include <asm/trap.h>
#include "../internal.h"

#define IST_DOUBLE_FAULT	1
#define IST_NMI			2
#define IST_MACHINE_CHECK	3
#define IST_STACK_SIZE		8192

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];	/* stacks for entry from rings 0-2 */
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __packed;

static struct tss64 tss __aligned(16);
static char ist_stacks[3][IST_STACK_SIZE] __aligned(16);

void
x86_tss_init(void)
{
	uintptr_t base = (uintptr_t)&tss;

	for (int i = 0; i < 3; i++)
		tss.ist[i] = (uintptr_t)ist_stacks[i] + IST_STACK_SIZE;
	tss.iomap_base = sizeof(tss);		/* no I/O bitmap */
	x86_gdt[GDT_TSS] = x86_system_desc(base, sizeof(tss) - 1, 0x89);
	x86_gdt[GDT_TSS + 1] = base >> 32;
	__asm__ __volatile__("ltr %w0" :: "r"(TSS_SEL) : "memory");
}

void
x86_set_gate(unsigned int vector, uintptr_t handler)
{
	struct gate_desc *g = &x86_idt[vector];

	g->offset0 = (uint16_t)handler;
	g->selector = KERNEL_CS;
	switch (vector) {
	case 2: g->ist = IST_NMI; break;
	case 8: g->ist = IST_DOUBLE_FAULT; break;
	case 18: g->ist = IST_MACHINE_CHECK; break;
	default: g->ist = 0; break;
	}
	g->type = GATE_INTERRUPT;
	g->offset1 = (uint16_t)(handler >> 16);
	g->offset2 = (uint32_t)(handler >> 32);
	g->reserved = 0;
}

/* No task switches: a double fault runs on an IST stack, in the tables it hit. */
void
x86_tss_set_cr3(uintptr_t cr3)
{
}
