/*
 * Exception reports.  A port decodes what the CPU told it (ESR, x86 error
 * code, CFSR, ...) into a trap_report; the core prints it the same way on
 * every port and stops, unless an exception-table entry and a test's
 * expectation accept the trap.
 */
#ifndef KERNEL_TRAP_H
#define KERNEL_TRAP_H

#include <kernel/types.h>

struct arch_regs;

enum trap_kind {
	TRAP_UNDEFINED,		/* undefined / invalid opcode */
	TRAP_DATA_ABORT,	/* data abort / page fault / bus fault on data */
	TRAP_PREFETCH_ABORT,	/* instruction fetch fault */
	TRAP_ALIGNMENT,
	TRAP_BREAKPOINT,
	TRAP_DIVIDE,
	TRAP_PROTECTION,	/* general protection and the like */
	TRAP_DOUBLE_FAULT,
	TRAP_HARDFAULT,		/* Cortex-M catch-all */
	TRAP_SYSTEM_ERROR,	/* SError, machine check, NMI */
	TRAP_STACK_OVERFLOW,	/* a kernel stack's guard page was hit */
	TRAP_OTHER,
};

struct trap_report {
	enum trap_kind kind;
	const char *vector;	/* the port's name for the vector taken */
	const char *detail;	/* decoded syndrome, or NULL */
	const char *code_name;	/* "ESR_EL1", "error code", "CFSR", ... */
	uint64_t code;		/* the raw syndrome */
	uintptr_t pc;
	uintptr_t addr;		/* faulting address, when addr_valid */
	bool addr_valid;
};

const char *trap_kind_name(enum trap_kind kind);

/*
 * Report an exception the port could not handle.  Prints the report and
 * the registers, then panics, unless an expectation set by trap_expect()
 * matches and the faulting PC has an exception-table entry: then the saved
 * PC is moved to the fixup and trap_fatal() returns.
 */
void trap_fatal(const struct trap_report *r, struct arch_regs *regs);

/* Accept the next trap of this kind; trap_expect_end() tells if one came. */
void trap_expect(enum trap_kind kind);
bool trap_expect_end(struct trap_report *out);

/*
 * Accept the next trap of this kind wherever it happens, resuming at r
 * (see arch_resume_set()).  trap_expect_end() ends it as well.
 */
struct arch_resume;
void trap_expect_resume(enum trap_kind kind, struct arch_resume *r);

/* Exception table: a faulting instruction and where to resume. */
struct extable_entry {
	uintptr_t insn;
	uintptr_t fixup;
};

uintptr_t extable_fixup(uintptr_t pc);

#endif
