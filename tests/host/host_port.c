/* What the host "port" provides to core code under test. */
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include "host_test.h"

bool host_irqs_on = true;
jmp_buf *host_halt_jmp;		/* armed by host_expect_halt() */
void (*host_wait_for_irq_hook)(void);	/* set by host_thread.c */

void arch_halt(void) __attribute__((noreturn));
void arch_poweroff(bool failure) __attribute__((noreturn));

/* panic() ends here: a test that expects it gets control back. */
void
arch_halt(void)
{
	if (host_halt_jmp) {
		jmp_buf *j = host_halt_jmp;

		host_halt_jmp = NULL;
		longjmp(*j, 1);
	}
	fprintf(stderr, "host: arch_halt (an unexpected panic)\n");
	abort();
}

void
arch_poweroff(bool failure)
{
	fprintf(stderr, "host: arch_poweroff(%d)\n", failure);
	abort();
}

/*
 * panic()'s "panic=" restart: no command line unless the test links
 * kernel/cmdline.c (weak), and a restart is as fatal as a power-off.
 */
int cmdline_value(const char *key, char *buf, size_t size) __attribute__((weak));
void arch_machine_restart(void);

int
cmdline_value(const char *key, char *buf, size_t size)
{
	(void)key, (void)buf, (void)size;
	return -1;
}

void
arch_machine_restart(void)
{
	fprintf(stderr, "host: arch_machine_restart\n");
	abort();
}

/*
 * arch_wait_for_irq(): nothing to wait for in most tests; the scheduler
 * tests hook a simulated timer interrupt in, so the idle thread moves time.
 */
void
host_wait_for_irq(void)
{
	if (host_wait_for_irq_hook)
		host_wait_for_irq_hook();
}
