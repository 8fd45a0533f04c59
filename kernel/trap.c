/*
 * Exception reports and the exception table.
 *
 * Ports decode the hardware's syndrome into a trap_report; this file
 * prints it the same way everywhere.  A trap at an instruction listed in
 * the exception table is survivable when someone expects it (tests that
 * prove traps are caught; later, user-memory accessors).
 */
#include <string.h>
#include <arch/cpu.h>
#include <arch/trap.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/trap.h>

extern const struct extable_entry __extable_start[], __extable_end[];

static const char *const kind_names[] = {
	[TRAP_UNDEFINED] = "undefined instruction",
	[TRAP_DATA_ABORT] = "data abort",
	[TRAP_PREFETCH_ABORT] = "instruction abort",
	[TRAP_ALIGNMENT] = "alignment fault",
	[TRAP_BREAKPOINT] = "breakpoint",
	[TRAP_DIVIDE] = "divide error",
	[TRAP_PROTECTION] = "protection fault",
	[TRAP_DOUBLE_FAULT] = "double fault",
	[TRAP_HARDFAULT] = "hard fault",
	[TRAP_SYSTEM_ERROR] = "system error",
	[TRAP_STACK_OVERFLOW] = "kernel stack overflow",
	[TRAP_OTHER] = "unexpected exception",
};

static struct {
	bool armed;
	bool seen;
	enum trap_kind kind;
	struct arch_resume *resume;	/* or NULL: resume at the extable fixup */
	struct trap_report report;
	char detail[192];
} expect;

/* Ports without resume points (no MMU, no guard pages) never need one. */
__weak void
arch_regs_resume(struct arch_regs *regs, const struct arch_resume *r)
{
	panic("this port has no resume points (arch_regs_resume)");
}

const char *
trap_kind_name(enum trap_kind kind)
{
	if ((unsigned)kind < ARRAY_SIZE(kind_names) && kind_names[kind])
		return kind_names[kind];
	return "exception";
}

uintptr_t
extable_fixup(uintptr_t pc)
{
	for (const struct extable_entry *e = __extable_start; e < __extable_end; e++)
		if (e->insn == pc)
			return e->fixup;
	return 0;
}

void
trap_expect(enum trap_kind kind)
{
	expect.kind = kind;
	expect.seen = false;
	expect.resume = NULL;
	expect.armed = true;
}

void
trap_expect_resume(enum trap_kind kind, struct arch_resume *r)
{
	trap_expect(kind);
	expect.resume = r;
}

bool
trap_expect_end(struct trap_report *out)
{
	expect.armed = false;
	if (expect.seen && out)
		*out = expect.report;
	return expect.seen;
}

static void
report(const char *how, const struct trap_report *r, const struct arch_regs *regs)
{
	printk(KERN_EMERG "%s: %s (%s) at pc %#lx\n", how, trap_kind_name(r->kind),
	       r->vector, (unsigned long)r->pc);
	printk(KERN_EMERG "  %s %#llx%s%s\n", r->code_name, (unsigned long long)r->code,
	       r->detail ? ": " : "", r->detail ? r->detail : "");
	if (r->addr_valid)
		printk(KERN_EMERG "  fault address %#lx\n", (unsigned long)r->addr);
	arch_regs_dump(regs);
}

void
trap_fatal(const struct trap_report *r, struct arch_regs *regs)
{
	uintptr_t fixup = extable_fixup(r->pc);

	if (expect.armed && expect.kind == r->kind && (fixup || expect.resume)) {
		report("Expected exception", r, regs);
		expect.report = *r;
		/* The port's detail text lives on the handler's stack: keep a copy. */
		if (r->detail) {
			strlcpy(expect.detail, r->detail, sizeof(expect.detail));
			expect.report.detail = expect.detail;
		}
		expect.seen = true;
		expect.armed = false;
		if (expect.resume)
			arch_regs_resume(regs, expect.resume);
		else
			arch_regs_set_pc(regs, fixup);
		return;
	}
	report("Unhandled exception", r, regs);
	panic("unhandled %s at pc %#lx", trap_kind_name(r->kind), (unsigned long)r->pc);
}
