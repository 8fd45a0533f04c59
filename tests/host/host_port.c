/* What the host "port" provides to core code under test. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

bool host_irqs_on = true;

void arch_halt(void) __attribute__((noreturn));
void arch_poweroff(bool failure) __attribute__((noreturn));

void
arch_halt(void)
{
	fprintf(stderr, "host: arch_halt\n");
	abort();
}

void
arch_poweroff(bool failure)
{
	fprintf(stderr, "host: arch_poweroff(%d)\n", failure);
	abort();
}
