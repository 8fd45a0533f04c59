/*
 * i386 task state segments, two per CPU, and the gate format.  The main
 * TSS will hold the ring-0 stack for user mode.  A double fault is a task
 * gate to the CPU's second TSS with its own stack and page tables: the
 * CPU switches tasks even when the kernel stack is gone, saving the state
 * at the fault into the main TSS, from which the report is made (and,
 * when a test accepts the fault, into which the resume point is written
 * before switching back).  The IDT is shared: its task gate names a
 * selector, and each CPU's GDT has its own TSS there.  The double-fault
 * stacks have guard pages (kstack_alloc()); the boot CPU starts on a
 * static one until memory management is up.
 */
#include <arch/trap.h>
#include <asm/desc.h>
#include <asm/x86.h>
#include <kernel/printk.h>
#include "../internal.h"
#include "../percpu.h"

#define DF_STACK_SIZE	8192
#define TSS_AVAILABLE	0x89

static char boot_df_stack[DF_STACK_SIZE] __aligned(16);

void x86_double_fault_task(void);
void x86_double_fault(uint32_t error);
void x86_resume_clts(void);

void
x86_tss_setup(unsigned int cpu)
{
	struct x86_cpu *c = &x86_cpus[cpu];
	struct x86_tss *df = &c->df_tss;

	c->tss.ss0 = KERNEL_DS;
	c->tss.cr3 = (uint32_t)read_cr(3);
	c->tss.iomap_base = sizeof(c->tss);		/* no I/O bitmap */

	df->eip = (uintptr_t)x86_double_fault_task;
	if (cpu == 0 && !df->esp)
		df->esp = (uintptr_t)boot_df_stack + DF_STACK_SIZE;
	df->eflags = 0x2;				/* reserved bit; IF clear */
	df->cs = KERNEL_CS;
	df->ds = df->es = df->ss = df->gs = KERNEL_DS;
	df->fs = PERCPU_SEL;				/* this CPU's GDT: its struct cpu */
	df->cr3 = (uint32_t)read_cr(3);
	df->iomap_base = sizeof(*df);

	c->gdt[GDT_TSS] = x86_system_desc((uintptr_t)&c->tss, sizeof(c->tss) - 1,
					  TSS_AVAILABLE);
	c->gdt[GDT_DF_TSS] = x86_system_desc((uintptr_t)df, sizeof(*df) - 1, TSS_AVAILABLE);
}

int
x86_exception_stacks_alloc(unsigned int cpu)
{
	struct x86_cpu *c = &x86_cpus[cpu];
	int err;

	snprintf(c->exc_stack_name[0], sizeof(c->exc_stack_name[0]), "#DF stack of CPU%u", cpu);
	err = kstack_alloc(&c->exc_stack[0], DF_STACK_SIZE, c->exc_stack_name[0]);
	if (err)
		return err;
	/* The task starts over from here at the next double fault. */
	c->df_tss.esp = c->exc_stack[0].base + c->exc_stack[0].size;
	return 0;
}

void
x86_set_gate(unsigned int vector, uintptr_t handler)
{
	struct gate_desc *g = &x86_idt[vector];

	if (vector == 8) {
		g->offset0 = 0;
		g->selector = DF_TSS_SEL;
		g->type = GATE_TASK;
		g->offset1 = 0;
	} else {
		g->offset0 = (uint16_t)handler;
		g->selector = KERNEL_CS;
		g->type = GATE_INTERRUPT;
#ifdef CONFIG_PROCESSES
		if (vector == 0x80)
			g->type = GATE_INTERRUPT_USER;	/* int 0x80 from ring 3: system calls */
#endif
		g->offset1 = (uint16_t)(handler >> 16);
	}
	g->zero = 0;
}

/*
 * A task switch loads CR3 from the TSS it enters but never saves it: the
 * double-fault task must run on the tables now loaded (any would do, the
 * kernel half is everywhere), and the switch back after a resume must
 * return to them.  This CPU's pair only: the others run their own tables.
 */
void
x86_tss_set_cr3(uintptr_t cr3)
{
	struct x86_cpu *c = x86_this_cpu();

	c->df_tss.cr3 = (uint32_t)cr3;
	c->tss.cr3 = (uint32_t)cr3;
}

/*
 * Runs as this CPU's double-fault task: report the state the fault
 * interrupted.  Returns only to resume at a resume point
 * (arch_regs_resume()), which it does through x86_resume_clts: the
 * switch back sets CR0.TS, like every task switch, and FP state is
 * switched eagerly here, never by trapping on TS.
 */
void
x86_double_fault(uint32_t error)
{
	struct x86_tss *tss = &x86_this_cpu()->tss;
	struct arch_regs regs = {
		.edi = tss->edi, .esi = tss->esi, .ebp = tss->ebp, .sp = tss->esp,
		.ebx = tss->ebx, .edx = tss->edx, .ecx = tss->ecx, .eax = tss->eax,
		.ds = tss->ds, .es = tss->es, .fs = tss->fs, .gs = tss->gs,
		.vector = 8, .error = error,
		.eip = tss->eip, .cs = tss->cs, .eflags = tss->eflags,
		.esp = tss->esp, .ss = tss->ss,
	};

	x86_trap(&regs);
	if (regs.vector != X86_VECTOR_RESUME)
		for (;;)
			__asm__ __volatile__("cli; hlt");
	tss->ebx = regs.ebx;
	tss->esi = regs.esi;
	tss->edi = regs.edi;
	tss->ebp = regs.ebp;
	tss->esp = regs.sp;
	tss->eax = regs.eax;
	/* Through a stub that clears the CR0.TS the switch back sets. */
	tss->ecx = regs.eip;
	tss->eip = (uintptr_t)x86_resume_clts;
}
