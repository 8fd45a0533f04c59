/*
 * Shutting down: the orderly kernel_power_off()/kernel_restart()/
 * kernel_halt() (hooks, Linux's messages), the machine_*() functions
 * behind them, and reboot(2)'s checks and commands (kernel/sys_reboot.c
 * is its thin system-call layer).
 *
 * Only one shutdown runs: reboot_mutex is taken and never released by
 * the commands that end the machine, so a second caller waits for the end
 * (Linux's system_transition_mutex does the same).
 */
#define pr_fmt(fmt) "reboot: " fmt

#include <arch/cpu.h>
#include <kernel/cred.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/reboot.h>
#include <kernel/smp.h>
#include <kernel/sync.h>

static LIST_HEAD(shutdown_hooks);	/* shutdown_hooks_mutex */
static struct mutex shutdown_hooks_mutex = MUTEX_INIT(shutdown_hooks_mutex, "shutdown_hooks");
static struct mutex reboot_mutex = MUTEX_INIT(reboot_mutex, "reboot");
static bool cad_enabled = true;		/* reboot_mutex */

void
shutdown_hook_register(struct shutdown_hook *h)
{
	mutex_lock(&shutdown_hooks_mutex);
	list_add_tail(&h->node, &shutdown_hooks);
	mutex_unlock(&shutdown_hooks_mutex);
}

/* Kept locked: the machine ends, and no hook may be added half-way. */
static void
run_shutdown_hooks(enum shutdown_mode mode)
{
	struct list_head *pos;

	mutex_lock(&shutdown_hooks_mutex);
	list_for_each(pos, &shutdown_hooks)
		list_entry(pos, struct shutdown_hook, node)->fn(mode);
}

/* Interrupts off and the other CPUs stopped: the caller is all that runs. */
static void
stop_machine(void)
{
	arch_irq_disable();
	smp_stop_others();
}

__noreturn void
machine_power_off(void)
{
	stop_machine();
	arch_machine_power_off();
	arch_poweroff(false);		/* QEMU's exit devices, else halt */
}

__noreturn void
machine_restart(void)
{
	stop_machine();
	arch_machine_restart();
	pr_emerg("the machine did not reset: halted\n");
	arch_halt();
}

__noreturn void
machine_halt(void)
{
	stop_machine();
	arch_halt();
}

__noreturn void
kernel_power_off(void)
{
	run_shutdown_hooks(SHUTDOWN_POWER_OFF);
	pr_emerg("Power down\n");
	machine_power_off();
}

__noreturn void
kernel_restart(const char *cmd)
{
	run_shutdown_hooks(SHUTDOWN_RESTART);
	if (cmd)
		pr_emerg("Restarting system with command '%s'\n", cmd);
	else
		pr_emerg("Restarting system\n");
	machine_restart();
}

__noreturn void
kernel_halt(void)
{
	run_shutdown_hooks(SHUTDOWN_HALT);
	pr_emerg("System halted\n");
	machine_halt();
}

int
reboot_check(unsigned int magic1, unsigned int magic2)
{
	if (current_cred()->euid != 0)
		return -EPERM;
	if (magic1 != LINUX_REBOOT_MAGIC1 ||
	    (magic2 != LINUX_REBOOT_MAGIC2 && magic2 != LINUX_REBOOT_MAGIC2A &&
	     magic2 != LINUX_REBOOT_MAGIC2B && magic2 != LINUX_REBOOT_MAGIC2C))
		return -EINVAL;
	return 0;
}

int
kernel_reboot(unsigned int cmd, const char *arg)
{
	int ret = 0;

	mutex_lock(&reboot_mutex);
	switch (cmd) {
	case LINUX_REBOOT_CMD_RESTART:
		kernel_restart(NULL);
	case LINUX_REBOOT_CMD_RESTART2:
		kernel_restart(arg);
	case LINUX_REBOOT_CMD_HALT:
		kernel_halt();
	case LINUX_REBOOT_CMD_POWER_OFF:
		kernel_power_off();
	case LINUX_REBOOT_CMD_CAD_ON:
		cad_enabled = true;
		break;
	case LINUX_REBOOT_CMD_CAD_OFF:
		cad_enabled = false;
		break;
	default:			/* SW_SUSPEND, KEXEC: not built, as in Linux without them */
		ret = -EINVAL;
		break;
	}
	mutex_unlock(&reboot_mutex);
	return ret;
}

bool
reboot_cad_enabled(void)
{
	return READ_ONCE(cad_enabled);
}
