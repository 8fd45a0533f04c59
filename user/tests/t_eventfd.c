/*
 * eventfd and eventfd2: the counter's reads and writes (8 bytes, EINVAL
 * for fewer, 0xffffffffffffffff refused, no overflow past
 * 0xfffffffffffffffe), EFD_SEMAPHORE, EFD_NONBLOCK and EFD_CLOEXEC,
 * blocking readers and writers woken by another process, poll and select
 * readiness, what /proc shows (link, fdinfo), and EFAULT.
 */
#include "kt.h"

#include <stdbool.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/wait.h>

static void nop(int sig)
{
	(void)sig;
}

static uint64_t rd(int fd)
{
	uint64_t v = 0;
	if (read(fd, &v, sizeof(v)) != sizeof(v))
		KT_FAIL("read of eventfd %d: %s", fd, kt_errname(errno));
	return v;
}

static void wr(int fd, uint64_t v)
{
	if (write(fd, &v, sizeof(v)) != sizeof(v))
		KT_FAIL("write of %llu to eventfd %d: %s", (unsigned long long)v, fd,
			kt_errname(errno));
}

static short revents(int fd, short events)
{
	struct pollfd p = {fd, events, 0};
	if (poll(&p, 1, 0) < 0)
		KT_FAIL("poll: %s", kt_errname(errno));
	return p.revents;
}

