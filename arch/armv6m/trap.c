/*
 * ARMv6-M faults.  The architecture has a single fault exception,
 * HardFault, and no fault status registers (no CFSR, HFSR, BFAR or
 * MMFAR), so the cause is decoded from what the hardware stacked and from
 * the instruction at the stacked PC: an undefined instruction, a BKPT, a
 * load or store (its address computed from the saved registers), or a
 * fetch from somewhere that holds no code.  On an ARMv7-M core (the MPS2's
 * Cortex-M3) the same decoding applies, and the report adds the status
 * registers it has (CFSR, HFSR, and BFAR when valid), then clears them.
 */
#include <string.h>
#include <arch/cpu.h>
#include <arch/trap.h>
#include <kernel/mmio.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/thread.h>
#include <kernel/trap.h>
#include "armv6m.h"

#define SEMIHOST_BKPT	0xbeab		/* bkpt #0xab */

struct access {
	uint32_t addr;
	unsigned int size;
	bool write;
	bool block;		/* LDM/STM/PUSH/POP: addr is the first word */
};

bool
armv6m_readable(uintptr_t start, size_t len)
{
	uintptr_t end = start + len;

	if (end < start)
		return false;
	return (start >= (uintptr_t)__flash_start && end <= (uintptr_t)__image_end) ||
	       (start >= (uintptr_t)__ram_start && end <= (uintptr_t)__ram_end);
}

/* Low register r (0-7) or SP (13) of the interrupted code. */
static uint32_t
reg(const struct arch_regs *regs, unsigned int r)
{
	const struct armv6m_hw_frame *f = regs->frame;
	const uint32_t saved[8] = {
		f->r0, f->r1, f->r2, f->r3, regs->r4, regs->r5, regs->r6, regs->r7,
	};

	return r == 13 ? armv6m_frame_sp(regs) : saved[r & 7];
}

static unsigned int
popcount8(unsigned int v)
{
	unsigned int n = 0;

	for (v &= 0xff; v; v &= v - 1)
		n++;
	return n;
}

/* The data access a 16-bit Thumb load or store makes; false if not one. */
static bool
decode_access(const struct arch_regs *regs, uint16_t insn, uint32_t pc,
	      struct access *a)
{
	static const uint8_t regoff_size[8] = { 4, 2, 1, 1, 4, 2, 1, 2 };
	unsigned int rn = (insn >> 3) & 7, rm = (insn >> 6) & 7;
	unsigned int imm5 = (insn >> 6) & 0x1f, imm8 = insn & 0xff;

	*a = (struct access){ .size = 4 };
	switch (insn >> 11) {
	case 0x09:			/* LDR Rt, [PC, #imm8] */
		a->addr = ((pc + 4) & ~3u) + imm8 * 4;
		return true;
	case 0x0a: case 0x0b: {		/* STR/STRH/STRB/LDRSB/LDR/LDRH/LDRB/LDRSH [Rn, Rm] */
		unsigned int op = (insn >> 9) & 7;

		a->addr = reg(regs, rn) + reg(regs, rm);
		a->size = regoff_size[op];
		a->write = op < 3;
		return true;
	}
	case 0x0c: case 0x0d:		/* STR/LDR Rt, [Rn, #imm5 * 4] */
		a->addr = reg(regs, rn) + imm5 * 4;
		a->write = !(insn & 0x0800);
		return true;
	case 0x0e: case 0x0f:		/* STRB/LDRB Rt, [Rn, #imm5] */
		a->addr = reg(regs, rn) + imm5;
		a->size = 1;
		a->write = !(insn & 0x0800);
		return true;
	case 0x10: case 0x11:		/* STRH/LDRH Rt, [Rn, #imm5 * 2] */
		a->addr = reg(regs, rn) + imm5 * 2;
		a->size = 2;
		a->write = !(insn & 0x0800);
		return true;
	case 0x12: case 0x13:		/* STR/LDR Rt, [SP, #imm8 * 4] */
		a->addr = reg(regs, 13) + imm8 * 4;
		a->write = !(insn & 0x0800);
		return true;
	case 0x18: case 0x19:		/* STM/LDM Rn!, {list} */
		a->addr = reg(regs, (insn >> 8) & 7);
		a->write = !(insn & 0x0800);
		a->block = true;
		return true;
	case 0x16: case 0x17:
		if ((insn & 0xfe00) == 0xb400) {	/* PUSH {list, lr} */
			a->addr = reg(regs, 13) -
				  4 * (popcount8(insn) + ((insn >> 8) & 1));
			a->write = true;
			a->block = true;
			return true;
		}
		if ((insn & 0xfe00) == 0xbc00) {	/* POP {list, pc} */
			a->addr = reg(regs, 13);
			a->block = true;
			return true;
		}
		return false;
	default:
		return false;
	}
}

