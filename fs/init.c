/*
 * Bringing the file systems up at boot: register the built-in types,
 * mount the root (a "rootfs" tmpfs), unpack the initramfs into it, then
 * mount devtmpfs on /dev and proc on /proc, as Linux's initramfs boots
 * find them.
 */
#include <kernel/chrdev.h>
#include <kernel/devtmpfs.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/seqbuf.h>
#include <kernel/vfs.h>

#include "internal.h"

/* Mount type on dir (made if missing); the log names what was mounted. */
static void
kernel_mount(const char *type, const char *dir, struct seqbuf *log)
{
	int err;

	if (!find_filesystem(type))
		return;
	err = vfs_mkdirat(AT_FDCWD, dir, 0755);
	if (err && err != -EEXIST) {
		pr_err("vfs: cannot make %s for %s: %d\n", dir, type, err);
		return;
	}
	err = vfs_mount(type, dir, type, 0, NULL);
	if (err) {
		pr_err("vfs: mounting %s on %s failed: %d\n", type, dir, err);
		return;
	}
	seqbuf_printf(log, ", %s on %s", type, dir);
}

void
vfs_init(void)
{
	char text[128];
	struct seqbuf log;
	struct path root;
	int err;

	register_builtin_filesystems();
	mutex_lock(&namespace_mutex);
	err = do_new_mount(NULL, "rootfs", "rootfs", 0, NULL);
	mutex_unlock(&namespace_mutex);
	if (err)
		panic("vfs: cannot mount the root file system: %d", err);
	pipe_init();			/* pipefs, held by the kernel */
	anon_inode_init();		/* anon_inodefs: eventfd, epoll ... */
	get_root_mount_path(&root);
	fs_set_root(&root);
	path_put(&root);
	seqbuf_init(&log, text, sizeof(text));
	seqbuf_puts(&log, "rootfs on /");

	if (IS_ENABLED(CONFIG_INITRAMFS))
		initramfs_unpack();
	/*
	 * The devices first: their nodes wait in devtmpfs's queue until
	 * devtmpfs_init() makes the instance, so every boot goes the way a
	 * driver that probes before the VFS does.
	 */
	chr_dev_init();			/* null, zero ..., console, tty, ttyS0 */
	if (IS_ENABLED(CONFIG_DEVTMPFS))
		devtmpfs_init();	/* the instance; the queued nodes */
	kernel_mount("devtmpfs", "/dev", &log);
	kernel_mount("proc", "/proc", &log);
	pr_info("vfs: mounted %s\n", text);
}
