/* panic(): the one way the kernel stops on a fatal error. */
#include <stdarg.h>
#include <arch/cpu.h>
#include <kernel/panic.h>
#include <kernel/printk.h>

static bool panicking;

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

	arch_irq_disable();
	if (panicking) {
		/* A panic while panicking: print nothing more, just stop. */
		arch_halt();
	}
	panicking = true;
	if (!console_present() && fallback_console())
		console_register(fallback_console());	/* replays the log so far */

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(KERN_EMERG "Kernel panic: %s\n", msg);

	if (IS_ENABLED(CONFIG_PANIC_POWEROFF)) {
		printk(KERN_EMERG "Kernel panic: powering off\n");
		arch_poweroff(true);
	}
	printk(KERN_EMERG "Kernel panic: system halted\n");
	arch_halt();
}
