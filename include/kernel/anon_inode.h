/*
 * Files with no place in any tree (eventfd, timerfd, signalfd, epoll), as
 * Linux's anon_inode_getfile(): each is an open file of the one shared
 * inode of "anon_inodefs", an internal file system that is mounted
 * nowhere, listed nowhere and cannot be mounted.  /proc/<pid>/fd shows
 * such a file as "anon_inode:<name>" ("anon_inode:[eventfd]"); fstat
 * shows mode 0600 with no file type, as Linux's anonymous inode.
 */
#ifndef KERNEL_ANON_INODE_H
#define KERNEL_ANON_INODE_H

#include <kernel/vfs.h>

#define ANON_INODE_FS_MAGIC	0x09041934

/*
 * A new open file called name ("[eventfd]") with the operations fops and
 * the private data priv (f->priv; the caller keeps it until fops->release
 * runs, which it does on the file's last fput).  flags: the access mode
 * and O_NONBLOCK (what F_GETFL shows).  Referenced, or ERR_PTR(-ENOMEM).
 */
struct file *anon_inode_getfile(const char *name, const struct file_operations *fops,
				void *priv, int flags);
/*
 * The same, installed at the lowest free descriptor (O_CLOEXEC in flags
 * sets its close-on-exec bit): the descriptor, or -EMFILE / -ENOMEM,
 * after which priv is still the caller's (fops->release did not run).
 */
int anon_inode_getfd(const char *name, const struct file_operations *fops, void *priv,
		     int flags);

/* Is f one of them (any name)? */
bool is_anon_inode_file(const struct file *f);

#endif
