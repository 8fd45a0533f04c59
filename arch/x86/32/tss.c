/*
 * i386 task state segments and gate format.  The main TSS will hold the
 * ring-0 stack for user mode.  A double fault is a task gate to a second
 * TSS with its own stack and page tables: the CPU switches tasks even
 * when the kernel stack is gone, saving the state at the fault into the
 * main TSS, from which the report is made (and, when a test accepts the
 * fault, into which the resume point is written before switching back).
 */
#include <arch/trap.h>
#include <asm/desc.h>
#include <asm/x86.h>
#include "../internal.h"

#define DF_STACK_SIZE	8192
#define TSS_AVAILABLE	0x89

/* The 16-bit fields sit in the low half of 32-bit slots. */
struct tss32 {
	uint32_t link;
	uint32_t esp0, ss0, esp1, ss1, esp2, ss2;
	uint32_t cr3, eip, eflags;
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs;
	uint32_t ldt;
	uint16_t trap;
	uint16_t iomap_base;
};

static struct tss32 tss __aligned(16);
static struct tss32 df_tss __aligned(16);
static char df_stack[DF_STACK_SIZE] __aligned(16);

void x86_double_fault_task(void);
void x86_double_fault(uint32_t error);

void
x86_tss_init(void)
{
	tss.ss0 = KERNEL_DS;
	tss.cr3 = (uint32_t)read_cr(3);
	tss.iomap_base = sizeof(tss);		/* no I/O bitmap */

	df_tss.eip = (uintptr_t)x86_double_fault_task;
	df_tss.esp = (uintptr_t)df_stack + DF_STACK_SIZE;
	df_tss.eflags = 0x2;			/* reserved bit; IF clear */
	df_tss.cs = KERNEL_CS;
	df_tss.ds = df_tss.es = df_tss.ss = df_tss.gs = KERNEL_DS;
	df_tss.fs = PERCPU_SEL;
	df_tss.cr3 = (uint32_t)read_cr(3);
	df_tss.iomap_base = sizeof(df_tss);

	x86_gdt[GDT_TSS] = x86_system_desc((uintptr_t)&tss, sizeof(tss) - 1,
					   TSS_AVAILABLE);
	x86_gdt[GDT_DF_TSS] = x86_system_desc((uintptr_t)&df_tss,
					      sizeof(df_tss) - 1, TSS_AVAILABLE);
	__asm__ __volatile__("ltr %w0" :: "r"(TSS_SEL) : "memory");
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
		g->offset1 = (uint16_t)(handler >> 16);
	}
	g->zero = 0;
}

/*
 * A task switch loads CR3 from the TSS it enters but never saves it: the
 * double-fault task must run on the tables now loaded (any would do, the
 * kernel half is everywhere), and the switch back after a resume must
 * return to them.
 */
void
x86_tss_set_cr3(uintptr_t cr3)
{
	df_tss.cr3 = (uint32_t)cr3;
	tss.cr3 = (uint32_t)cr3;
}

/*
 * Runs as the double-fault task: report the state the fault interrupted.
 * Returns only to resume at a resume point (arch_regs_resume()).  The
 * switch back sets CR0.TS, like every task switch; nothing in the kernel
 * uses the FPU yet.
 */
void
x86_double_fault(uint32_t error)
{
	struct arch_regs regs = {
		.edi = tss.edi, .esi = tss.esi, .ebp = tss.ebp, .sp = tss.esp,
		.ebx = tss.ebx, .edx = tss.edx, .ecx = tss.ecx, .eax = tss.eax,
		.ds = tss.ds, .es = tss.es, .fs = tss.fs, .gs = tss.gs,
		.vector = 8, .error = error,
		.eip = tss.eip, .cs = tss.cs, .eflags = tss.eflags,
		.esp = tss.esp, .ss = tss.ss,
	};

	x86_trap(&regs);
	if (regs.vector != X86_VECTOR_RESUME)
		for (;;)
			__asm__ __volatile__("cli; hlt");
	tss.ebx = regs.ebx;
	tss.esi = regs.esi;
	tss.edi = regs.edi;
	tss.ebp = regs.ebp;
	tss.esp = regs.sp;
	tss.eip = regs.eip;
	tss.eax = regs.eax;
}
