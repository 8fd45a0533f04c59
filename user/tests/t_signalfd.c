/*
 * signalfd and signalfd4: reading struct signalfd_siginfo records (128
 * bytes; EINVAL for less) for the pending signals of the mask, several
 * per read, SFD_NONBLOCK and SFD_CLOEXEC, a new mask on an existing
 * descriptor, poll readiness, a reader woken by a signal from another
 * process, real-time signals queueing, a child reading its own signals
 * through an inherited descriptor, /proc, errors and EFAULT.
 */
#include "kt.h"

#include <stdbool.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <sys/wait.h>

#define SI_TKILL_CODE	(-6)

static sigset_t set_of(int a, int b)
{
	sigset_t s;
	sigemptyset(&s);
	if (a)
		sigaddset(&s, a);
	if (b)
		sigaddset(&s, b);
	return s;
}

static bool readable(int fd)
{
	struct pollfd p = {fd, POLLIN, 0};
	return poll(&p, 1, 0) == 1 && p.revents == POLLIN;
}

static void signalfd_read_records(void)
{
	sigset_t s = set_of(SIGUSR1, SIGUSR2);
	REQUIRE_OK(sigprocmask(SIG_BLOCK, &s, NULL));
	int fd = REQUIRE_OK(signalfd(-1, &s, SFD_NONBLOCK));
	struct signalfd_siginfo si[3];
	_Static_assert(sizeof(struct signalfd_siginfo) == 128, "128-byte records");
	CHECK_ERR(read(fd, si, sizeof(si)), EAGAIN);
	CHECK(!readable(fd));
	/* kill: SI_USER with the sender's pid and uid. */
	CHECK_OK(kill(getpid(), SIGUSR1));
	CHECK(readable(fd));
	memset(si, 0xff, sizeof(si));
	CHECK_EQ(read(fd, si, sizeof(si)), 128);
	CHECK_EQ(si[0].ssi_signo, SIGUSR1);
	CHECK_EQ(si[0].ssi_code, SI_USER);
	CHECK_EQ(si[0].ssi_errno, 0);
	CHECK_EQ(si[0].ssi_pid, getpid());
	CHECK_EQ(si[0].ssi_uid, getuid());
	CHECK_EQ(si[0].ssi_status, 0);
	CHECK_EQ(si[0].ssi_addr, 0);
	CHECK(!readable(fd));
	/* Taken by the read: no longer pending. */
	sigset_t pending;
	sigpending(&pending);
	CHECK(!sigismember(&pending, SIGUSR1));
	/* Two pending: one read takes both, lowest number first. */
	CHECK_OK(kill(getpid(), SIGUSR2));
	CHECK_OK(syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR1));
	CHECK_EQ(read(fd, si, sizeof(si)), 256);
	CHECK_EQ(si[0].ssi_signo, SIGUSR1);
	CHECK_EQ(si[0].ssi_code, SI_TKILL_CODE);
	CHECK_EQ(si[0].ssi_pid, getpid());
	CHECK_EQ(si[1].ssi_signo, SIGUSR2);
	CHECK_EQ(si[1].ssi_code, SI_USER);
	/* Room for one record only: one at a time. */
	CHECK_OK(kill(getpid(), SIGUSR1));
	CHECK_OK(kill(getpid(), SIGUSR2));
	CHECK_EQ(read(fd, si, 200), 128);
	CHECK_EQ(si[0].ssi_signo, SIGUSR1);
	CHECK_EQ(read(fd, si, 128), 128);
	CHECK_EQ(si[0].ssi_signo, SIGUSR2);
	/* Less than a record: EINVAL, even with a signal pending. */
	CHECK_OK(kill(getpid(), SIGUSR1));
	CHECK_ERR(read(fd, si, 127), EINVAL);
	CHECK_EQ(read(fd, si, 128), 128);
	/* Signals outside the mask are not read. */
	kt_block(SIGHUP);
	CHECK_OK(kill(getpid(), SIGHUP));
	CHECK(!readable(fd));
	CHECK_ERR(read(fd, si, sizeof(si)), EAGAIN);
	sigpending(&pending);
	CHECK(sigismember(&pending, SIGHUP));
	kt_default(SIGHUP);
	signal(SIGHUP, SIG_IGN);			/* drops it */
	CHECK_ERR(write(fd, si, 128), EINVAL);
	if (kt_on_kite())			/* Linux 6.1's; newer ones answer 0 */
		CHECK_ERR(lseek(fd, 0, SEEK_SET), ESPIPE);
	close(fd);
}

