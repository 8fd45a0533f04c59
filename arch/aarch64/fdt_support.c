/*
 * What Debian's prebuilt libfdt.a expects from its environment besides the
 * string functions: it was compiled with the stack protector, which on
 * AArch64 reads a global canary.
 */
#include <kernel/panic.h>

void __stack_chk_fail(void);

/* Constant, so the canary check still catches linear overwrites in libfdt. */
const unsigned long __stack_chk_guard = 0x5d1c0ffee15badd1UL;

__noreturn void
__stack_chk_fail(void)
{
	panic("stack smashing detected in libfdt");
}
