/*
 * reboot(2): Linux's checks (root, then the magic numbers), RESTART2's
 * string copied in, and kernel/reboot.c does the rest.
 */
#include <kernel/errno.h>
#include <kernel/reboot.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>

SYSCALL_DEFINE4(reboot, int, magic1, int, magic2, unsigned int, cmd, void __user *, arg)
{
	char buf[REBOOT_CMD_ARG_MAX];
	int err = reboot_check((unsigned int)magic1, (unsigned int)magic2);

	if (err)
		return err;
	if (cmd == LINUX_REBOOT_CMD_RESTART2) {
		long n = strncpy_from_user(buf, arg, sizeof(buf));

		/* Linux keeps the first 255 bytes of a longer string. */
		if (n == -ENAMETOOLONG && copy_from_user(buf, arg, sizeof(buf) - 1) == 0)
			n = 0;
		if (n < 0)
			return -EFAULT;
		buf[sizeof(buf) - 1] = '\0';
	}
	return kernel_reboot(cmd, cmd == LINUX_REBOOT_CMD_RESTART2 ? buf : NULL);
}
