/*
 * Exception reports and the exception table.
 *
 * Ports decode the hardware's syndrome into a trap_report; this file
 * prints it the same way everywhere.  A trap at an instruction listed in
 * the exception table always resumes at the entry's fixup: that
 * instruction was written to fault (user-memory accessors, probes) and
 * its caller handles the failure.  Tests can also expect a trap
 * (trap_expect()): it is then reported as expected and recorded, and may
 * resume at a resume point instead of a fixup.
 *
 * Expectations belong to the thread that armed them (a slot per thread
 * in a small table, expect_lock), so tests on several CPUs at once do not
 * see each other's.
 */
#include <string.h>
#include <arch/cpu.h>
#include <arch/trap.h>
#include <kernel/backtrace.h>
#include <kernel/cpu.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
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

struct expectation {
	const void *owner;		/* the thread (NULL: the slot is free) */
	bool armed;
	bool seen;
	enum trap_kind kind;
	struct arch_resume *resume;	/* or NULL: resume at the extable fixup */
	struct trap_report report;
	char detail[160];
};

/*
 * Enough for a test thread on every CPU, and one more.  Only tests expect
 * traps: other builds keep no table (the RTOS profile counts bytes).
 */
#ifdef CONFIG_KTEST
static struct spinlock expect_lock = SPINLOCK_INIT("trap-expect");	/* raw */
static struct expectation expectations[NR_CPUS + 1];	/* owner: expect_lock */
#endif

/* The current thread's slot, claimed if claim; NULL if none (or full). */
static struct expectation *
expectation(bool claim)
{
#ifdef CONFIG_KTEST
	const void *me = thread_current();
	struct expectation *e = NULL, *free = NULL;
	unsigned long flags;

	if (!me)
		me = &cpus[0];		/* before threads: the boot CPU */
	flags = raw_spin_lock_irqsave(&expect_lock);
	for (size_t i = 0; i < ARRAY_SIZE(expectations) && !e; i++) {
		if (expectations[i].owner == me)
			e = &expectations[i];
		else if (!expectations[i].owner && !free)
			free = &expectations[i];
	}
	if (!e && claim && free) {
		e = free;
		e->owner = me;
	}
	raw_spin_unlock_irqrestore(&expect_lock, flags);
	return e;
#else
	return NULL;
#endif
}

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
trap_expect_resume(enum trap_kind kind, struct arch_resume *r)
{
	struct expectation *e = expectation(true);

	if (!e)
		panic("trap_expect: more threads expect traps than there are slots");
	e->kind = kind;
	e->seen = false;
	e->resume = r;
	e->armed = true;
}

void
trap_expect(enum trap_kind kind)
{
	trap_expect_resume(kind, NULL);
}

bool
trap_expect_end(struct trap_report *out)
{
	struct expectation *e = expectation(false);
	bool seen;

	if (!e)
		return false;
	seen = e->seen;
	if (seen && out)
		*out = e->report;
	e->armed = false;
	e->owner = NULL;		/* free the slot */
	return seen;
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
	struct expectation *e = expectation(false);

	if (e && e->armed && e->kind == r->kind && (fixup || e->resume)) {
		report("Expected exception", r, regs);
		e->report = *r;
		/* The port's detail text may not outlive the handler: keep a copy. */
		if (r->detail) {
			strlcpy(e->detail, r->detail, sizeof(e->detail));
			e->report.detail = e->detail;
		}
		e->seen = true;
		e->armed = false;
		if (e->resume)
			arch_regs_resume(regs, e->resume);
		else
			arch_regs_set_pc(regs, fixup);
		return;
	}
	if (fixup) {
		/* The instruction was written to fault: its caller copes. */
		arch_regs_set_pc(regs, fixup);
		return;
	}
	report("Unhandled exception", r, regs);
	backtrace_regs("", regs);
	panic("unhandled %s at pc %#lx", trap_kind_name(r->kind), (unsigned long)r->pc);
}
