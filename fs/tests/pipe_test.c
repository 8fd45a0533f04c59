/*
 * In-kernel tests of pipes and FIFOs (fs/pipe.c): capacity, PIPE_BUF
 * atomicity under concurrent writers, EOF, EPIPE, O_NONBLOCK, FIONREAD,
 * F_GETPIPE_SZ/F_SETPIPE_SZ, interrupted waits, and the FIFO open rules.
 * Readers and writers that block run in threads of their own; no verdict
 * depends on how fast the host is (a "still blocked" check only asserts
 * that a call has not returned, which no speed can make it do wrongly).
 */
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/pipe.h>
#include <kernel/poll.h>
#include <kernel/printk.h>
#include <kernel/signal.h>
#include <kernel/slab.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include <string.h>

#define RW_ALL	(POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM)

static unsigned int pipe_scratch_seq;

/* A fresh tmpfs directory for FIFOs, as the cwd. */
static bool
fifo_dir(void)
{
	char dir[40];

	vfs_mkdirat(AT_FDCWD, "/ktest-pipe", 0755);
	snprintf(dir, sizeof(dir), "/ktest-pipe/%u", ++pipe_scratch_seq);
	return vfs_mkdirat(AT_FDCWD, dir, 0755) == 0 && vfs_chdir(dir) == 0;
}

static unsigned int
poll_fd(int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };

	do_poll(&p, 1, POLL_NO_WAIT);
	return (unsigned short)p.revents;
}

static long
fionread(int fd)
{
	struct file *f = fget(fd);
	long n;

	if (!f)
		return -EBADF;
	n = pipe_unread_bytes(f);
	fput(f);
	return n;
}

static struct thread *
spawn(const char *name, void (*fn)(void *), void *arg)
{
	return thread_create(name, fn, arg, THREAD_PRIO_DEFAULT, 0);
}

/* fn(arg) in a new thread, once it has set *started (it is making its call). */
static struct thread *
start(const char *name, void (*fn)(void *), void *arg, volatile bool *started)
{
	struct thread *t;

	*started = false;
	t = spawn(name, fn, arg);
	while (t && !*started)
		thread_sleep_ms(1);
	return t;
}