static void signalfd_queue(void)
{
	/* Real-time signals queue: each instance is a record. */
	int rt = SIGRTMIN + 1;
	sigset_t s = set_of(rt, 0);
	REQUIRE_OK(sigprocmask(SIG_BLOCK, &s, NULL));
	int fd = REQUIRE_OK(signalfd(-1, &s, SFD_NONBLOCK));
	for (int i = 0; i < 3; i++)
		CHECK_OK(kill(getpid(), rt));
	struct signalfd_siginfo si[4];
	CHECK_EQ(read(fd, si, sizeof(si)), 3 * 128);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(si[i].ssi_signo, rt);
		CHECK_EQ(si[i].ssi_code, SI_USER);
		CHECK_EQ(si[i].ssi_pid, getpid());
	}
	/* Standard signals do not queue. */
	s = set_of(SIGUSR1, 0);
	REQUIRE_OK(sigprocmask(SIG_BLOCK, &s, NULL));
	REQUIRE_OK(signalfd(fd, &s, 0));
	CHECK_OK(kill(getpid(), SIGUSR1));
	CHECK_OK(kill(getpid(), SIGUSR1));
	CHECK_EQ(read(fd, si, sizeof(si)), 128);
	close(fd);
}

static void signalfd_flags_mask(void)
{
	sigset_t s = set_of(SIGUSR1, SIGUSR2);
	REQUIRE_OK(sigprocmask(SIG_BLOCK, &s, NULL));
	sigset_t one = set_of(SIGUSR1, 0);
	int fd = REQUIRE_OK(signalfd(-1, &one, 0));
	CHECK_EQ(fcntl(fd, F_GETFL), O_RDWR);
	CHECK_EQ(fcntl(fd, F_GETFD), 0);
	close(fd);
	fd = REQUIRE_OK(signalfd(-1, &one, SFD_CLOEXEC | SFD_NONBLOCK));
	CHECK_EQ(fcntl(fd, F_GETFL), O_RDWR | O_NONBLOCK);
	CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);
	REQUIRE(n > 0);
	buf[n] = 0;
	CHECK_STR(buf, "anon_inode:[signalfd]");
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	REQUIRE(kt_read_file(path, buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, "sigmask:\t0000000000000200\n") != NULL);	/* SIGUSR1: bit 9 */
	/* A new mask for the same descriptor: its number comes back. */
	sigset_t two = set_of(SIGUSR2, 0);
	CHECK_EQ(signalfd(fd, &two, 0), fd);
	CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);	/* flags unchanged */
	CHECK_OK(kill(getpid(), SIGUSR1));
	CHECK(!readable(fd));
	CHECK_OK(kill(getpid(), SIGUSR2));
	CHECK(readable(fd));
	struct signalfd_siginfo si;
	CHECK_EQ(read(fd, &si, sizeof(si)), 128);
	CHECK_EQ(si.ssi_signo, SIGUSR2);
	/* Now SIGUSR1, still pending from before, is what it reads. */
	CHECK_EQ(signalfd(fd, &one, 0), fd);
	CHECK(readable(fd));
	CHECK_EQ(read(fd, &si, sizeof(si)), 128);
	CHECK_EQ(si.ssi_signo, SIGUSR1);
	/* SIGKILL and SIGSTOP are never in a mask (quietly dropped). */
	sigset_t ks = set_of(SIGKILL, SIGSTOP);
	int kfd = REQUIRE_OK(signalfd(-1, &ks, 0));
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", kfd);
	REQUIRE(kt_read_file(path, buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, "sigmask:\t0000000000000000\n") != NULL);
	close(kfd);
	/* Errors: flags, the mask's size, a descriptor that is no signalfd. */
	CHECK_ERR(signalfd(-1, &one, 1), EINVAL);
	CHECK_ERR(signalfd(-1, &one, O_APPEND), EINVAL);
	CHECK_ERR(syscall(SYS_signalfd4, -1, &one, 4, 0), EINVAL);
	CHECK_ERR(syscall(SYS_signalfd4, -1, &one, 16, 0), EINVAL);
	CHECK_ERR(signalfd(-2, &one, 0), EBADF);
	CHECK_ERR(signalfd(999, &one, 0), EBADF);
	int p[2];
	REQUIRE_OK(pipe(p));
	CHECK_ERR(signalfd(p[0], &one, 0), EINVAL);
	FOR_BAD(kt_bad_in, b)
		CHECK_ERR(syscall(SYS_signalfd4, -1, b->p, 8, 0), EFAULT);
	END_BAD;
#ifdef SYS_signalfd
	int ofd = CHECK_OK(syscall(SYS_signalfd, -1, &one, 8));	/* x86's old call */
	CHECK_EQ(fcntl(ofd, F_GETFL), O_RDWR);
	CHECK_ERR(syscall(SYS_signalfd, -1, &one, 4), EINVAL);
	close(ofd);
