/*
 * AArch64 synchronous exceptions: decode ESR_EL1 into a trap_report for
 * the core, aborts into a struct page_fault for mm_page_fault(), stack
 * overflows (vectors.S), resume points, and the register dump the report
 * ends with.
 */
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <arch/trap.h>
#include <kernel/cpu.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/trap.h>
#include <kernel/vm.h>
#include "mmu_internal.h"
#include "sysregs.h"

void aarch64_sync(struct arch_regs *regs);
void aarch64_sync_no_room(struct arch_regs *regs);
void aarch64_sync_nested(struct arch_regs *regs);
__noreturn void aarch64_exception_stack_overflow(void);
void aarch64_bad_vector(struct arch_regs *regs, unsigned long index);

#define ESR_WNR		(1u << 6)	/* data abort: a write */
#define ESR_CM		(1u << 8)	/* data abort: cache maintenance */
#define ESR_FNV		(1u << 10)	/* FAR not valid */

#define SPSR_MODE_MASK	0xfu
#define SPSR_EL1H	0x5u
#define SPSR_DAIF	0x3c0u

#define ESR_EC(esr)	(((esr) >> 26) & 0x3f)
#define ESR_ISS(esr)	((esr) & 0x1ffffff)

static const char *
ec_name(unsigned int ec)
{
	switch (ec) {
	case 0x00: return "unknown reason (undefined instruction)";
	case 0x01: return "WFI/WFE trapped";
	case 0x07: return "SVE/SIMD/FP access trapped";
	case 0x0e: return "illegal execution state";
	case 0x15: return "SVC from AArch64";
	case 0x16: return "HVC from AArch64";
	case 0x17: return "SMC from AArch64";
	case 0x18: return "MSR/MRS/system instruction trapped";
	case 0x20: return "instruction abort from a lower EL";
	case 0x21: return "instruction abort at the current EL";
	case 0x22: return "PC alignment fault";
	case 0x24: return "data abort from a lower EL";
	case 0x25: return "data abort at the current EL";
	case 0x26: return "SP alignment fault";
	case 0x2f: return "SError";
	case 0x30: case 0x31: return "breakpoint";
	case 0x32: case 0x33: return "software step";
	case 0x34: case 0x35: return "watchpoint";
	case 0x3c: return "BRK instruction";
	default: return "reserved exception class";
	}
}

/* The fault status code of an abort (ISS.DFSC/IFSC). */
static const char *
fsc_name(unsigned int fsc)
{
	switch (fsc & 0x3c) {
	case 0x00: return "address size fault";
	case 0x04: return "translation fault";
	case 0x08: return "access flag fault";
	case 0x0c: return "permission fault";
	}
	switch (fsc) {
	case 0x10: return "synchronous external abort";
	case 0x21: return "alignment fault";
	case 0x30: return "TLB conflict abort";
	default: return "other fault";
	}
}

static enum trap_kind
ec_kind(unsigned int ec)
{
	switch (ec) {
	case 0x00: return TRAP_UNDEFINED;
	case 0x20: case 0x21: return TRAP_PREFETCH_ABORT;
	case 0x24: case 0x25: return TRAP_DATA_ABORT;
	case 0x22: case 0x26: return TRAP_ALIGNMENT;
	case 0x30: case 0x31: case 0x3c: return TRAP_BREAKPOINT;
	case 0x2f: return TRAP_SYSTEM_ERROR;
	default: return TRAP_OTHER;
	}
}

static bool
is_abort(unsigned int ec)
{
	return ec == 0x20 || ec == 0x21 || ec == 0x24 || ec == 0x25;
}

/*
 * A data or instruction abort.  Translation, access flag and permission
 * faults are page faults: the core names the cause.  A fault in the boot
 * or exception stack's guard page is reported here, since those stacks
 * are not the core's.  The rest (external aborts, alignment, address
 * size) are fatal as they are.
 */
/* LDTR, STTR and the other unprivileged loads and stores, which PAN lets through. */
static bool
unprivileged_ldst(uintptr_t pc)
{
	return (*(const uint32_t *)pc & 0x3f200c00) == 0x38000800;
}

static void
abort_fault(struct trap_report *r, struct arch_regs *regs, uint64_t esr, unsigned int ec)
{
	unsigned int fsc = ESR_ISS(esr) & 0x3f, type = fsc & 0x3c;
	bool exec = ec == 0x20 || ec == 0x21;
	struct page_fault pf = {
		.addr = r->addr,
		.exec = exec,
		.write = !exec && (esr & ESR_WNR) && !(esr & ESR_CM),
		.user = ec == 0x20 || ec == 0x24,
		.protection = type == 0x08 || type == 0x0c,
	};
	/* A permission fault on a user address while PAN was set: PAN's own. */
	pf.pan = !pf.user && !exec && type == 0x0c && r->addr_valid && pf.addr < USER_TOP &&
		 (regs->pstate & SPSR_PAN) && !unprivileged_ldst(r->pc);
	const char *stack = pf.user ? NULL : mmu_guard_owner(pf.addr);
	/* Per CPU (exceptions mask interrupts: no migration), one report at a time. */
	static char details[NR_CPUS][192];
	char *detail = details[cpu_id()];

	if (!r->addr_valid || (type != 0x04 && type != 0x08 && type != 0x0c)) {
		trap_fatal(r, regs);
		return;
	}
	if (stack) {
		snprintf(detail, sizeof(details[0]), "kernel stack overflow: %s stack; %s", stack,
			 r->detail);
		r->kind = TRAP_STACK_OVERFLOW;
		r->detail = detail;
		trap_fatal(r, regs);
		return;
	}
	mm_page_fault(&pf, r, regs);
}