static const char *
mode_name(uint32_t exc_return, uint32_t xpsr)
{
	if (!(exc_return & EXC_RETURN_THREAD))
		return "Handler mode";
	if (exc_return & EXC_RETURN_PSP)
		return "Thread mode on PSP";
	return XPSR_EXCEPTION(xpsr) ? "Handler mode" : "Thread mode on MSP";
}

#ifdef CONFIG_ARMV6M_MPU_STACK_GUARD
/*
 * A thread that ran into its MPU guard (mpu.c) faults with its stack
 * pointer at most a frame above the guard.  Stacking the fault's frame
 * then hits the guard too: ARMv7-M says so in CFSR.MSTKERR and leaves
 * nothing there (QEMU does the same); whatever an ARMv6-M core writes
 * lands in the guard area, which belongs to the thread's allocation.
 * Anything else with the stack that low has exhausted it too.  No return.
 */
static void
stack_guard_check(struct arch_regs *regs)
{
	struct thread *t = thread_current();
	uintptr_t sp = (uintptr_t)regs->frame, guard;

	if (!(regs->exc_return & EXC_RETURN_PSP) || !t ||
	    !armv6m_stack_guard_of(&t->arch, &guard) || sp >= guard + ARMV6M_GUARD_SIZE + 64)
		return;
	if (armv6m_core_is_v7m && (mmio_read32(SCB_CFSR) & CFSR_MSTKERR)) {
		printk(KERN_EMERG "HardFault: thread " THREAD_FMT " hit its stack guard; its registers "
		       "could not be stacked (CFSR %#lx)\n", THREAD_ARG(t),
		       (unsigned long)mmio_read32(SCB_CFSR));
	} else {
		printk(KERN_EMERG "HardFault at pc %#lx: thread " THREAD_FMT " hit its stack guard\n",
		       (unsigned long)regs->frame->pc, THREAD_ARG(t));
		arch_regs_dump(regs);
	}
	panic("stack overflow: thread " THREAD_FMT " hit the MPU guard below its %zu-byte stack "
	      "(sp %#lx, guard %#lx-%#lx)", THREAD_ARG(t), thread_stack_size(t), (unsigned long)sp,
	      (unsigned long)guard, (unsigned long)(guard + ARMV6M_GUARD_SIZE));
}
#endif

/*
 * Why the cause is a guess or what the status registers said: appended to
 * detail (an ARMv7-M core, QEMU's M3, has CFSR; reading clears it for the
 * next fault).  Written into detail, which lies on the handlers' stack,
 * rather than a buffer of its own: RAM is what a 16 KiB board lacks.
 */
static void
append_status(char *detail, size_t size)
{
	size_t len = strlen(detail);
	uint32_t cfsr, hfsr;

	if (!armv6m_core_is_v7m) {
		snprintf(detail + len, size - len,
			 "; no CFSR on ARMv6-M; decoded from the stacked frame and the instruction");
		return;
	}
	cfsr = mmio_read32(SCB_CFSR);
	hfsr = mmio_read32(SCB_HFSR);
	if (cfsr & CFSR_BFARVALID)
		snprintf(detail + len, size - len, "; CFSR %#lx, HFSR %#lx, BFAR %#lx",
			 (unsigned long)cfsr, (unsigned long)hfsr,
			 (unsigned long)mmio_read32(SCB_BFAR));
	else
		snprintf(detail + len, size - len, "; CFSR %#lx, HFSR %#lx",
			 (unsigned long)cfsr, (unsigned long)hfsr);
	mmio_write32(SCB_CFSR, cfsr);		/* the next fault's are its own */
	mmio_write32(SCB_HFSR, hfsr);
}

