/*
 * Shutting the machine down (kernel/reboot.c) and reboot(2)'s numbers.
 *
 * kernel_power_off(), kernel_restart() and kernel_halt() are the orderly
 * way, from a thread: they run the shutdown hooks (where file systems
 * will write their caches back once there are disks), print Linux's
 * message and call machine_power_off() and friends, which stop the other
 * CPUs and use the HAL (<arch/cpu.h>).  machine_poweroff(failure) in
 * <kernel/panic.h> is something else: the test runners' exit with a
 * status.
 */
#ifndef KERNEL_REBOOT_H
#define KERNEL_REBOOT_H

#include <kernel/compiler.h>
#include <kernel/list.h>
#include <kernel/types.h>

/* <linux/reboot.h> */
#define LINUX_REBOOT_MAGIC1		0xfee1deadu
#define LINUX_REBOOT_MAGIC2		672274793u	/* 0x28121969 */
#define LINUX_REBOOT_MAGIC2A		85072278u	/* 0x05121996 */
#define LINUX_REBOOT_MAGIC2B		369367448u	/* 0x16041998 */
#define LINUX_REBOOT_MAGIC2C		537993216u	/* 0x20112000 */

#define LINUX_REBOOT_CMD_RESTART	0x01234567u
#define LINUX_REBOOT_CMD_HALT		0xcdef0123u
#define LINUX_REBOOT_CMD_CAD_ON		0x89abcdefu
#define LINUX_REBOOT_CMD_CAD_OFF	0x00000000u
#define LINUX_REBOOT_CMD_POWER_OFF	0x4321fedcu
#define LINUX_REBOOT_CMD_RESTART2	0xa1b2c3d4u
#define LINUX_REBOOT_CMD_SW_SUSPEND	0xd000fce2u
#define LINUX_REBOOT_CMD_KEXEC		0x45584543u

#define REBOOT_CMD_ARG_MAX		256	/* RESTART2's string, NUL included */

enum shutdown_mode {
	SHUTDOWN_POWER_OFF,
	SHUTDOWN_RESTART,
	SHUTDOWN_HALT,
};

/*
 * Called by kernel_power_off() and friends, in a thread, in the order
 * registered, before anything stops: may sleep (write caches back).
 */
struct shutdown_hook {
	const char *name;
	void (*fn)(enum shutdown_mode mode);
	struct list_head node;		/* shutdown_hooks_mutex (kernel/reboot.c) */
};

/* Add h (static storage; never removed), from a thread. */
void shutdown_hook_register(struct shutdown_hook *h);

__noreturn void kernel_power_off(void);
/* cmd: RESTART2's argument for the firmware, or NULL (printed only). */
__noreturn void kernel_restart(const char *cmd);
__noreturn void kernel_halt(void);

/* No hooks, no message: straight to the machine (the other CPUs stopped). */
__noreturn void machine_power_off(void);
__noreturn void machine_restart(void);
__noreturn void machine_halt(void);

/*
 * reboot(2)'s checks, in Linux's order: -EPERM unless the caller is root
 * (CAP_SYS_BOOT), then -EINVAL unless the magic numbers are right.
 */
int reboot_check(unsigned int magic1, unsigned int magic2);
/*
 * Carry out reboot(2)'s command (after reboot_check()): POWER_OFF, HALT,
 * RESTART and RESTART2 (arg: its string) do not return; CAD_ON and
 * CAD_OFF return 0; anything else (SW_SUSPEND and KEXEC included: not
 * built) -EINVAL.
 */
int kernel_reboot(unsigned int cmd, const char *arg);
/* Whether Ctrl-Alt-Del reboots at once (CAD_ON, the default) or signals init. */
bool reboot_cad_enabled(void);

#endif
