/*
 * x86 exceptions: name the vector, decode its error code (page-fault
 * bits and CR2, the selector of a segment fault) into a trap_report for
 * the core; page faults go on to mm_page_fault(), and a double fault that
 * is a kernel stack overflow is reported as one.  Vectors from 32 up are
 * interrupts and go to irq_handle().
 */
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <arch/trap.h>
#include <asm/x86.h>
#include <kernel/irq.h>
#include <kernel/printk.h>
#include <kernel/trap.h>
#include <kernel/vm.h>
#include "internal.h"
#include "percpu.h"

#define TRAP_TEXT_SIZE	sizeof(x86_cpus[0].trap_text[0])

/* Page-fault error code bits. */
#define PF_P		(1u << 0)	/* protection violation (else not present) */
#define PF_W		(1u << 1)
#define PF_U		(1u << 2)
#define PF_RSVD		(1u << 3)
#define PF_I		(1u << 4)	/* instruction fetch */
#define PF_PK		(1u << 5)
#define PF_SS		(1u << 6)

/* Segment-related error code bits. */
#define SEL_EXT		(1u << 0)	/* an external event caused it */
#define SEL_IDT		(1u << 1)
#define SEL_TI		(1u << 2)	/* LDT rather than GDT */

static const struct {
	const char *name;
	enum trap_kind kind;
	bool error_code;
} exceptions[X86_NR_EXCEPTIONS] = {
	[0] = { "#DE divide error", TRAP_DIVIDE, false },
	[1] = { "#DB debug", TRAP_BREAKPOINT, false },
	[2] = { "NMI", TRAP_SYSTEM_ERROR, false },
	[3] = { "#BP breakpoint", TRAP_BREAKPOINT, false },
	[4] = { "#OF overflow", TRAP_OTHER, false },
	[5] = { "#BR bound range exceeded", TRAP_OTHER, false },
	[6] = { "#UD invalid opcode", TRAP_UNDEFINED, false },
	[7] = { "#NM device not available", TRAP_OTHER, false },
	[8] = { "#DF double fault", TRAP_DOUBLE_FAULT, true },
	[9] = { "coprocessor segment overrun", TRAP_OTHER, false },
	[10] = { "#TS invalid TSS", TRAP_PROTECTION, true },
	[11] = { "#NP segment not present", TRAP_PROTECTION, true },
	[12] = { "#SS stack-segment fault", TRAP_PROTECTION, true },
	[13] = { "#GP general protection", TRAP_PROTECTION, true },
	[14] = { "#PF page fault", TRAP_DATA_ABORT, true },
	[15] = { "reserved vector 15", TRAP_OTHER, false },
	[16] = { "#MF x87 floating-point error", TRAP_OTHER, false },
	[17] = { "#AC alignment check", TRAP_ALIGNMENT, true },
	[18] = { "#MC machine check", TRAP_SYSTEM_ERROR, false },
	[19] = { "#XM SIMD floating-point", TRAP_OTHER, false },
	[20] = { "#VE virtualization exception", TRAP_OTHER, false },
	[21] = { "#CP control protection", TRAP_PROTECTION, true },
	[22] = { "reserved vector 22", TRAP_OTHER, false },
	[23] = { "reserved vector 23", TRAP_OTHER, false },
	[24] = { "reserved vector 24", TRAP_OTHER, false },
	[25] = { "reserved vector 25", TRAP_OTHER, false },
	[26] = { "reserved vector 26", TRAP_OTHER, false },
	[27] = { "reserved vector 27", TRAP_OTHER, false },
	[28] = { "#HV hypervisor injection", TRAP_OTHER, false },
	[29] = { "#VC VMM communication", TRAP_OTHER, true },
	[30] = { "#SX security exception", TRAP_OTHER, true },
	[31] = { "reserved vector 31", TRAP_OTHER, false },
};

static void
decode_page_fault(uint32_t err, char *buf, size_t size)
{
	snprintf(buf, size, "%s, %s, %s mode%s%s%s%s",
		 err & PF_P ? "protection violation" : "page not present",
		 err & PF_I ? "instruction fetch" : err & PF_W ? "write" : "read",
		 err & PF_U ? "user" : "kernel",
		 err & PF_RSVD ? ", reserved bit set in a paging entry" : "",
		 err & PF_PK ? ", protection key" : "",
		 err & PF_SS ? ", shadow stack" : "",
		 (err & ~0x7fu) ? ", other bits set" : "");
}

static void
decode_selector(uint32_t err, char *buf, size_t size)
{
	const char *table = err & SEL_IDT ? "IDT" : err & SEL_TI ? "LDT" : "GDT";

	if ((err & 0xffff) == 0) {
		snprintf(buf, size, "no selector involved");
		return;
	}
	if (err & SEL_IDT)
		snprintf(buf, size, "IDT vector %#x%s", (err & 0xffff) >> 3,
			 err & SEL_EXT ? ", during an external event" : "");
	else
		snprintf(buf, size, "%s selector %#x (index %#x, RPL %u)%s", table,
			 err & 0xfffc, (err & 0xffff) >> 3, err & 3,
			 err & SEL_EXT ? ", during an external event" : "");
}

