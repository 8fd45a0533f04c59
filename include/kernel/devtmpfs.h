/*
 * devtmpfs: the kernel's own device nodes, Linux's "devtmpfs" (a tmpfs
 * instance shared by every mount, mounted on /dev at boot).  Drivers add
 * and remove the nodes of the devices they serve; programs may add their
 * own with mknod(2).  fs/devtmpfs.c, docs/vfs.md.
 */
#ifndef KERNEL_DEVTMPFS_H
#define KERNEL_DEVTMPFS_H

#include <kernel/types.h>

/*
 * Make the node name ("null", "input/event0": missing directories are
 * made 0755) for dev.  mode's type is S_IFCHR or S_IFBLK (none: S_IFCHR);
 * its permission bits are the node's, exactly (none: 0600, as Linux).
 * Before devtmpfs exists (vfs_init) the request is queued and carried out
 * when it is first mounted.  Threads only (it may sleep), after
 * kmalloc_init().  0, -EEXIST (a node or directory of that name is
 * there), -EINVAL (an empty, absolute or "."/".." name), -ENOTDIR,
 * -ENOSPC, -ENOMEM.
 */
int devtmpfs_create_node(const char *name, umode_t mode, dev_t dev);

/*
 * Remove the node name if it is still a device node of dev, then the
 * directories above it that are left empty.  0, -ENOENT (no such node
 * of dev), -EBUSY (something is mounted on it).
 */
int devtmpfs_remove_node(const char *name, dev_t dev);

/* vfs_init(): make the instance and carry out the queued requests. */
void devtmpfs_init(void);

#endif
