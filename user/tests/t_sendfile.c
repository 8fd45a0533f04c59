/*
 * Moving data between descriptors in the kernel: sendfile (and i386's
 * sendfile64) from a file to a file and to a pipe, with and without an
 * offset; copy_file_range within and across files (EXDEV across file
 * systems); splice between files and pipes and between pipes; tee;
 * vmsplice both ways.  Offsets, partial transfers (end of file, a pipe's
 * room), the errors (EBADF, EINVAL, ESPIPE, EXDEV, EISDIR, EAGAIN,
 * EPIPE) and EFAULT.
 */
#include "kt.h"

#include <stdbool.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/uio.h>

#define BIG	(200 * 1024)

static unsigned char pattern(size_t i)
{
	return (unsigned char)(i * 7 + (i >> 9));
}

/* A file of n pattern bytes, open read-write at offset 0. */
static int make_file(const char *name, size_t n)
{
	int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		KT_FAIL("open %s: %s", name, kt_errname(errno));
		kt_abort();
	}
	static unsigned char buf[BIG];
	for (size_t i = 0; i < n; i++)
		buf[i] = pattern(i);
	if (write(fd, buf, n) != (ssize_t)n || lseek(fd, 0, SEEK_SET) != 0) {
		KT_FAIL("filling %s", name);
		kt_abort();
	}
	return fd;
}

