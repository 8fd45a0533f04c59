/*
 * panic(): the one way the kernel stops on a fatal error.  The first CPU
 * to panic stops the others (they might otherwise go on corrupting what
 * the report describes, or hold the console), reports and halts or powers
 * off; a CPU that panics meanwhile just stops.
 */
#include <stdarg.h>
#include <arch/cpu.h>
#include <kernel/atomic.h>
#include <kernel/cpu.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/smp.h>

static int panicking = -1;		/* the CPU reporting */

__weak struct console *
fallback_console(void)
{
	return NULL;
}

__noreturn void
machine_poweroff(bool failure)
{
	arch_irq_disable();
	arch_poweroff(failure);
}

__noreturn void
panic(const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	int expect = -1;
	unsigned int stopped;

	arch_irq_disable();
	if (!atomic_cmpxchg(&panicking, &expect, (int)cpu_id())) {
		/* A panic while panicking, here or elsewhere: just stop. */
		arch_halt();
	}
	stopped = smp_stop_others();
	printk_panic_takeover();
	if (!console_present() && fallback_console())
		console_register(fallback_console());	/* replays the log so far */

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(KERN_EMERG "Kernel panic: %s\n", msg);
	if (nr_cpus_online() > 1)
		printk(KERN_EMERG "Kernel panic: on CPU%u; %u other CPU%s stopped\n", cpu_id(),
		       stopped, stopped == 1 ? "" : "s");

	if (IS_ENABLED(CONFIG_PANIC_POWEROFF)) {
		printk(KERN_EMERG "Kernel panic: powering off\n");
		arch_poweroff(true);
	}
	printk(KERN_EMERG "Kernel panic: system halted\n");
	arch_halt();
}
