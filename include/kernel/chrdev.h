/*
 * Character devices: a driver serves a range of device numbers with its
 * file operations; device nodes with those numbers open it.
 */
#ifndef KERNEL_CHRDEV_H
#define KERNEL_CHRDEV_H

#include <kernel/vfs.h>

/* Linux's numbers for the devices the kernel itself provides. */
#define MEM_MAJOR	1		/* null 3, zero 5, full 7, random 8, urandom 9 */
#define TTY_MAJOR	4		/* ttyS: minors from 64 */
#define TTYAUX_MAJOR	5		/* tty 0, console 1 */
#define AMBA_MAJOR	204		/* ttyAMA (PL011): minors from 64 */

/* 0, -EBUSY when part of the range is served already, -EINVAL, -ENOMEM. */
int register_chrdev_region(dev_t base, unsigned int count, const char *name,
			   const struct file_operations *fop);
void unregister_chrdev_region(dev_t base, unsigned int count);

/*
 * At boot, from vfs_init() once devtmpfs exists: the memory devices
 * (drivers/char/mem.c) and the terminals (tty_init()), with their nodes.
 */
void chr_dev_init(void);

#endif
