/*
 * Pipes and FIFOs (fs/pipe.c): Linux's semantics and numbers.  An
 * anonymous pipe is an inode of the internal "pipefs" (never mounted in
 * the tree); a FIFO is a S_IFIFO inode of any file system whose opens
 * share one pipe while any is open.  Both have the same file operations.
 */
#ifndef KERNEL_PIPE_H
#define KERNEL_PIPE_H

#include <kernel/types.h>
#include <kernel/vfs.h>

#define PIPE_BUF		4096	/* writes up to this size are atomic */
#define PIPE_DEF_BUFFERS	16	/* pages: 64 KiB of capacity */
#define PIPEFS_MAGIC		0x50495045

/* ioctl: bytes a read would get now (an int at arg); asm-generic's number. */
#define FIONREAD		0x541B

/* fcntl (F_LINUX_SPECIFIC_BASE + 8, + 7). */
#define F_SETPIPE_SZ		1031
#define F_GETPIPE_SZ		1032

/* The operations of every pipe and FIFO inode. */
extern const struct file_operations pipefifo_fops;

/*
 * pipe2(2) in kernel terms: a read end in fds[0] and a write end in
 * fds[1].  flags: O_CLOEXEC, O_NONBLOCK; anything else (O_DIRECT, packet
 * mode, is not done) -EINVAL.  0, -EMFILE, -ENFILE or -ENOMEM.
 */
int vfs_pipe2(int fds[2], int flags);

/* Unread bytes in the pipe or FIFO f reads from (FIONREAD); -EBADF if f is none. */
long pipe_unread_bytes(struct file *f);
/* fcntl F_GETPIPE_SZ / F_SETPIPE_SZ on f: the capacity, or -EBADF for a non-pipe. */
long pipe_fcntl(struct file *f, unsigned int cmd, unsigned long arg);
/* Is inode an anonymous pipe (pipefs)?  /proc/<pid>/fd shows "pipe:[ino]". */
bool is_pipefs_inode(const struct inode *inode);

/*
 * For splice(2), tee(2), vmsplice(2) and sendfile(2) (fs/splice.c); f is
 * a pipe or FIFO file (else -EBADF).
 *
 * pipe_splice_wait_room: wait until the pipe f writes to has a free
 * buffer; the bytes that fit now in whole free buffers, or -EPIPE (no
 * reader; SIGPIPE sent), -EAGAIN (nonblock), -ERESTARTSYS.
 *
 * pipe_splice_read: wait for data in the pipe f reads (0 at EOF, -EAGAIN,
 * -ERESTARTSYS), then hand the data there, up to len bytes, to actor
 * buffer by buffer; what the actor takes (its result) leaves the pipe.
 * The bytes taken, or the actor's error when it took none.  The pipe's
 * lock is held across the actor, as Linux holds it across a splice.
 *
 * pipe_splice_pipe: up to len bytes from the pipe in reads to the pipe
 * out writes, once there are both data and room: what is in the one and
 * fits in the other (tee: copied and left in in).  The bytes moved, 0 at
 * in's EOF, -EINVAL for one pipe on both sides, -EPIPE, -EAGAIN,
 * -ERESTARTSYS.
 */
long pipe_splice_wait_room(struct file *f, bool nonblock);
ssize_t pipe_splice_read(struct file *f, size_t len, bool nonblock,
			 ssize_t (*actor)(void *arg, const void *buf, size_t n), void *arg);
ssize_t pipe_splice_pipe(struct file *in, struct file *out, size_t len, bool nonblock, bool tee);

#endif
