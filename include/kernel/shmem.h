/*
 * Files of the kernel's own tmpfs instance, mounted nowhere (Linux's
 * shm_mnt; fs/tmpfs/shmem.c): the memory behind MAP_SHARED|MAP_ANONYMOUS
 * mappings ("/dev/zero (deleted)" in /proc/<pid>/maps) and memfd_create's
 * files ("/memfd:<name> (deleted)"), each an unlinked tmpfs file whose
 * page cache every mapping shares.  And the seals of tmpfs files
 * (fcntl F_ADD_SEALS / F_GET_SEALS).
 */
#ifndef KERNEL_SHMEM_H
#define KERNEL_SHMEM_H

#include <kernel/types.h>

struct file;
struct super_block;

#define TMPFS_MAGIC	0x01021994	/* statfs f_type of every tmpfs */

/*
 * A new unlinked file of size bytes named name (its dentry's name: what
 * /proc shows after "/"), opened read-write, mode 0777 as Linux's:
 * referenced, or ERR_PTR.
 */
struct file *shmem_file_setup(const char *name, loff_t size);
/* The file behind a new shared anonymous mapping of size bytes. */
struct file *shmem_zero_file(loff_t size);
/* sb is that kernel instance (its files have no place in any tree). */
bool shmem_sb(const struct super_block *sb);
/* fcntl's F_ADD_SEALS and F_GET_SEALS on f: Linux's memfd_fcntl(). */
#define F_ADD_SEALS	1033
#define F_GET_SEALS	1034
int shmem_fcntl_seals(struct file *f, unsigned int cmd, unsigned long arg);

#endif
