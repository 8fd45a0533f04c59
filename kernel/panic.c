/*
 * panic(): the one way the kernel stops on a fatal error.  The first CPU
 * to panic stops the others (they might otherwise go on corrupting what
 * the report describes, or hold the console), reports and halts or powers
 * off; a CPU that panics meanwhile just stops.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <arch/cpu.h>
#include <kernel/atomic.h>
#include <kernel/cmdline.h>
#include <kernel/cpu.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/time.h>

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

/*
 * Linux's panic=N on the command line: restart N seconds after a panic,
 * at once when N is negative; 0 (the default) leaves the machine halted
 * (or powered off with CONFIG_PANIC_POWEROFF).  With QEMU's -no-reboot
 * the restart ends QEMU.
 */
#ifdef CONFIG_MMU
static void
panic_restart(void)
{
	char buf[24];
	long seconds;

	if (cmdline_value("panic", buf, sizeof(buf)) < 0)
		return;
	seconds = strtol(buf, NULL, 0);
	if (!seconds)
		return;
	if (seconds > 0 && time_has_clock()) {
		printk(KERN_EMERG "Kernel panic: rebooting in %ld seconds\n", seconds);
		udelay((uint64_t)seconds * USEC_PER_SEC);
	}
	printk(KERN_EMERG "Kernel panic: rebooting\n");
	arch_machine_restart();		/* the other CPUs are stopped already */
}
#else
/* The RTOS profile has no command line to ask with. */
static inline void panic_restart(void) { }
#endif

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

	panic_restart();
	if (IS_ENABLED(CONFIG_PANIC_POWEROFF)) {
		printk(KERN_EMERG "Kernel panic: powering off\n");
		arch_poweroff(true);
	}
	printk(KERN_EMERG "Kernel panic: system halted\n");
	arch_halt();
}