/* Decode the fault into r; detail gets the human-readable cause. */
static void
decode_fault(const struct arch_regs *regs, struct trap_report *r, char *detail,
	     size_t size)
{
	const struct armv6m_hw_frame *f = regs->frame;
	const char *mode = mode_name(regs->exc_return, f->xpsr);
	uint32_t pc = f->pc;
	uint16_t insn;
	struct access a;

	r->kind = TRAP_HARDFAULT;
	if (!(f->xpsr & XPSR_T)) {
		snprintf(detail, size, "xPSR.T clear: branch to an even address (no ARM state), %s",
			 mode);
		return;
	}
	if ((pc & 1) || !armv6m_readable(pc, 2)) {
		r->kind = TRAP_PREFETCH_ABORT;
		r->addr = pc;
		r->addr_valid = true;
		snprintf(detail, size, "instruction fetch from %#lx, outside flash and RAM, %s",
			 (unsigned long)pc, mode);
		return;
	}
	insn = *(const volatile uint16_t *)(uintptr_t)pc;

	if ((insn & 0xff00) == 0xde00) {
		r->kind = TRAP_UNDEFINED;
		snprintf(detail, size, "UDF #%u (%04x), %s", insn & 0xff, insn, mode);
	} else if ((insn & 0xff00) == 0xbe00) {
		r->kind = TRAP_BREAKPOINT;
		snprintf(detail, size, "BKPT #%#x with no debugger, %s", insn & 0xff, mode);
	} else if ((insn & 0xff00) == 0xdf00) {
		r->kind = TRAP_OTHER;
		snprintf(detail, size, "SVC #%u escalated (interrupts masked or in a handler), %s",
			 insn & 0xff, mode);
	} else if ((insn >> 11) >= 0x1d) {
		uint16_t insn2 = armv6m_readable(pc + 2, 2) ?
				 *(const volatile uint16_t *)(uintptr_t)(pc + 2) : 0;

		r->kind = TRAP_UNDEFINED;
		snprintf(detail, size, "32-bit instruction %04x %04x undefined on ARMv6-M, %s",
			 insn, insn2, mode);
	} else if (decode_access(regs, insn, pc, &a)) {
		bool misaligned = !a.block && (a.addr & (a.size - 1));

		r->kind = misaligned ? TRAP_ALIGNMENT : TRAP_DATA_ABORT;
		r->addr = a.addr;
		r->addr_valid = true;
		snprintf(detail, size, "%s %u-byte %s %s %#lx (%04x), %s",
			 misaligned ? "unaligned" : "bus error on", a.size,
			 a.write ? "write" : "read", a.block ? "block from" : "at",
			 (unsigned long)a.addr, insn, mode);
	} else {
		snprintf(detail, size, "cause unknown, instruction %04x, %s", insn, mode);
	}
}

void
armv6m_hardfault(struct arch_regs *regs)
{
	char detail[192];
	struct trap_report r = {
		.vector = "HardFault",
		.detail = detail,
		.code_name = "xPSR/EXC_RETURN",
	};
	uintptr_t fixup;

	if (!armv6m_readable((uintptr_t)regs->frame, sizeof(*regs->frame))) {
		/*
		 * A process-stack frame outside RAM: the hardware could not
		 * stack it, so nothing more to read.  Below RAM it is the boot
		 * stack (thread main, at the bottom of RAM) overflowing.
		 */
		struct thread *t = thread_current();
		uintptr_t sp = (uintptr_t)regs->frame;

		r.kind = TRAP_HARDFAULT;
		r.code = regs->exc_return;
		r.addr = sp;
		r.addr_valid = true;
		if (sp < (uintptr_t)__ram_start && sp >= (uintptr_t)__ram_start - 256)
			snprintf(detail, sizeof(detail),
				 "stack overflow: thread " THREAD_FMT " ran off the bottom of RAM "
				 "(sp %#lx), no frame stacked", THREAD_ARG(t),
				 (unsigned long)sp);
		else
			snprintf(detail, sizeof(detail),
				 "exception frame at %#lx, outside RAM: the thread's stack "
				 "pointer is corrupt", (unsigned long)sp);
		trap_fatal(&r, regs);
		return;
	}
	r.code = (uint64_t)regs->frame->xpsr << 32 | regs->exc_return;
	r.pc = regs->frame->pc;

	/* A semihosting call with nobody to answer it: fail the call. */
	fixup = extable_fixup(r.pc);
	if (fixup && armv6m_readable(r.pc, 2) &&
	    *(const volatile uint16_t *)r.pc == SEMIHOST_BKPT) {
		regs->frame->r0 = (uint32_t)-1;
		arch_regs_set_pc(regs, fixup);
		return;
	}
#ifdef CONFIG_ARMV6M_MPU_STACK_GUARD
	stack_guard_check(regs);
#endif
	decode_fault(regs, &r, detail, sizeof(detail));
	append_status(detail, sizeof(detail));
	trap_fatal(&r, regs);
}