KTEST(pipe, create_and_stat)
{
	int fds[2], fds2[2];
	struct kstat st, st2, rst;
	char buf[16];

	KEXPECT_EQ(vfs_pipe2(fds, O_DIRECT), -EINVAL);	/* packet mode: not done */
	KEXPECT_EQ(vfs_pipe2(fds, 0x1), -EINVAL);
	KEXPECT_EQ(vfs_pipe2(fds, O_APPEND), -EINVAL);
	KASSERT(vfs_pipe2(fds, 0) == 0);
	KASSERT(vfs_pipe2(fds2, O_CLOEXEC | O_NONBLOCK) == 0);

	KEXPECT_EQ(vfs_fstat(fds[0], &st), 0);
	KEXPECT_EQ(vfs_fstat(fds[1], &rst), 0);
	KEXPECT_EQ(vfs_fstat(fds2[0], &st2), 0);
	KEXPECT_EQ(st.mode, S_IFIFO | 0600);
	KEXPECT_EQ(st.nlink, 1);
	KEXPECT_EQ(st.size, 0);
	KEXPECT_EQ(st.ino, rst.ino);		/* both ends: one inode */
	KEXPECT_EQ(st.dev, rst.dev);
	KEXPECT(st.ino != st2.ino);		/* each pipe its own */
	KEXPECT_EQ(st.dev, st2.dev);		/* all on pipefs */
	KEXPECT_EQ(MAJOR(st.dev), 0);

	/* The read end reads, the write end writes, neither seeks. */
	KEXPECT_EQ(vfs_write(fds[0], "x", 1), -EBADF);
	KEXPECT_EQ(vfs_read(fds[1], buf, 1), -EBADF);
	KEXPECT_EQ(vfs_lseek(fds[0], 0, SEEK_SET), -ESPIPE);
	KEXPECT_EQ(vfs_pwrite(fds[1], "x", 1, 0), -ESPIPE);
	KEXPECT_EQ(vfs_pread(fds[0], buf, 1, 0), -ESPIPE);
	KEXPECT_EQ(vfs_write(fds[1], "hello", 5), 5);
	KEXPECT_EQ(vfs_read(fds[0], buf, sizeof(buf)), 5);
	KEXPECT(memcmp(buf, "hello", 5) == 0);

	/* Flags: O_CLOEXEC on both descriptors, O_NONBLOCK on both files. */
	KEXPECT_EQ(vfs_fcntl(fds[0], F_GETFD, 0), 0);
	KEXPECT_EQ(vfs_fcntl(fds2[0], F_GETFD, 0), FD_CLOEXEC);
	KEXPECT_EQ(vfs_fcntl(fds2[1], F_GETFD, 0), FD_CLOEXEC);
	KEXPECT_EQ(vfs_fcntl(fds[0], F_GETFL, 0), O_RDONLY);
	KEXPECT_EQ(vfs_fcntl(fds[1], F_GETFL, 0), O_WRONLY);
	KEXPECT(vfs_fcntl(fds2[0], F_GETFL, 0) & O_NONBLOCK);
	KEXPECT(vfs_fcntl(fds2[1], F_GETFL, 0) & O_NONBLOCK);
	KEXPECT_EQ(vfs_read(fds2[0], buf, 1), -EAGAIN);

	/* Unknown ioctls are ENOTTY; the FIONREAD count itself below. */
	KEXPECT_EQ(vfs_ioctl(fds[0], 0x5401 /* TCGETS */, 0), -ENOTTY);
	{
		struct file *f = fget(fds[0]);

		KEXPECT(is_pipefs_inode(f->inode));
		fput(f);
	}
	for (int i = 0; i < 2; i++) {
		KEXPECT_EQ(vfs_close(fds[i]), 0);
		KEXPECT_EQ(vfs_close(fds2[i]), 0);
	}
}

/*
 * 64 KiB: sixteen page buffers.  A write of at most PIPE_BUF bytes joins
 * the last buffer only when it fits there whole (Linux's rule), so
 * 1000-byte writes fill each page with four and the pipe with 64000.
 */
KTEST(pipe, capacity)
{
	static char buf[100000];
	int fds[2];
	ssize_t n, total = 0;

	KASSERT(vfs_pipe2(fds, O_NONBLOCK) == 0);
	KEXPECT_EQ(poll_fd(fds[1], POLLOUT), POLLOUT);
	while ((n = vfs_write(fds[1], buf, PIPE_BUF)) > 0)
		total += n;
	KEXPECT_EQ(n, -EAGAIN);
	KEXPECT_EQ(total, 65536);
	KEXPECT_EQ(fionread(fds[0]), 65536);
	KEXPECT_EQ(poll_fd(fds[1], POLLOUT), 0);		/* not even PIPE_BUF free */
	KEXPECT_EQ(vfs_write(fds[1], buf, 1), -EAGAIN);
	KEXPECT_EQ(vfs_read(fds[0], buf, 1), 1);
	KEXPECT_EQ(poll_fd(fds[1], POLLOUT), 0);		/* a page is still in use */
	KEXPECT_EQ(vfs_read(fds[0], buf, 4095), 4095);
	KEXPECT_EQ(poll_fd(fds[1], POLLOUT), POLLOUT);
	KEXPECT_EQ(vfs_write(fds[1], buf, sizeof(buf)), 4096);	/* a large write: what fits */
	while (vfs_read(fds[0], buf, sizeof(buf)) > 0)
		;
	KEXPECT_EQ(fionread(fds[0]), 0);

	total = 0;
	while ((n = vfs_write(fds[1], buf, 1000)) > 0)
		total += n;
	KEXPECT_EQ(n, -EAGAIN);
	KEXPECT_EQ(total, 64000);
	KEXPECT_EQ(vfs_read(fds[0], buf, sizeof(buf)), 64000);

	/* Into an empty pipe a large non-blocking write puts 64 KiB. */
	KEXPECT_EQ(vfs_write(fds[1], buf, sizeof(buf)), 65536);
	KEXPECT_EQ(vfs_close(fds[0]), 0);
	KEXPECT_EQ(vfs_close(fds[1]), 0);
}

