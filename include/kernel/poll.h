/*
 * Waiting for readiness on many files at once: the kernel halves of
 * poll(2) and select(2) (fs/select.c).  The POLL* bits a file's poll
 * operation reports are in <kernel/vfs.h>; these are the rest of Linux's.
 */
#ifndef KERNEL_POLL_H
#define KERNEL_POLL_H

#include <kernel/types.h>
#include <kernel/vfs.h>

#define POLLRDBAND	0x0080
#define POLLWRBAND	0x0200
#define POLLMSG		0x0400
#define POLLREMOVE	0x1000
#define POLLRDHUP	0x2000

/* What select(2) counts as readable, writable, exceptional (Linux's sets). */
#define POLLIN_SET	(POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR)
#define POLLOUT_SET	(POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR)
#define POLLEX_SET	(POLLPRI)

/* A file's readiness when its file system says nothing: always ready. */
#define DEFAULT_POLLMASK	(POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

struct pollfd {
	int fd;
	short events;
	short revents;
};

/* Deadlines (absolute, time_ns()'s clock): 0 polls once, WAIT_FOREVER never ends. */
#define POLL_NO_WAIT	0ULL

/* f's readiness now, registering its wait queues with pt when not NULL. */
unsigned int vfs_poll_file(struct file *f, struct poll_table *pt);

/*
 * poll(2) over a kernel array: fills each revents (0 for fd < 0, POLLNVAL
 * for a descriptor that is not open; POLLERR and POLLHUP are always
 * reported) and returns how many entries have revents set, once one does
 * or at the deadline.  -EINVAL when nfds exceeds the fd table's limit
 * (RLIMIT_NOFILE), -EINTR when a signal came first, -ENOMEM.
 */
int do_poll(struct pollfd *fds, unsigned int nfds, uint64_t deadline_ns);

/*
 * select(2) over kernel bitmaps of n bits (unsigned longs, bit fd of
 * word fd / BITS_PER_LONG; NULL for a set not asked about): on success
 * each given set is replaced by its ready descriptors and the total of
 * bits set is returned (0 at the deadline).  -EBADF when a set names a
 * descriptor that is not open, -EINVAL for n < 0, -EINTR, -ENOMEM; the
 * sets are unchanged on error.
 */
int do_select(int n, unsigned long *in, unsigned long *out, unsigned long *ex,
	      uint64_t deadline_ns);

#endif
