/* Exceptions are caught, decoded and reported, not silent hangs. */
#include <string.h>
#include <arch/cpu.h>
#include <kernel/ktest.h>
#include <kernel/printk.h>
#include <kernel/trap.h>

KTEST(trap, undefined_instruction_reported)
{
	struct trap_report r;

	trap_expect(TRAP_UNDEFINED);
	arch_trigger_undefined();
	KASSERT(trap_expect_end(&r));
	KEXPECT_EQ(r.kind, TRAP_UNDEFINED);
	KEXPECT(extable_fixup(r.pc) != 0);
	KEXPECT(r.code_name != NULL && r.vector != NULL);
}

KTEST(trap, unexpected_kind_not_swallowed)
{
	/* An expectation for another kind must not accept this trap... */
	KEXPECT(extable_fixup(0) == 0);
	/* ...and no expectation stays armed after a test. */
	trap_expect(TRAP_DIVIDE);
	KEXPECT(!trap_expect_end(NULL));
}

KTEST(trap, fixup_armed_without_expectation)
{
	struct trap_report r;

	/*
	 * An exception-table instruction resumes at its fixup whether or not
	 * a test expects the trap (user-memory accessors will rely on it):
	 * without that, this test ends in a panic.
	 */
	arch_trigger_undefined();
	KEXPECT(!trap_expect_end(&r));	/* nothing was armed, nothing recorded */
}