static void
sync_exception(struct arch_regs *regs, const char *vector, const char *note)
{
	uint64_t esr = read_sysreg(esr_el1);
	unsigned int ec = ESR_EC(esr);
	char detail[160];
	struct trap_report r = {
		.kind = ec_kind(ec),
		.vector = vector,
		.code_name = "ESR_EL1",
		.code = esr,
		.pc = regs->pc,
		.detail = detail,
	};

	if (is_abort(ec)) {
		unsigned int fsc = ESR_ISS(esr) & 0x3f;

		r.addr = read_sysreg(far_el1);
		r.addr_valid = !(ec >= 0x24 && (esr & ESR_FNV));
		snprintf(detail, sizeof(detail), "EC %#x %s: %s, level %u%s%s", ec,
			 ec_name(ec), fsc_name(fsc), fsc & 3,
			 ec >= 0x24 ? ((esr & ESR_WNR) ? ", write" : ", read") : "", note);
		abort_fault(&r, regs, esr, ec);
	} else {
		snprintf(detail, sizeof(detail), "EC %#x %s, ISS %#lx%s", ec, ec_name(ec),
			 (unsigned long)ESR_ISS(esr), note);
		trap_fatal(&r, regs);
	}
}

void
aarch64_sync(struct arch_regs *regs)
{
	sync_exception(regs, "EL1h synchronous", "");
}

/* The interrupted stack had no room for the frame (vectors.S). */
void
aarch64_sync_no_room(struct arch_regs *regs)
{
	sync_exception(regs, "EL1h synchronous, no stack room: on the exception stack", "");
}

/* An exception while handling one on the exception stack. */
void
aarch64_sync_nested(struct arch_regs *regs)
{
	sync_exception(regs, "EL1t synchronous (on the exception stack)", "");
}

__noreturn void
aarch64_exception_stack_overflow(void)
{
	panic("exception stack overflow: the handler of an exception ran out of it");
}

void
aarch64_bad_vector(struct arch_regs *regs, unsigned long index)
{
	static const char *const names[] = {
		"EL1t synchronous", "EL1t IRQ", "EL1t FIQ", "EL1t SError",
		"EL1h synchronous", "EL1h IRQ", "EL1h FIQ", "EL1h SError",
		"EL0 (AArch64) synchronous", "EL0 (AArch64) IRQ", "EL0 (AArch64) FIQ",
		"EL0 (AArch64) SError", "EL0 (AArch32) synchronous", "EL0 (AArch32) IRQ",
		"EL0 (AArch32) FIQ", "EL0 (AArch32) SError",
	};
	uint64_t esr = read_sysreg(esr_el1);
	struct trap_report r = {
		.kind = (index & 3) == 3 ? TRAP_SYSTEM_ERROR : TRAP_OTHER,
		.vector = names[index & 15],
		.detail = (index & 3) == 0 ? ec_name(ESR_EC(esr)) : NULL,
		.code_name = "ESR_EL1",
		.code = esr,
		.pc = regs->pc,
	};

	trap_fatal(&r, regs);
}

uintptr_t
arch_regs_pc(const struct arch_regs *regs)
{
	return regs->pc;
}

bool
arch_regs_irqs_enabled(const struct arch_regs *regs)
{
	return !(regs->pstate & DAIF_I);
}

uintptr_t
arch_regs_fp(const struct arch_regs *regs)
{
	return regs->x[29];
}

void
arch_regs_set_pc(struct arch_regs *regs, uintptr_t pc)
{
	regs->pc = pc;
}

void
arch_regs_dump(const struct arch_regs *regs)
{
	for (int i = 0; i < 30; i += 3)
		printk(KERN_EMERG "  x%-2d %016llx  x%-2d %016llx  x%-2d %016llx\n",
		       i, (unsigned long long)regs->x[i], i + 1,
		       (unsigned long long)regs->x[i + 1], i + 2,
		       (unsigned long long)regs->x[i + 2]);
	printk(KERN_EMERG "  lr  %016llx  sp  %016llx  pc  %016llx\n",
	       (unsigned long long)regs->x[30], (unsigned long long)regs->sp,
	       (unsigned long long)regs->pc);
	printk(KERN_EMERG "  pstate %08llx\n", (unsigned long long)regs->pstate);
}

/*
 * Make the exception return land where arch_resume_set() returned, with
 * the registers, stack and interrupt mask it had, returning 1.
 */
void
arch_regs_resume(struct arch_regs *regs, const struct arch_resume *r)
{
	if ((regs->pstate & SPSR_MODE_MASK) != SPSR_EL1H)
		panic("cannot resume from an exception taken on the exception stack");
	for (int i = 0; i < 10; i++)
		regs->x[19 + i] = r->x19_x28[i];
	regs->x[29] = r->fp;
	regs->x[30] = r->lr;
	regs->x[0] = 1;
	regs->sp = r->sp;
	regs->pc = r->lr;
	regs->pstate = (regs->pstate & ~(uint64_t)SPSR_DAIF) | (r->daif & SPSR_DAIF);
}