KTEST(pipe, fcntl_pipe_size)
{
	static char buf[8192];
	int fds[2], fd;

	KASSERT(vfs_pipe2(fds, O_NONBLOCK) == 0);
	KEXPECT_EQ(vfs_fcntl(fds[0], F_GETPIPE_SZ, 0), 65536);
	KEXPECT_EQ(vfs_fcntl(fds[1], F_SETPIPE_SZ, 1), 4096);	/* at least a page */
	KEXPECT_EQ(vfs_fcntl(fds[0], F_GETPIPE_SZ, 0), 4096);
	KEXPECT_EQ(vfs_write(fds[1], buf, sizeof(buf)), 4096);
	KEXPECT_EQ(vfs_write(fds[1], buf, 1), -EAGAIN);
	KEXPECT_EQ(vfs_fcntl(fds[1], F_SETPIPE_SZ, 3 * 4096), 16384);	/* pages, power of two */
	KEXPECT_EQ(vfs_write(fds[1], buf, sizeof(buf)), 8192);
	KEXPECT_EQ(vfs_fcntl(fds[1], F_SETPIPE_SZ, 4096), -EBUSY);	/* 3 pages in use */
	KEXPECT_EQ(vfs_fcntl(fds[1], F_SETPIPE_SZ, 2 * 1024 * 1024), -EPERM);
	KEXPECT_EQ(vfs_read(fds[0], buf, sizeof(buf)), 8192);		/* order kept */
	KEXPECT_EQ(vfs_read(fds[0], buf, sizeof(buf)), 4096);
	KEXPECT_EQ(vfs_fcntl(fds[1], F_SETPIPE_SZ, 4096), 4096);
	fd = vfs_openat(AT_FDCWD, "/", O_RDONLY, 0);
	KEXPECT_EQ(vfs_fcntl(fd, F_GETPIPE_SZ, 0), -EBADF);
	vfs_close(fd);
	vfs_close(fds[0]);
	vfs_close(fds[1]);
}

KTEST(pipe, eof_and_hangup)
{
	int fds[2];
	char buf[8];

	KASSERT(vfs_pipe2(fds, 0) == 0);
	KEXPECT_EQ(vfs_write(fds[1], "abc", 3), 3);
	KEXPECT_EQ(vfs_close(fds[1]), 0);
	/* What was written is still read; then EOF, without blocking. */
	KEXPECT_EQ(poll_fd(fds[0], POLLIN), POLLIN | POLLHUP);
	KEXPECT_EQ(poll_fd(fds[0], POLLRDNORM), POLLRDNORM | POLLHUP);
	KEXPECT_EQ(vfs_read(fds[0], buf, sizeof(buf)), 3);
	KEXPECT_EQ(poll_fd(fds[0], POLLIN), POLLHUP);
	KEXPECT_EQ(vfs_read(fds[0], buf, sizeof(buf)), 0);
	KEXPECT_EQ(vfs_read(fds[0], buf, sizeof(buf)), 0);
	KEXPECT_EQ(vfs_close(fds[0]), 0);
}

/* In a thread of its own: the SIGPIPE goes to it, not to the test runner. */
static void
epipe_body(void *arg)
{
	int *fds = arg;

	KEXPECT_EQ(vfs_write(fds[1], "x", 1), -EPIPE);
	KEXPECT_EQ(vfs_write(fds[1], "xyz", 3), -EPIPE);
}