/* Whether fd holds pattern bytes from..from+n at offset at. */
static bool holds(int fd, off_t at, size_t from, size_t n)
{
	static unsigned char buf[BIG];
	if (pread(fd, buf, n, at) != (ssize_t)n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (buf[i] != pattern(from + i))
			return false;
	return true;
}

static size_t drain(int fd, unsigned char *buf, size_t cap)
{
	size_t got = 0;
	ssize_t r;
	while (got < cap && (r = read(fd, buf + got, cap - got)) > 0)
		got += (size_t)r;
	return got;
}

static void sendfile_files(void)
{
	int in = make_file("in", BIG);
	int out = REQUIRE_OK(open("out", O_RDWR | O_CREAT | O_TRUNC, 0644));
	/* At the input's position: both positions move. */
	CHECK_EQ(sendfile(out, in, NULL, 1000), 1000);
	CHECK_EQ(lseek(in, 0, SEEK_CUR), 1000);
	CHECK_EQ(lseek(out, 0, SEEK_CUR), 1000);
	CHECK_EQ(sendfile(out, in, NULL, BIG), BIG - 1000);	/* to the end */
	CHECK_EQ(sendfile(out, in, NULL, BIG), 0);		/* at the end */
	CHECK(holds(out, 0, 0, BIG));
	/* With an offset: it moves, the input's position stays. */
	off_t off = 5000;
	CHECK_OK(ftruncate(out, 0));
	CHECK_EQ(lseek(out, 0, SEEK_SET), 0);
	CHECK_EQ(lseek(in, 10, SEEK_SET), 10);
	CHECK_EQ(sendfile(out, in, &off, 3000), 3000);
	CHECK_EQ(off, 8000);
	CHECK_EQ(lseek(in, 0, SEEK_CUR), 10);
	CHECK(holds(out, 0, 5000, 3000));
	off = BIG - 10;
	CHECK_EQ(sendfile(out, in, &off, 100), 10);		/* short at the end */
	CHECK_EQ(off, BIG);
	off = BIG + 100;
	CHECK_EQ(sendfile(out, in, &off, 100), 0);		/* past it */
	CHECK_EQ(off, BIG + 100);
	CHECK_EQ(sendfile(out, in, NULL, 0), 0);
	/* Errors, in Linux's order. */
	off = 0;
	CHECK_ERR(sendfile(out, -1, NULL, 1), EBADF);
	CHECK_ERR(sendfile(-1, in, NULL, 1), EBADF);
	int wo = REQUIRE_OK(open("in", O_WRONLY));
	int ro = REQUIRE_OK(open("out", O_RDONLY));
	CHECK_ERR(sendfile(out, wo, NULL, 1), EBADF);		/* input not readable */
	CHECK_ERR(sendfile(ro, in, NULL, 1), EBADF);		/* output not writable */
	off = -1;
	CHECK_ERR(sendfile(out, in, &off, 1), EINVAL);
	int app = REQUIRE_OK(open("out", O_WRONLY | O_APPEND));
	CHECK_ERR(sendfile(app, in, NULL, 1), EINVAL);		/* no O_APPEND output */
	int dir = REQUIRE_OK(open(".", O_RDONLY | O_DIRECTORY));
	CHECK_ERR(sendfile(out, dir, NULL, 1), EINVAL);
	int p[2];
	REQUIRE_OK(pipe(p));
	off = 0;
	CHECK_ERR(sendfile(out, p[0], &off, 1), ESPIPE);	/* an offset for a pipe */
	CHECK_EQ(write(p[1], "abc", 3), 3);
	CHECK_ERR(sendfile(out, p[0], NULL, 3), EINVAL);	/* from a pipe: no */
	int opath = REQUIRE_OK(open("in", O_PATH));
	CHECK_ERR(sendfile(out, opath, NULL, 1), EBADF);
	/* EFAULT for the offset, read and written. */
	FOR_BAD(kt_bad_in, b)
		CHECK_ERR(syscall(SYS_sendfile, out, in, b->p, 1), EFAULT);
	END_BAD;
	FOR_BAD(kt_bad_out, b)
		CHECK_ERR(syscall(SYS_sendfile, out, in, b->p, 1), EFAULT);
	END_BAD;
#ifdef SYS_sendfile64
	int64_t off64 = 100;
	CHECK_OK(ftruncate(out, 0));
	CHECK_EQ(lseek(out, 0, SEEK_SET), 0);
	CHECK_EQ(syscall(SYS_sendfile64, out, in, &off64, 50), 50);
	CHECK_EQ(off64, 150);
	CHECK(holds(out, 0, 100, 50));
	off64 = -5;
	CHECK_ERR(syscall(SYS_sendfile64, out, in, &off64, 50), EINVAL);
#endif
	close(opath);
	close(p[0]);
	close(p[1]);
	close(dir);
	close(app);
	close(ro);
	close(wo);
	close(out);
	close(in);
}

static void sendfile_pipes(void)
{
	int in = make_file("in", BIG);
	int p[2];
	REQUIRE_OK(pipe(p));
	static unsigned char buf[BIG];
	/* Into a pipe: what fits in its 64 KiB, once there is room. */
	ssize_t n = sendfile(p[1], in, NULL, BIG);
	CHECK(n > 0 && n <= 65536);
	CHECK_EQ(lseek(in, 0, SEEK_CUR), n);
	CHECK_OK(fcntl(p[0], F_SETFL, O_NONBLOCK));
	size_t got = drain(p[0], buf, sizeof(buf));
	CHECK_EQ(got, n);
	bool same = true;
	for (size_t i = 0; i < got; i++)
		same &= buf[i] == pattern(i);
	CHECK(same);
	/* A full non-blocking pipe: EAGAIN. */
	CHECK_OK(fcntl(p[1], F_SETFL, O_NONBLOCK));
	while (write(p[1], buf, 4096) > 0)
		;
	CHECK_ERR(sendfile(p[1], in, NULL, 10), EAGAIN);
	/* A blocked sender is woken when a reader makes room. */
	CHECK_OK(fcntl(p[1], F_SETFL, 0));
	pid_t pid = kt_fork();
	if (pid == 0) {
		off_t off = 0;
		_exit(sendfile(p[1], in, &off, 100) > 0 ? 0 : 1);
	}
	kt_wait_sleeping(pid);
	drain(p[0], buf, sizeof(buf));
	CHECK_EQ(kt_wait_exit(pid), 0);
	/* No reader: EPIPE and SIGPIPE. */
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	CHECK_ERR(sendfile(p[1], in, NULL, 10), EPIPE);
	close(p[1]);
	close(in);
}

static void copy_range(void)
{
	int in = make_file("in", BIG);
	int out = REQUIRE_OK(open("out", O_RDWR | O_CREAT | O_TRUNC, 0644));
	/* At the positions: both move. */
	CHECK_EQ(copy_file_range(in, NULL, out, NULL, 4096, 0), 4096);
	CHECK_EQ(lseek(in, 0, SEEK_CUR), 4096);
	CHECK_EQ(lseek(out, 0, SEEK_CUR), 4096);
	CHECK(holds(out, 0, 0, 4096));
	/* At offsets: they move, the positions stay. */
	loff_t oi = 100, oo = 50000;
	CHECK_EQ(copy_file_range(in, &oi, out, &oo, 1000, 0), 1000);
	CHECK_EQ(oi, 1100);
	CHECK_EQ(oo, 51000);
	CHECK_EQ(lseek(in, 0, SEEK_CUR), 4096);
	CHECK(holds(out, 50000, 100, 1000));
	/* Short at the input's end; nothing past it. */
	oi = BIG - 100;
	oo = 0;
	CHECK_EQ(copy_file_range(in, &oi, out, &oo, 1000, 0), 100);
	oi = BIG + 5;
	CHECK_EQ(copy_file_range(in, &oi, out, &oo, 1000, 0), 0);
	CHECK_EQ(oi, BIG + 5);
	CHECK_EQ(copy_file_range(in, NULL, out, NULL, 0, 0), 0);
	/* Within one file: fine apart, EINVAL overlapping. */
	oi = 0;
	oo = BIG;
	CHECK_EQ(copy_file_range(in, &oi, in, &oo, 100, 0), 100);
	CHECK(holds(in, BIG, 0, 100));
	oi = 0;
	oo = 50;
	CHECK_ERR(copy_file_range(in, &oi, in, &oo, 100, 0), EINVAL);
	/* Errors. */
	CHECK_ERR(copy_file_range(in, NULL, out, NULL, 10, 1), EINVAL);
	CHECK_ERR(copy_file_range(-1, NULL, out, NULL, 10, 0), EBADF);
	CHECK_ERR(copy_file_range(in, NULL, -1, NULL, 10, 0), EBADF);
	int wo = REQUIRE_OK(open("in", O_WRONLY));
	int ro = REQUIRE_OK(open("out", O_RDONLY));
	int app = REQUIRE_OK(open("out", O_WRONLY | O_APPEND));
	CHECK_ERR(copy_file_range(wo, NULL, out, NULL, 10, 0), EBADF);
	CHECK_ERR(copy_file_range(in, NULL, ro, NULL, 10, 0), EBADF);
	CHECK_ERR(copy_file_range(in, NULL, app, NULL, 10, 0), EBADF);
	int dir = REQUIRE_OK(open(".", O_RDONLY | O_DIRECTORY));
	CHECK_ERR(copy_file_range(dir, NULL, out, NULL, 10, 0), EISDIR);
	int p[2];
	REQUIRE_OK(pipe(p));
	CHECK_ERR(copy_file_range(in, NULL, p[1], NULL, 10, 0), EINVAL);
	CHECK_ERR(copy_file_range(p[0], NULL, out, NULL, 10, 0), EINVAL);
	oi = -1;
	CHECK_ERR(copy_file_range(in, &oi, out, NULL, 10, 0), EOVERFLOW);	/* wraps */
	oi = -20;
	CHECK_ERR(copy_file_range(in, &oi, out, NULL, 10, 0), EINVAL);
	FOR_BAD(kt_bad_in, b) {
		CHECK_ERR(syscall(SYS_copy_file_range, in, b->p, out, NULL, 10, 0), EFAULT);
		CHECK_ERR(syscall(SYS_copy_file_range, in, NULL, out, b->p, 10, 0), EFAULT);
	}
	END_BAD;
	/* Across file systems: EXDEV (root mounts a second tmpfs to show it). */
	if (kt_is_root() && mkdir("mnt", 0755) == 0 && mount("none", "mnt", "tmpfs", 0, NULL) == 0) {
		int other = REQUIRE_OK(open("mnt/f", O_RDWR | O_CREAT, 0644));
		oi = 0;
		CHECK_ERR(copy_file_range(in, &oi, other, NULL, 10, 0), EXDEV);
		close(other);
		CHECK_OK(umount("mnt"));
	}
	close(p[0]);
	close(p[1]);
	close(dir);
	close(app);
	close(ro);
	close(wo);
	close(out);
	close(in);
}

static void splice_calls(void)
{
	int in = make_file("in", BIG);
	int out = REQUIRE_OK(open("out", O_RDWR | O_CREAT | O_TRUNC, 0644));
	int p[2], q[2];
	REQUIRE_OK(pipe(p));
	REQUIRE_OK(pipe(q));
	/* File to pipe at the file's position, then pipe to file at an offset. */
	CHECK_EQ(splice(in, NULL, p[1], NULL, 5000, 0), 5000);
	CHECK_EQ(lseek(in, 0, SEEK_CUR), 5000);
	loff_t off = 100;
	CHECK_EQ(splice(p[0], NULL, out, &off, 3000, 0), 3000);
	CHECK_EQ(off, 3100);
	CHECK_EQ(lseek(out, 0, SEEK_CUR), 0);
	CHECK(holds(out, 100, 0, 3000));
	CHECK_EQ(splice(p[0], NULL, out, NULL, 9000, 0), 2000);	/* what was there */
	CHECK_EQ(lseek(out, 0, SEEK_CUR), 2000);
	CHECK(holds(out, 0, 3000, 2000));
	/* File to pipe at an offset: the position stays. */
	off = 7;
	CHECK_EQ(splice(in, &off, p[1], NULL, 10, 0), 10);
	CHECK_EQ(off, 17);
	CHECK_EQ(lseek(in, 0, SEEK_CUR), 5000);
	/* Pipe to pipe, and tee (a copy that stays in the source). */
	CHECK_EQ(tee(p[0], q[1], 100, 0), 10);
	CHECK_EQ(splice(p[0], NULL, q[1], NULL, 4, 0), 4);
	unsigned char buf[64];
	CHECK_EQ(read(q[0], buf, sizeof(buf)), 14);
	bool ok = true;
	for (int i = 0; i < 10; i++)
		ok &= buf[i] == pattern(7 + (size_t)i);
	for (int i = 0; i < 4; i++)
		ok &= buf[10 + i] == pattern(7 + (size_t)i);
	CHECK(ok);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 6);		/* the rest */
	/* Empty, non-blocking: EAGAIN; no writer: 0. */
	CHECK_ERR(splice(p[0], NULL, out, NULL, 10, SPLICE_F_NONBLOCK), EAGAIN);
	CHECK_ERR(tee(p[0], q[1], 10, SPLICE_F_NONBLOCK), EAGAIN);
	/* Errors. */
	CHECK_EQ(splice(in, NULL, out, NULL, 0, 0), 0);		/* len 0 first */
	CHECK_ERR(splice(in, NULL, out, NULL, 10, 0), EINVAL);	/* no pipe */
	CHECK_ERR(splice(in, NULL, p[1], NULL, 10, 0x10), EINVAL);
	CHECK_ERR(splice(-1, NULL, p[1], NULL, 10, 0), EBADF);
	CHECK_ERR(splice(in, NULL, -1, NULL, 10, 0), EBADF);
	off = 0;
	CHECK_ERR(splice(p[0], &off, out, NULL, 10, 0), ESPIPE);
	CHECK_ERR(splice(in, NULL, p[1], &off, 10, 0), ESPIPE);
	CHECK_ERR(splice(p[0], NULL, p[1], NULL, 10, 0), EINVAL);	/* to itself */
	CHECK_ERR(splice(p[1], NULL, q[1], NULL, 10, 0), EBADF);	/* a write end */
	CHECK_ERR(tee(in, q[1], 10, 0), EINVAL);
	CHECK_ERR(tee(p[0], p[1], 10, 0), EINVAL);
	CHECK_ERR(tee(p[0], q[1], 10, 0x10), EINVAL);
	CHECK_EQ(tee(p[0], q[1], 0, 0), 0);
	int app = REQUIRE_OK(open("out", O_WRONLY | O_APPEND));
	CHECK_EQ(write(p[1], "x", 1), 1);
	CHECK_ERR(splice(p[0], NULL, app, NULL, 1, 0), EINVAL);
	FOR_BAD(kt_bad_in, b) {
		CHECK_ERR(splice(in, b->p, p[1], NULL, 1, 0), EFAULT);
		CHECK_ERR(splice(p[0], NULL, out, b->p, 1, 0), EFAULT);
	}
	END_BAD;
	/* At the writers' end: 0. */
	CHECK_EQ(read(p[0], buf, 1), 1);
	close(p[1]);
	CHECK_EQ(splice(p[0], NULL, out, NULL, 10, 0), 0);
	CHECK_EQ(tee(p[0], q[1], 10, 0), 0);
	close(app);
	close(p[0]);
	close(q[0]);
	close(q[1]);
	close(out);
	close(in);
}