static void eventfd_counter(void)
{
	int fd = REQUIRE_OK(eventfd(5, EFD_NONBLOCK));
	CHECK_EQ(rd(fd), 5);
	uint64_t v;
	CHECK_ERR(read(fd, &v, sizeof(v)), EAGAIN);	/* 0: nothing to read */
	wr(fd, 3);
	wr(fd, 4);
	CHECK_EQ(rd(fd), 7);				/* writes add up */
	/* Fewer than 8 bytes: EINVAL both ways; more: 8 of them. */
	uint32_t small = 1;
	CHECK_ERR(write(fd, &small, sizeof(small)), EINVAL);
	CHECK_ERR(read(fd, &small, sizeof(small)), EINVAL);
	/* (A longer write is EINVAL since Linux 6.9, 8 bytes before: not tried.) */
	uint64_t big[2] = {0, 0};
	wr(fd, 9);
	CHECK_EQ(read(fd, big, sizeof(big)), 8);
	CHECK_EQ(big[0], 9);
	CHECK_EQ(big[1], 0);				/* untouched */
	/* The largest count is 0xfffffffffffffffe; 0xffffffffffffffff is no value. */
	v = UINT64_MAX;
	CHECK_ERR(write(fd, &v, sizeof(v)), EINVAL);
	wr(fd, UINT64_MAX - 1);
	v = 1;
	CHECK_ERR(write(fd, &v, sizeof(v)), EAGAIN);	/* would overflow */
	v = 0;
	CHECK_EQ(write(fd, &v, sizeof(v)), 8);		/* adding 0 always fits */
	CHECK_EQ(rd(fd), UINT64_MAX - 1);
	/* Not pread-able; not seekable either in Linux 6.1 (newer ones answer 0). */
	CHECK_ERR(pread(fd, &v, sizeof(v), 0), ESPIPE);
	if (kt_on_kite())
		CHECK_ERR(lseek(fd, 0, SEEK_SET), ESPIPE);
	close(fd);
	/* The initial value is an unsigned int. */
	fd = REQUIRE_OK(syscall(SYS_eventfd2, 0xffffffffu, EFD_NONBLOCK));
	CHECK_EQ(rd(fd), 0xffffffffu);
	close(fd);
#ifdef SYS_eventfd
	fd = REQUIRE_OK(syscall(SYS_eventfd, 2));	/* x86's old call: no flags */
	CHECK_EQ(rd(fd), 2);
	CHECK_EQ(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
	close(fd);
#endif
}

static void eventfd_flags(void)
{
	int fd = REQUIRE_OK(eventfd(0, 0));
	CHECK_EQ(fcntl(fd, F_GETFL), O_RDWR);
	CHECK_EQ(fcntl(fd, F_GETFD), 0);
	close(fd);
	fd = REQUIRE_OK(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
	CHECK_EQ(fcntl(fd, F_GETFL), O_RDWR | O_NONBLOCK);
	CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	/* O_NONBLOCK follows F_SETFL. */
	CHECK_OK(fcntl(fd, F_SETFL, 0));
	CHECK_OK(fcntl(fd, F_SETFL, O_NONBLOCK));
	uint64_t v;
	CHECK_ERR(read(fd, &v, sizeof(v)), EAGAIN);
	close(fd);
	CHECK_ERR(syscall(SYS_eventfd2, 0, 0x100), EINVAL);
	CHECK_ERR(syscall(SYS_eventfd2, 0, O_APPEND), EINVAL);
	CHECK_ERR(syscall(SYS_eventfd2, 0, -1), EINVAL);
	/* EFD_SEMAPHORE: each read takes 1. */
	fd = REQUIRE_OK(eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK));
	CHECK_EQ(rd(fd), 1);
	CHECK_EQ(rd(fd), 1);
	wr(fd, 2);
	CHECK_EQ(rd(fd), 1);
	CHECK_EQ(rd(fd), 1);
	CHECK_EQ(rd(fd), 1);
	CHECK_ERR(read(fd, &v, sizeof(v)), EAGAIN);
	close(fd);
}

static void eventfd_blocking(void)
{
	/* A reader sleeps until another process writes. */
	int fd = REQUIRE_OK(eventfd(0, 0));
	pid_t pid = kt_fork();
	if (pid == 0) {
		uint64_t v = 0;
		_exit(read(fd, &v, sizeof(v)) == 8 && v == 42 ? 0 : 1);
	}
	kt_wait_sleeping(pid);
	wr(fd, 42);
	CHECK_EQ(kt_wait_exit(pid), 0);
	/* A writer sleeps while the sum would overflow, until a read makes room. */
	wr(fd, UINT64_MAX - 1);
	pid = kt_fork();
	if (pid == 0) {
		uint64_t v = 10;
		_exit(write(fd, &v, sizeof(v)) == 8 ? 0 : 1);
	}
	kt_wait_sleeping(pid);
	CHECK_EQ(rd(fd), UINT64_MAX - 1);
	CHECK_EQ(kt_wait_exit(pid), 0);
	CHECK_EQ(rd(fd), 10);
	/* A signal ends a blocked read with EINTR (no SA_RESTART). */
	pid = kt_fork();
	if (pid == 0) {
		kt_handle(SIGUSR1, nop, 0);
		uint64_t v;
		errno = 0;
		ssize_t r = read(fd, &v, sizeof(v));
		_exit(r == -1 && errno == EINTR ? 0 : 1);
	}
	kt_wait_sleeping(pid);
	CHECK_OK(kill(pid, SIGUSR1));
	CHECK_EQ(kt_wait_exit(pid), 0);
	close(fd);
}

static void eventfd_poll(void)
{
	int fd = REQUIRE_OK(eventfd(0, EFD_NONBLOCK));
	CHECK_EQ(revents(fd, POLLIN | POLLOUT), POLLOUT);
	wr(fd, 1);
	CHECK_EQ(revents(fd, POLLIN | POLLOUT), POLLIN | POLLOUT);
	wr(fd, UINT64_MAX - 2);				/* full: no room for 1 more */
	CHECK_EQ(revents(fd, POLLIN | POLLOUT), POLLIN);
	CHECK_EQ(rd(fd), UINT64_MAX - 1);
	CHECK_EQ(revents(fd, POLLIN | POLLOUT), POLLOUT);
	/* select agrees. */
	fd_set r, w;
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(fd, &r);
	FD_SET(fd, &w);
	struct timeval tv = {0, 0};
	CHECK_EQ(select(fd + 1, &r, &w, NULL, &tv), 1);
	CHECK(!FD_ISSET(fd, &r));
	CHECK(FD_ISSET(fd, &w));
	/* A poller sleeps until another process writes. */
	pid_t pid = kt_fork();
	if (pid == 0) {
		struct pollfd p = {fd, POLLIN, 0};
		_exit(poll(&p, 1, -1) == 1 && p.revents == POLLIN ? 0 : 1);
	}
	kt_wait_sleeping(pid);
	wr(fd, 7);
	CHECK_EQ(kt_wait_exit(pid), 0);
	close(fd);
}

static void eventfd_proc(void)
{
	int fd = REQUIRE_OK(eventfd(0x1234, 0));
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);
	REQUIRE(n > 0);
	buf[n] = 0;
	CHECK_STR(buf, "anon_inode:[eventfd]");
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	REQUIRE(kt_read_file(path, buf, sizeof(buf)) > 0);
	const char *count = strstr(buf, "eventfd-count:");
	REQUIRE(count);
	CHECK_EQ(strtoull(count + strlen("eventfd-count:"), NULL, 16), 0x1234);
	CHECK(strstr(buf, "\neventfd-id:") != NULL);
	CHECK(strstr(buf, "flags:\t02\n") != NULL);
	/* Two eventfds are two counters behind one kind of inode. */
	int fd2 = REQUIRE_OK(eventfd(0, 0));
	struct stat a, b;
	REQUIRE_OK(fstat(fd, &a));
	REQUIRE_OK(fstat(fd2, &b));
	CHECK_EQ(a.st_mode & 0777, 0600);
	CHECK_EQ(a.st_dev, b.st_dev);
	close(fd2);
	close(fd);
}

static void eventfd_efault(void)
{
	int fd = REQUIRE_OK(eventfd(0, EFD_NONBLOCK));
	FOR_BAD(kt_bad_in, b)
		CHECK_ERR(write(fd, b->p, 8), EFAULT);
	END_BAD;
	CHECK_ERR(read(fd, &(uint64_t){0}, 8), EAGAIN);	/* nothing was added */
	FOR_BAD(kt_bad_out, b) {
		wr(fd, 1);
		/*
		 * As Linux: the count is taken, then the copy fails; a kernel
		 * address is refused before the read starts.
		 */
		CHECK_ERR(read(fd, b->p, 8), EFAULT);
		if (strcmp(b->name, "kernel address") == 0)
			CHECK_EQ(rd(fd), 1);
		else
			CHECK_ERR(read(fd, &(uint64_t){0}, 8), EAGAIN);
	}
	END_BAD;
	close(fd);
}

KT_TABLE(eventfd) = {
	{"eventfd.counter", eventfd_counter},
	{"eventfd.flags", eventfd_flags},
	{"eventfd.blocking", eventfd_blocking},
	{"eventfd.poll", eventfd_poll},
	{"eventfd.proc", eventfd_proc},
	{"eventfd.efault", eventfd_efault},
	{NULL, NULL},
};
