/*
 * reboot(2): its checks in Linux's order and the commands that return
 * (kernel/reboot.c).  The commands that end the machine run one per boot,
 * chosen with ktest.reboot=power_off|restart (ktest_reboot(), called
 * before the tests): tests/meson.build boots each on every machine and
 * checks that QEMU exits by itself through the firmware's way
 * (PSCI, ACPI), with the shutdown hook run and Linux's message printed.
 */
#include <string.h>
#include <kernel/cmdline.h>
#include <kernel/cred.h>
#include <kernel/errno.h>
#include <kernel/ktest.h>
#include <kernel/printk.h>
#include <kernel/reboot.h>

void ktest_reboot(void);

/*
 * reboot(2) without its copy of RESTART2's string (sys_reboot itself is
 * tested from user mode): the checks, then the command.
 */
static long
reboot(unsigned int magic1, unsigned int magic2, unsigned int cmd)
{
	int err = reboot_check(magic1, magic2);

	return err ? err : kernel_reboot(cmd, NULL);
}

static enum shutdown_mode hook_mode;

static void
hook_fn(enum shutdown_mode mode)
{
	hook_mode = mode;
	printk(KERN_RAW "# ktest: shutdown hook ran (%s)\n",
	       mode == SHUTDOWN_POWER_OFF ? "power off" :
	       mode == SHUTDOWN_RESTART ? "restart" : "halt");
}

static struct shutdown_hook hook = { .name = "ktest", .fn = hook_fn };

void
ktest_reboot(void)
{
	char what[16];
	unsigned int cmd;

	if (cmdline_value("ktest.reboot", what, sizeof(what)) <= 0)
		return;
	if (strcmp(what, "power_off") == 0)
		cmd = LINUX_REBOOT_CMD_POWER_OFF;
	else if (strcmp(what, "restart") == 0)
		cmd = LINUX_REBOOT_CMD_RESTART;
	else
		return;
	shutdown_hook_register(&hook);
	printk(KERN_RAW "# ktest: reboot(%s)\n", what);
	/* As init would call it (a kernel thread is root). */
	reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, cmd);
	printk(KERN_RAW "# ktest: reboot(%s) returned\n", what);
}

KTEST(reboot, checks)
{
	const unsigned int magic2[] = { LINUX_REBOOT_MAGIC2, LINUX_REBOOT_MAGIC2A,
					LINUX_REBOOT_MAGIC2B, LINUX_REBOOT_MAGIC2C };
	const struct cred *old;

	for (unsigned int i = 0; i < ARRAY_SIZE(magic2); i++)
		KEXPECT_EQ(reboot_check(LINUX_REBOOT_MAGIC1, magic2[i]), 0);
	KEXPECT_EQ(reboot_check(LINUX_REBOOT_MAGIC1 + 1, LINUX_REBOOT_MAGIC2), -EINVAL);
	KEXPECT_EQ(reboot_check(LINUX_REBOOT_MAGIC1, 0), -EINVAL);
	KEXPECT_EQ(reboot_check(LINUX_REBOOT_MAGIC2, LINUX_REBOOT_MAGIC1), -EINVAL);
	/* Not root: -EPERM, before the magic is looked at. */
	old = ktest_become_user();
	KASSERT(old != NULL);
	KEXPECT_EQ(reboot_check(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2), -EPERM);
	KEXPECT_EQ(reboot_check(0, 0), -EPERM);
	KEXPECT_EQ(reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF),
		   -EPERM);
	ktest_restore_cred(old);
	KEXPECT_EQ(reboot_check(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2), 0);
}

/* busybox init's first call: reboot(CAD_OFF) must succeed. */
KTEST(reboot, ctrl_alt_del)
{
	KEXPECT(reboot_cad_enabled());
	KEXPECT_EQ(reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_CAD_OFF), 0);
	KEXPECT(!reboot_cad_enabled());
	KEXPECT_EQ(kernel_reboot(LINUX_REBOOT_CMD_CAD_ON, NULL), 0);
	KEXPECT(reboot_cad_enabled());
	KEXPECT_EQ(reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2C, LINUX_REBOOT_CMD_CAD_ON), 0);
	KEXPECT_EQ(reboot(LINUX_REBOOT_MAGIC1, 12345, LINUX_REBOOT_CMD_CAD_OFF), -EINVAL);
	KEXPECT(reboot_cad_enabled());
}

KTEST(reboot, unknown_commands)
{
	KEXPECT_EQ(kernel_reboot(LINUX_REBOOT_CMD_SW_SUSPEND, NULL), -EINVAL);
	KEXPECT_EQ(kernel_reboot(LINUX_REBOOT_CMD_KEXEC, NULL), -EINVAL);
	KEXPECT_EQ(kernel_reboot(0x12345678, NULL), -EINVAL);
	KEXPECT_EQ(reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, 0xdeadbeef), -EINVAL);
}