static void vmsplice_calls(void)
{
	int p[2];
	REQUIRE_OK(pipe(p));
	char a[] = "hello ", b[] = "world";
	struct iovec iov[2] = {{a, 6}, {b, 5}};
	CHECK_EQ(vmsplice(p[1], iov, 2, 0), 11);
	char out1[4], out2[16];
	struct iovec riov[2] = {{out1, 4}, {out2, sizeof(out2)}};
	CHECK_EQ(vmsplice(p[0], riov, 2, 0), 11);
	CHECK(memcmp(out1, "hell", 4) == 0);
	CHECK(memcmp(out2, "o world", 7) == 0);
	CHECK_ERR(vmsplice(p[0], riov, 2, SPLICE_F_NONBLOCK), EAGAIN);
	CHECK_EQ(vmsplice(p[1], iov, 0, 0), 0);
	CHECK_ERR(vmsplice(p[1], iov, 2, 0x10), EINVAL);
	CHECK_ERR(vmsplice(-1, iov, 2, 0), EBADF);
	int f = REQUIRE_OK(open("f", O_RDWR | O_CREAT, 0644));
	CHECK_ERR(vmsplice(f, iov, 2, 0), EBADF);		/* not a pipe */
	CHECK_ERR(vmsplice(p[1], iov, 1025, 0), EINVAL);
	FOR_BAD(kt_bad_in, bad)
		CHECK_ERR(vmsplice(p[1], bad->p, 1, 0), EFAULT);
	END_BAD;
	/* Into a pipe with room for part: that part. */
	static char big[100000];
	struct iovec biov = {big, sizeof(big)};
	ssize_t n = vmsplice(p[1], &biov, 1, 0);
	CHECK(n > 0 && n <= 65536);
	close(f);
	close(p[0]);
	close(p[1]);
}

KT_TABLE(sendfile) = {
	{"sendfile.files", sendfile_files},
	{"sendfile.pipes", sendfile_pipes},
	{"sendfile.copy_file_range", copy_range},
	{"sendfile.splice", splice_calls},
	{"sendfile.vmsplice", vmsplice_calls},
	{NULL, NULL},
};