void
armv6m_nmi(struct arch_regs *regs)
{
	struct trap_report r = {
		.kind = TRAP_SYSTEM_ERROR,
		.vector = "NMI",
		.detail = "non-maskable interrupt",
		.code_name = "xPSR/EXC_RETURN",
		.code = (uint64_t)regs->frame->xpsr << 32 | regs->exc_return,
		.pc = regs->frame->pc,
	};

	trap_fatal(&r, regs);
}

void
armv6m_bad_exception(struct arch_regs *regs)
{
	unsigned int exc = XPSR_EXCEPTION(read_special(ipsr));
	char name[24];
	struct trap_report r = {
		.kind = TRAP_OTHER,
		.vector = name,
		.detail = "no handler for this exception yet",
		.code_name = "xPSR/EXC_RETURN",
		.code = (uint64_t)regs->frame->xpsr << 32 | regs->exc_return,
		.pc = regs->frame->pc,
	};

	if (exc == 11)
		snprintf(name, sizeof(name), "SVCall");
	else if (exc == 14)
		snprintf(name, sizeof(name), "PendSV");
	else
		snprintf(name, sizeof(name), "exception %u", exc);
	trap_fatal(&r, regs);
}

uintptr_t
arch_regs_pc(const struct arch_regs *regs)
{
	return regs->frame->pc;
}

/* The stacked PC must be a halfword address: bit 0 set is UNPREDICTABLE. */
void
arch_regs_set_pc(struct arch_regs *regs, uintptr_t pc)
{
	regs->frame->pc = (uint32_t)pc & ~1u;
}

void
arch_regs_dump(const struct arch_regs *regs)
{
	const struct armv6m_hw_frame *f = regs->frame;

	if (!armv6m_readable((uintptr_t)f, sizeof(*f))) {
		/* No hardware frame (it would have been outside RAM). */
		printk(KERN_EMERG "  r4  %08lx  r5  %08lx  r6  %08lx  r7  %08lx\n",
		       (unsigned long)regs->r4, (unsigned long)regs->r5,
		       (unsigned long)regs->r6, (unsigned long)regs->r7);
		printk(KERN_EMERG "  r8  %08lx  r9  %08lx  r10 %08lx  r11 %08lx\n",
		       (unsigned long)regs->r8, (unsigned long)regs->r9,
		       (unsigned long)regs->r10, (unsigned long)regs->r11);
		printk(KERN_EMERG "  sp  %08lx  exc_return %08lx (%s); r0-r3, r12, lr, pc, "
		       "xpsr were never stacked\n", (unsigned long)(uintptr_t)f,
		       (unsigned long)regs->exc_return,
		       mode_name(regs->exc_return, 0));
		return;
	}
	printk(KERN_EMERG "  r0  %08lx  r1  %08lx  r2  %08lx  r3  %08lx\n",
	       (unsigned long)f->r0, (unsigned long)f->r1,
	       (unsigned long)f->r2, (unsigned long)f->r3);
	printk(KERN_EMERG "  r4  %08lx  r5  %08lx  r6  %08lx  r7  %08lx\n",
	       (unsigned long)regs->r4, (unsigned long)regs->r5,
	       (unsigned long)regs->r6, (unsigned long)regs->r7);
	printk(KERN_EMERG "  r8  %08lx  r9  %08lx  r10 %08lx  r11 %08lx\n",
	       (unsigned long)regs->r8, (unsigned long)regs->r9,
	       (unsigned long)regs->r10, (unsigned long)regs->r11);
	printk(KERN_EMERG "  r12 %08lx  sp  %08lx  lr  %08lx  pc  %08lx\n",
	       (unsigned long)f->r12, (unsigned long)armv6m_frame_sp(regs),
	       (unsigned long)f->lr, (unsigned long)f->pc);
	printk(KERN_EMERG "  xpsr %08lx  exc_return %08lx (%s)\n",
	       (unsigned long)f->xpsr, (unsigned long)regs->exc_return,
	       mode_name(regs->exc_return, f->xpsr));
}