/*
 * The boot stack (head.h) is not a kstack_alloc() stack, but has a guard
 * page of its own: name it the same way.
 */
static bool
boot_stack_overflow(uintptr_t addr, struct trap_report *r, char *detail, size_t size)
{
	if (!x86_boot_stack_guard(addr))
		return false;
	r->kind = TRAP_STACK_OVERFLOW;
	r->addr = addr;
	r->addr_valid = true;
	snprintf(detail, size, "kernel stack overflow: the boot stack; %s", r->detail);
	r->detail = detail;
	return true;
}

static void
page_fault(struct arch_regs *regs, struct trap_report *r, uint32_t err)
{
	char *detail = x86_this_cpu()->trap_text[1];
	struct page_fault pf = {
		.addr = read_cr(2),
		.write = err & PF_W,
		.exec = err & PF_I,
		.user = err & PF_U,
		.protection = err & PF_P,
	};

	/* A kernel access to a present user page with EFLAGS.AC clear: SMAP's. */
	pf.pan = x86_smap && !pf.user && !pf.exec && pf.protection && pf.addr < USER_TOP &&
		 !(x86_regs_flags(regs) & X86_EFLAGS_AC);
	r->addr = pf.addr;
	r->addr_valid = true;
	if (err & PF_I)
		r->kind = TRAP_PREFETCH_ABORT;
	/* A reserved bit means broken page tables, not a bad access. */
	if (!(err & PF_RSVD) && !boot_stack_overflow(pf.addr, r, detail, TRAP_TEXT_SIZE))
		mm_page_fault(&pf, r, regs);
	else
		trap_fatal(r, regs);
}

/*
 * The #PF of a stack overflow cannot be delivered: its frame would be
 * pushed on the guard page.  That is the double fault, with CR2 still the
 * address of the push; the stack pointer must be at that stack's bottom.
 */
static bool
stack_overflow(struct arch_regs *regs, struct trap_report *r, char *detail, size_t size)
{
	uintptr_t cr2 = read_cr(2), sp = x86_regs_sp(regs);
	const struct kstack *ks = kstack_guard_hit(cr2);
	struct page_fault pf = { .addr = cr2, .write = true };

	r->detail = "no room on the stack for a page fault's frame";
	if (boot_stack_overflow(cr2, r, detail, size)) {
		trap_fatal(r, regs);
		return true;
	}
	if (!ks || sp >= ks->base + PAGE_SIZE || (sp < ks->base && kstack_guard_hit(sp) != ks))
		return false;
	mm_page_fault(&pf, r, regs);
	return true;
}

static void
x86_exception(struct arch_regs *regs)
{
	unsigned int vec = x86_regs_vector(regs);
	uint32_t err = (uint32_t)regs->error;
	/*
	 * Not on the stack: an expected trap's report (trap_expect_end())
	 * outlives this handler, and the next interrupt on this stack would
	 * overwrite the text (the tick's path into the scheduler does).  Per
	 * CPU: two CPUs may fault at once.
	 */
	char *detail = x86_this_cpu()->trap_text[0];
	struct trap_report r = {
		.kind = exceptions[vec].kind,
		.vector = exceptions[vec].name,
		.code_name = exceptions[vec].error_code ? "error code" : "vector",
		.code = exceptions[vec].error_code ? err : vec,
		.pc = arch_regs_pc(regs),
		.detail = detail,
	};

	switch (vec) {
#ifndef __x86_64__
	case 7:
		/*
		 * A task switch set CR0.TS (the double-fault task's resume
		 * clears it; any other switch back would not), and nothing
		 * here switches FP lazily: clear it and go on.
		 */
		if (read_cr(0) & CR0_TS) {
			__asm__ __volatile__("clts" ::: "memory");
			return;
		}
		break;
#endif
	case 14:
		decode_page_fault(err, detail, TRAP_TEXT_SIZE);
		page_fault(regs, &r, err);
		return;
	case 10: case 11: case 12: case 13:
		decode_selector(err, detail, TRAP_TEXT_SIZE);
		break;
	case 8:
		if (stack_overflow(regs, &r, detail, TRAP_TEXT_SIZE))
			return;
		r.detail = detail;
		snprintf(detail, TRAP_TEXT_SIZE,
			 "a fault while delivering another (kernel stack overflow?)");
		break;
	case 21:
		snprintf(detail, TRAP_TEXT_SIZE, "control-flow violation type %u", err);
		break;
	default:
		if (exceptions[vec].error_code)
			snprintf(detail, TRAP_TEXT_SIZE, "vector %u", vec);
		else
			r.detail = NULL;
		break;
	}
	trap_fatal(&r, regs);
}

void
x86_trap(struct arch_regs *regs)
{
#ifdef CONFIG_PROCESSES
	if (regs->cs & 3) {
		x86_user_entry(regs);
		return;
	}
#endif
	if (x86_regs_vector(regs) < X86_NR_EXCEPTIONS)
		x86_exception(regs);
	else
		irq_handle(regs);
}
