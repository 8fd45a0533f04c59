/*
 * AArch64 synchronous exceptions: decode ESR_EL1 into a trap_report for
 * the core, and the register dump the report ends with.
 */
#include <arch/cpu.h>
#include <arch/trap.h>
#include <kernel/printk.h>
#include <kernel/trap.h>

void aarch64_sync(struct arch_regs *regs);
void aarch64_bad_vector(struct arch_regs *regs, unsigned long index);

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

void
aarch64_sync(struct arch_regs *regs)
{
	uint64_t esr = read_sysreg(esr_el1);
	unsigned int ec = ESR_EC(esr);
	char detail[128];
	struct trap_report r = {
		.kind = ec_kind(ec),
		.vector = "EL1h synchronous",
		.code_name = "ESR_EL1",
		.code = esr,
		.pc = regs->pc,
		.detail = detail,
	};

	if (ec == 0x24 || ec == 0x25 || ec == 0x20 || ec == 0x21) {
		unsigned int fsc = ESR_ISS(esr) & 0x3f;

		r.addr = read_sysreg(far_el1);
		r.addr_valid = !(ec >= 0x24 && (esr & (1u << 10)));	/* FnV */
		snprintf(detail, sizeof(detail), "EC %#x %s: %s, level %u%s", ec,
			 ec_name(ec), fsc_name(fsc), fsc & 3,
			 ec >= 0x24 ? ((esr & (1u << 6)) ? ", write" : ", read") : "");
	} else {
		snprintf(detail, sizeof(detail), "EC %#x %s, ISS %#lx", ec, ec_name(ec),
			 (unsigned long)ESR_ISS(esr));
	}
	trap_fatal(&r, regs);
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
