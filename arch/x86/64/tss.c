/*
 * x86-64 task state segments, one per CPU, and the gate format.  The TSS
 * holds no task, only stacks (64/tss.h): the interrupt stack table gives
 * a double fault, an NMI and a machine check a known-good stack each, so
 * a kernel stack overflow is reported instead of escalating to a triple
 * fault.  Those stacks have guard pages too (kstack_alloc()); the boot
 * CPU starts on static ones until memory management is up.
 */
#include <asm/desc.h>
#include <asm/trap.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include "../internal.h"
#include "../percpu.h"

#define IST_STACK_SIZE		8192
#define TSS_AVAILABLE		0x89

static char boot_ist_stacks[X86_EXC_STACKS][IST_STACK_SIZE] __aligned(16);
static const char *const ist_names[X86_EXC_STACKS] = { "#DF", "NMI", "#MC" };

void
x86_tss_setup(unsigned int cpu)
{
	struct x86_cpu *c = &x86_cpus[cpu];
	uintptr_t base = (uintptr_t)&c->tss;

	if (cpu == 0 && !c->tss.ist[0])
		for (int i = 0; i < X86_EXC_STACKS; i++)
			c->tss.ist[i] = (uintptr_t)boot_ist_stacks[i] + IST_STACK_SIZE;
	c->tss.iomap_base = sizeof(c->tss);		/* no I/O bitmap */
	c->gdt[GDT_TSS] = x86_system_desc(base, sizeof(c->tss) - 1, TSS_AVAILABLE);
	c->gdt[GDT_TSS + 1] = base >> 32;
}

int
x86_exception_stacks_alloc(unsigned int cpu)
{
	struct x86_cpu *c = &x86_cpus[cpu];
	int i, err = 0;

	for (i = 0; i < X86_EXC_STACKS && !err; i++) {
		snprintf(c->exc_stack_name[i], sizeof(c->exc_stack_name[i]), "%s stack of CPU%u",
			 ist_names[i], cpu);
		err = kstack_alloc(&c->exc_stack[i], IST_STACK_SIZE, c->exc_stack_name[i]);
	}
	if (err) {
		while (--i > 0)
			kstack_free(&c->exc_stack[i - 1]);
		return err;
	}
	/* Taken at the next exception: nothing runs on the old ones now. */
	for (i = 0; i < X86_EXC_STACKS; i++)
		c->tss.ist[i] = c->exc_stack[i].base + c->exc_stack[i].size;
	return 0;
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