#endif
	/* A read into a bad buffer: EFAULT, and the signal is gone (as Linux). */
	CHECK_OK(fcntl(fd, F_SETFL, O_NONBLOCK));
	FOR_BAD(kt_bad_out, b) {
		CHECK_OK(kill(getpid(), SIGUSR1));
		CHECK_ERR(read(fd, b->p, 128), EFAULT);
		/* A kernel address is refused before the read starts. */
		if (strcmp(b->name, "kernel address") == 0)
			CHECK_EQ(read(fd, &si, sizeof(si)), 128);
		else
			CHECK_ERR(read(fd, &si, sizeof(si)), EAGAIN);
	}
	END_BAD;
	close(fd);
}

static volatile sig_atomic_t hits;

static void count(int sig)
{
	(void)sig;
	hits++;
}

static void signalfd_blocking(void)
{
	sigset_t s = set_of(SIGUSR1, 0);
	REQUIRE_OK(sigprocmask(SIG_BLOCK, &s, NULL));
	int fd = REQUIRE_OK(signalfd(-1, &s, 0));
	/* A blocked reader wakes for a signal another process sends. */
	pid_t parent = getpid();
	pid_t pid = kt_fork();
	if (pid == 0) {
		if (kt_wait_sleeping(parent))
			_exit(1);
		_exit(kill(parent, SIGUSR1) ? 1 : 0);
	}
	struct signalfd_siginfo si;
	CHECK_EQ(read(fd, &si, sizeof(si)), 128);
	CHECK_EQ(si.ssi_signo, SIGUSR1);
	CHECK_EQ(si.ssi_pid, pid);
	CHECK_EQ(kt_wait_exit(pid), 0);
	/* A poller too. */
	pid = kt_fork();
	if (pid == 0) {
		if (kt_wait_sleeping(parent))
			_exit(1);
		_exit(kill(parent, SIGUSR1) ? 1 : 0);
	}
	struct pollfd pf = {fd, POLLIN, 0};
	CHECK_EQ(poll(&pf, 1, -1), 1);
	CHECK_EQ(pf.revents, POLLIN);
	CHECK_EQ(read(fd, &si, sizeof(si)), 128);
	CHECK_EQ(kt_wait_exit(pid), 0);
	/* A signal outside the mask with a handler interrupts the read. */
	kt_handle(SIGUSR2, count, 0);
	pid = kt_fork();
	if (pid == 0) {
		if (kt_wait_sleeping(parent))
			_exit(1);
		_exit(kill(parent, SIGUSR2) ? 1 : 0);
	}
	CHECK_ERR(read(fd, &si, sizeof(si)), EINTR);
	CHECK_EQ(hits, 1);
	CHECK_EQ(kt_wait_exit(pid), 0);
	/* After fork the child reads its own signals, not the parent's. */
	CHECK_OK(kill(getpid(), SIGUSR1));
	pid = kt_fork();
	if (pid == 0) {
		struct signalfd_siginfo c;
		int flags = fcntl(fd, F_GETFL);
		fcntl(fd, F_SETFL, flags | O_NONBLOCK);
		/* The parent's pending signal is not the child's. */
		if (read(fd, &c, sizeof(c)) != -1 || errno != EAGAIN)
			_exit(1);
		fcntl(fd, F_SETFL, flags);
		raise(SIGUSR1);
		_exit(read(fd, &c, sizeof(c)) == 128 && c.ssi_signo == SIGUSR1 &&
		      c.ssi_pid == (uint32_t)getpid() ? 0 : 2);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
	CHECK(readable(fd));				/* still the parent's */
	CHECK_EQ(read(fd, &si, sizeof(si)), 128);
	CHECK_EQ(si.ssi_pid, getpid());
	close(fd);
}

static void signalfd_sigchld(void)
{
	sigset_t s = set_of(SIGCHLD, 0);
	REQUIRE_OK(sigprocmask(SIG_BLOCK, &s, NULL));
	int fd = REQUIRE_OK(signalfd(-1, &s, 0));
	pid_t pid = kt_fork();
	if (pid == 0)
		_exit(7);
	struct signalfd_siginfo si;
	CHECK_EQ(read(fd, &si, sizeof(si)), 128);
	CHECK_EQ(si.ssi_signo, SIGCHLD);
	CHECK_EQ(si.ssi_code, CLD_EXITED);
	CHECK_EQ(si.ssi_pid, pid);
	CHECK_EQ(si.ssi_status, 7);
	CHECK_EQ(kt_wait_exit(pid), 7);
	close(fd);
}

KT_TABLE(signalfd) = {
	{"signalfd.read", signalfd_read_records},
	{"signalfd.queue", signalfd_queue},
	{"signalfd.flags_mask", signalfd_flags_mask},
	{"signalfd.blocking", signalfd_blocking},
	{"signalfd.sigchld", signalfd_sigchld},
	{NULL, NULL},
};