KTEST(pipe, epipe)
{
	int fds[2];
	struct thread *t;

	KASSERT(vfs_pipe2(fds, 0) == 0);
	KEXPECT_EQ(vfs_write(fds[1], "abc", 3), 3);
	KEXPECT_EQ(vfs_close(fds[0]), 0);
	/* Writable (a write would not block) and in error. */
	KEXPECT_EQ(poll_fd(fds[1], POLLOUT), POLLOUT | POLLERR);
	t = spawn("pipe-epipe", epipe_body, fds);
	KASSERT(t);
	thread_join(t);
	KEXPECT_EQ(vfs_close(fds[1]), 0);
}

struct rw_job {
	int fd;
	char *buf;
	size_t len;
	volatile ssize_t result;
	volatile bool started;
	struct thread *self;
};

static void
reader_body(void *arg)
{
	struct rw_job *j = arg;

	j->started = true;
	j->result = vfs_read(j->fd, j->buf, j->len);
}

static void
writer_body(void *arg)
{
	struct rw_job *j = arg;

	j->started = true;
	j->result = vfs_write(j->fd, j->buf, j->len);
}

KTEST(pipe, blocking_read_and_write)
{
	static char big[100000], in[100000];
	char buf[16];
	struct rw_job r = { .buf = buf, .len = sizeof(buf), .result = -1 };
	struct rw_job w = { .buf = big, .len = sizeof(big), .result = -1 };
	struct thread *t;
	int fds[2];
	size_t got = 0;

	KASSERT(vfs_pipe2(fds, 0) == 0);
	r.fd = fds[0];
	t = start("pipe-reader", reader_body, &r, &r.started);
	KASSERT(t);
	thread_sleep_ms(5);
	KEXPECT_EQ(r.result, -1);		/* an empty pipe: still reading */
	KEXPECT_EQ(vfs_write(fds[1], "wake", 4), 4);
	thread_join(t);
	KEXPECT_EQ(r.result, 4);
	KEXPECT(memcmp(buf, "wake", 4) == 0);

	/* A write larger than the pipe blocks until the reader takes it all. */
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7 + i / 4096);
	w.fd = fds[1];
	t = start("pipe-writer", writer_body, &w, &w.started);
	KASSERT(t);
	while (got < sizeof(in)) {
		ssize_t n = vfs_read(fds[0], in + got, sizeof(in) - got);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	thread_join(t);
	KEXPECT_EQ(w.result, (ssize_t)sizeof(big));
	KEXPECT_EQ(got, sizeof(in));
	KEXPECT(memcmp(big, in, sizeof(in)) == 0);

	/* A reader blocked on an empty pipe sees EOF when the last writer goes. */
	r.result = -1;
	t = start("pipe-reader", reader_body, &r, &r.started);
	KASSERT(t);
	KEXPECT_EQ(vfs_close(fds[1]), 0);
	thread_join(t);
	KEXPECT_EQ(r.result, 0);
	KEXPECT_EQ(vfs_close(fds[0]), 0);
}

/*
 * Writes of at most PIPE_BUF bytes from two threads at once are never
 * interleaved: the stream is whole records.  Each record is one byte
 * value throughout (writer id and sequence), so a record split by the
 * other writer's bytes shows as a chunk of mixed bytes.
 */
struct atomic_job {
	int fd;
	unsigned int id;
	size_t rec;
	unsigned int count;
	volatile ssize_t err;
};

static unsigned char
rec_byte(unsigned int id, unsigned int seq)
{
	return (unsigned char)((id << 7) | (seq & 0x7f));
}

