/* Fatal errors: panic() reports and stops the machine. */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include <kernel/compiler.h>
#include <kernel/types.h>

__printf(1, 2) __noreturn void panic(const char *fmt, ...);

/*
 * A console that needs no probing: used when the firmware names no console
 * and for a panic before any console registered.  Weak: a board's UART
 * driver may provide it.
 */
struct console *fallback_console(void);

/* Power off (or halt) with a success or failure status for test runners. */
__noreturn void machine_poweroff(bool failure);

#define BUG_ON(cond) do { \
	if (unlikely(cond)) \
		panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond); \
} while (0)

#define BUILD_BUG_ON(cond) _Static_assert(!(cond), #cond)

#endif