static void
atomic_writer(void *arg)
{
	struct atomic_job *j = arg;
	char *rec = kmalloc(j->rec);

	j->err = rec ? 0 : -ENOMEM;
	for (unsigned int s = 0; rec && s < j->count; s++) {
		ssize_t n;

		memset(rec, rec_byte(j->id, s), j->rec);
		n = vfs_write(j->fd, rec, j->rec);
		if (n != (ssize_t)j->rec) {
			j->err = n < 0 ? n : -EIO;
			break;
		}
	}
	kfree(rec);
}

static void
atomic_round(size_t rec_size, unsigned int count)
{
	struct atomic_job jobs[2];
	struct thread *t[2];
	unsigned int next[2] = { 0, 0 };
	size_t total = 2 * rec_size * count, got = 0, bad = 0;
	char *stream = kmalloc(total), *p;
	int fds[2];

	KASSERT(stream);
	KASSERT(vfs_pipe2(fds, 0) == 0);
	for (unsigned int i = 0; i < 2; i++) {
		jobs[i] = (struct atomic_job){ .fd = fds[1], .id = i, .rec = rec_size,
					       .count = count };
		t[i] = thread_create_on("pipe-atomic", atomic_writer, &jobs[i],
					THREAD_PRIO_DEFAULT, 0,
					cpumask_of(i % cpumask_weight(cpus_online())));
		KASSERT(t[i]);
	}
	/* Odd read sizes, so reads split records: only writes must not. */
	while (got < total) {
		size_t want = total - got < 3001 ? total - got : 3001;
		ssize_t n = vfs_read(fds[0], stream + got, want);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	for (unsigned int i = 0; i < 2; i++) {
		thread_join(t[i]);
		KEXPECT_EQ(jobs[i].err, 0);
	}
	KEXPECT_EQ(got, total);
	for (p = stream; p + rec_size <= stream + got; p += rec_size) {
		unsigned char b = (unsigned char)p[0];
		unsigned int id = b >> 7;

		for (size_t k = 1; k < rec_size; k++)
			if ((unsigned char)p[k] != b) {
				bad++;
				break;
			}
		/* Each writer's records arrive in its order. */
		if (b != rec_byte(id, next[id]++))
			bad++;
	}
	KEXPECT_EQ(bad, 0);
	vfs_close(fds[0]);
	vfs_close(fds[1]);
	kfree(stream);
}

KTEST(pipe, pipe_buf_atomicity_two_writers)
{
	atomic_round(PIPE_BUF, 200);
	atomic_round(1000, 400);
	atomic_round(3000, 200);
	atomic_round(1, 3000);
}

#ifdef CONFIG_PROCESSES
/* Interrupt t's wait as a signal would (t may not have reached it yet). */
static void
fake_signal(struct thread *t)
{
	t->sigpending = 1;
	thread_interrupt(t);
}

KTEST(pipe, interrupted_read_and_write)
{
	static char big[70000];
	char buf[8];
	struct rw_job r = { .buf = buf, .len = sizeof(buf), .result = -1 };
	struct rw_job w = { .buf = big, .len = sizeof(big), .result = -1 };
	struct thread *t;
	int fds[2];

	KASSERT(vfs_pipe2(fds, 0) == 0);
	/* Nothing read: the call asks to be restarted (or fails with EINTR). */
	r.fd = fds[0];
	t = start("pipe-reader", reader_body, &r, &r.started);
	KASSERT(t);
	fake_signal(t);
	thread_join(t);
	KEXPECT_EQ(r.result, -ERESTARTSYS);
	KEXPECT_EQ(fionread(fds[0]), 0);

	/* A write interrupted after 64 KiB went in returns that much. */
	w.fd = fds[1];
	t = spawn("pipe-writer", writer_body, &w);
	KASSERT(t);
	while (fionread(fds[0]) < 65536)
		thread_sleep_ms(1);
	fake_signal(t);
	thread_join(t);
	KEXPECT_EQ(w.result, 65536);

	/* Full and nothing written yet: restart. */
	w.result = -1;
	w.len = 10;
	t = start("pipe-writer", writer_body, &w, &w.started);
	KASSERT(t);
	fake_signal(t);
	thread_join(t);
	KEXPECT_EQ(w.result, -ERESTARTSYS);
	KEXPECT_EQ(fionread(fds[0]), 65536);
	vfs_close(fds[0]);
	vfs_close(fds[1]);
}
#endif

/* Pipes give back every page: at close, and as reads empty them. */
KTEST(pipe, pages_returned)
{
	static char buf[65536];
	struct mm_stats before, after;
	int fds[8][2];

	for (int round = 0; round < 2; round++) {
		mm_stats(&before);
		for (int i = 0; i < 8; i++) {
			KASSERT(vfs_pipe2(fds[i], O_NONBLOCK) == 0);
			KEXPECT_EQ(vfs_write(fds[i][1], buf, sizeof(buf)), 65536);
		}
		for (int i = 0; i < 8; i++) {
			if (i & 1)
				KEXPECT_EQ(vfs_read(fds[i][0], buf, sizeof(buf)), 65536);
			vfs_close(fds[i][0]);
			vfs_close(fds[i][1]);
		}
		mm_stats(&after);
		/* The first round may grow slab caches; the second must balance. */
		if (round == 1)
			KEXPECT_EQ(after.free_pages, before.free_pages);
	}
}

/* ---- FIFOs ---- */

struct open_job {
	const char *path;
	int flags;
	volatile int fd;
	volatile bool started;
};

static void
opener_body(void *arg)
{
	struct open_job *j = arg;

	j->started = true;
	j->fd = vfs_openat(AT_FDCWD, j->path, j->flags, 0);
}

KTEST(fifo, open_rules)
{
	struct open_job j = { .path = "f", .fd = -1000 };
	struct kstat st;
	struct thread *t;
	int r, w, rw;
	char buf[8];

	KASSERT(fifo_dir());
	KASSERT(vfs_mknodat(AT_FDCWD, "f", S_IFIFO | 0666, 0) == 0);

	/* Non-blocking: a reader opens alone; a writer needs a reader. */
	KEXPECT_EQ(vfs_openat(AT_FDCWD, "f", O_WRONLY | O_NONBLOCK, 0), -ENXIO);
	r = vfs_openat(AT_FDCWD, "f", O_RDONLY | O_NONBLOCK, 0);
	KASSERT(r >= 0);
	KEXPECT_EQ(vfs_fstat(r, &st), 0);
	KEXPECT_EQ(st.mode & S_IFMT, S_IFIFO);
	KEXPECT_EQ(vfs_read(r, buf, sizeof(buf)), 0);	/* no writer: EOF */
	KEXPECT_EQ(poll_fd(r, POLLIN), 0);		/* no hang-up before a writer came */
	w = vfs_openat(AT_FDCWD, "f", O_WRONLY | O_NONBLOCK, 0);
	KASSERT(w >= 0);
	KEXPECT_EQ(vfs_read(r, buf, sizeof(buf)), -EAGAIN);
	KEXPECT_EQ(vfs_write(w, "fifo", 4), 4);
	KEXPECT_EQ(fionread(r), 4);
	KEXPECT_EQ(vfs_read(r, buf, sizeof(buf)), 4);
	KEXPECT(memcmp(buf, "fifo", 4) == 0);
	KEXPECT_EQ(vfs_close(w), 0);
	KEXPECT_EQ(poll_fd(r, POLLIN), POLLHUP);	/* a writer came and went */
	KEXPECT_EQ(vfs_close(r), 0);

	/* O_RDWR never waits, and is both ends. */
	rw = vfs_openat(AT_FDCWD, "f", O_RDWR, 0);
	KASSERT(rw >= 0);
	KEXPECT_EQ(poll_fd(rw, RW_ALL), POLLOUT | POLLWRNORM);
	KEXPECT_EQ(vfs_write(rw, "xy", 2), 2);
	KEXPECT_EQ(poll_fd(rw, RW_ALL), RW_ALL);
	/* Opens share one pipe while any is open ... */
	r = vfs_openat(AT_FDCWD, "f", O_RDONLY, 0);	/* a writer exists: no wait */
	KASSERT(r >= 0);
	KEXPECT_EQ(vfs_read(r, buf, sizeof(buf)), 2);
	KEXPECT_EQ(vfs_write(rw, "z", 1), 1);
	KEXPECT_EQ(vfs_close(rw), 0);
	KEXPECT_EQ(vfs_close(r), 0);
	/* ... and data left when the last closes is gone. */
	rw = vfs_openat(AT_FDCWD, "f", O_RDWR | O_NONBLOCK, 0);
	KASSERT(rw >= 0);
	KEXPECT_EQ(vfs_read(rw, buf, sizeof(buf)), -EAGAIN);
	KEXPECT_EQ(vfs_close(rw), 0);
	KEXPECT_EQ(vfs_openat(AT_FDCWD, "f", O_ACCMODE, 0), -EINVAL);

	/* A blocking O_RDONLY waits for a writer ... */
	j.flags = O_RDONLY;
	t = start("fifo-open", opener_body, &j, &j.started);
	KASSERT(t);
	thread_sleep_ms(5);
	KEXPECT_EQ(j.fd, -1000);			/* still waiting */
	w = vfs_openat(AT_FDCWD, "f", O_WRONLY, 0);	/* a reader waits: no wait */
	KASSERT(w >= 0);
	thread_join(t);
	KASSERT(j.fd >= 0);
	KEXPECT_EQ(vfs_write(w, "ok", 2), 2);
	KEXPECT_EQ(vfs_read(j.fd, buf, sizeof(buf)), 2);
	vfs_close(j.fd);
	vfs_close(w);

	/* ... and a blocking O_WRONLY for a reader. */
	j.flags = O_WRONLY;
	j.fd = -1000;
	t = start("fifo-open", opener_body, &j, &j.started);
	KASSERT(t);
	thread_sleep_ms(5);
	KEXPECT_EQ(j.fd, -1000);
	r = vfs_openat(AT_FDCWD, "f", O_RDONLY | O_NONBLOCK, 0);
	KASSERT(r >= 0);
	thread_join(t);
	KASSERT(j.fd >= 0);
	KEXPECT_EQ(vfs_write(j.fd, "go", 2), 2);
	KEXPECT_EQ(vfs_read(r, buf, sizeof(buf)), 2);
	vfs_close(j.fd);
	vfs_close(r);
	KEXPECT_EQ(vfs_unlinkat(AT_FDCWD, "f", 0), 0);
	vfs_chdir("/");
}

#ifdef CONFIG_PROCESSES
KTEST(fifo, interrupted_open)
{
	struct open_job j = { .path = "f", .fd = -1000, .flags = O_WRONLY };
	struct thread *t;
	char buf[4];
	int r, w;

	KASSERT(fifo_dir());
	KASSERT(vfs_mknodat(AT_FDCWD, "f", S_IFIFO | 0666, 0) == 0);
	t = start("fifo-open", opener_body, &j, &j.started);
	KASSERT(t);
	fake_signal(t);
	thread_join(t);
	KEXPECT_EQ(j.fd, -ERESTARTSYS);
	/* The failed open left no writer behind. */
	r = vfs_openat(AT_FDCWD, "f", O_RDONLY | O_NONBLOCK, 0);
	KASSERT(r >= 0);
	KEXPECT_EQ(vfs_read(r, buf, 1), 0);	/* EOF: no writer */
	w = vfs_openat(AT_FDCWD, "f", O_WRONLY | O_NONBLOCK, 0);
	KEXPECT(w >= 0);
	KEXPECT_EQ(vfs_read(r, buf, 1), -EAGAIN);
	vfs_close(w);
	vfs_close(r);
	vfs_chdir("/");
}
#endif
