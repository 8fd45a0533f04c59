/*
 * sigqueue: rt_sigqueueinfo and rt_tgsigqueueinfo.  The queued siginfo
 * (si_code, si_value, si_pid and si_uid as the caller gave them) reaches
 * a handler, sigwaitinfo and signalfd; real-time signals queue in order;
 * si_code >= 0 or SI_TKILL is refused (EPERM) unless sent to oneself;
 * signal 0 probes; ESRCH, EINVAL and EPERM as kill; RLIMIT_SIGPENDING
 * bounds queued real-time signals (EAGAIN) but not kill's.
 */
#include "kt.h"

#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/wait.h>

static volatile int got_code, got_pid, got_uid, got_signo;
static volatile uintptr_t got_value;

static void on_queued(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_signo = sig;
	got_code = si->si_code;
	got_pid = si->si_pid;
	got_uid = (int)si->si_uid;
	got_value = (uintptr_t)si->si_value.sival_ptr;
}

static pid_t reaped_pid(void)
{
	pid_t pid = kt_fork();

	if (pid == 0)
		_exit(0);
	kt_wait(pid);
	return pid;
}

static long raw_sigqueueinfo(pid_t pid, int sig, int code, uintptr_t value, pid_t spid)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	si.si_signo = sig;
	si.si_code = code;
	si.si_pid = spid;
	si.si_uid = getuid();
	si.si_value.sival_ptr = (void *)value;
	return syscall(SYS_rt_sigqueueinfo, pid, sig, &si);
}

static void delivery(void)
{
	union sigval v = { .sival_ptr = (void *)(uintptr_t)0x12345678 };
	int sig = SIGRTMIN + 1;
	siginfo_t si;
	sigset_t set;

	kt_handle_info(sig, on_queued, 0);
	CHECK_OK(sigqueue(getpid(), sig, v));
	CHECK_EQ(got_signo, sig);
	CHECK_EQ(got_code, SI_QUEUE);
	CHECK_EQ(got_pid, getpid());
	CHECK_EQ(got_uid, getuid());
	CHECK_EQ(got_value, 0x12345678);

	/* Real-time signals queue, in order, each with its value. */
	kt_block(sig);
	for (int i = 0; i < 3; i++) {
		v.sival_int = 100 + i;
		CHECK_OK(sigqueue(getpid(), sig, v));
	}
	sigemptyset(&set);
	sigaddset(&set, sig);
	for (int i = 0; i < 3; i++) {
		memset(&si, 0, sizeof(si));
		CHECK_EQ(sigwaitinfo(&set, &si), sig);
		CHECK_EQ(si.si_code, SI_QUEUE);
		CHECK_EQ(si.si_value.sival_int, 100 + i);
		CHECK_EQ(si.si_pid, getpid());
	}

	/* The sender's si_pid is whatever the caller wrote (Linux keeps it). */
	CHECK_OK(raw_sigqueueinfo(getpid(), sig, SI_QUEUE, 7, 4242));
	CHECK_EQ(sigwaitinfo(&set, &si), sig);
	CHECK_EQ(si.si_pid, 4242);
	CHECK_EQ((uintptr_t)si.si_value.sival_ptr, 7);
}

static void via_signalfd(void)
{
	union sigval v = { .sival_ptr = (void *)(uintptr_t)0x2468ace };
	struct signalfd_siginfo r;
	int sig = SIGRTMIN + 2, fd;
	sigset_t set;

	kt_block(sig);
	sigemptyset(&set);
	sigaddset(&set, sig);
	fd = (int)REQUIRE_OK(signalfd(-1, &set, SFD_NONBLOCK));
	CHECK_OK(sigqueue(getpid(), sig, v));
	CHECK_EQ(read(fd, &r, sizeof(r)), (long)sizeof(r));
	CHECK_EQ(r.ssi_signo, sig);
	CHECK_EQ(r.ssi_code, SI_QUEUE);
	CHECK_EQ(r.ssi_pid, getpid());
	CHECK_EQ(r.ssi_uid, getuid());
	CHECK_EQ(r.ssi_int, 0x2468ace);
	CHECK_EQ(r.ssi_ptr, 0x2468ace);
	close(fd);
}

static void errors(void)
{
	union sigval v = { .sival_int = 1 };
	pid_t gone = reaped_pid(), child;
	int st;

	CHECK_OK(sigqueue(getpid(), 0, v));		/* a probe */
	CHECK_ERR(sigqueue(getpid(), -1, v), EINVAL);
	CHECK_ERR(sigqueue(getpid(), 65, v), EINVAL);
	CHECK_ERR(sigqueue(gone, SIGUSR1, v), ESRCH);
	CHECK_ERR(sigqueue(gone, 0, v), ESRCH);
	CHECK_ERR(sigqueue(gone, 999, v), ESRCH);	/* the process is looked up first */
	CHECK_ERR(sigqueue(-1, SIGUSR1, v), ESRCH);	/* no process groups */
	CHECK_ERR(syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, (void *)1), EFAULT);

	/* si_code >= 0 or SI_TKILL only to oneself. */
	child = kt_fork();
	if (child == 0) {
		pause();
		_exit(1);
	}
	CHECK_ERR(raw_sigqueueinfo(child, SIGUSR1, SI_USER, 0, getpid()), EPERM);
	CHECK_ERR(raw_sigqueueinfo(child, SIGUSR1, SI_KERNEL, 0, getpid()), EPERM);
	CHECK_ERR(raw_sigqueueinfo(child, SIGUSR1, SI_TKILL, 0, getpid()), EPERM);
	CHECK_ERR(raw_sigqueueinfo(child, 0, SI_USER, 0, getpid()), EPERM);
	CHECK_OK(raw_sigqueueinfo(child, SIGTERM, SI_QUEUE, 0, getpid()));
	st = kt_wait(child);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);

	kt_block(SIGUSR1);
	CHECK_OK(raw_sigqueueinfo(getpid(), SIGUSR1, SI_USER, 0, getpid()));
	CHECK_OK(raw_sigqueueinfo(getpid(), SIGUSR1, SI_TKILL, 0, getpid()));

	/* Permission as kill: an unprivileged caller cannot signal init. */
	child = kt_fork();
	if (child == 0) {
		kt_drop_privileges();
		_exit(sigqueue(1, 0, v) == -1 && errno == EPERM ? 0 : 1);
	}
	CHECK_EQ(kt_wait_exit(child), 0);
}

static void tgsigqueue(void)
{
	int sig = SIGRTMIN + 3;
	pid_t tid = (pid_t)syscall(SYS_gettid);
	siginfo_t si;
	sigset_t set;

	memset(&si, 0, sizeof(si));
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	si.si_uid = getuid();
	si.si_value.sival_int = 77;
	kt_block(sig);
	CHECK_OK(syscall(SYS_rt_tgsigqueueinfo, getpid(), tid, sig, &si));
	sigemptyset(&set);
	sigaddset(&set, sig);
	memset(&si, 0, sizeof(si));
	CHECK_EQ(sigwaitinfo(&set, &si), sig);
	CHECK_EQ(si.si_code, SI_QUEUE);
	CHECK_EQ(si.si_value.sival_int, 77);
	si.si_code = SI_QUEUE;
	CHECK_ERR(syscall(SYS_rt_tgsigqueueinfo, getpid(), 0, sig, &si), EINVAL);
	CHECK_ERR(syscall(SYS_rt_tgsigqueueinfo, 0, tid, sig, &si), EINVAL);
	CHECK_ERR(syscall(SYS_rt_tgsigqueueinfo, reaped_pid(), tid, sig, &si), ESRCH);
	CHECK_ERR(syscall(SYS_rt_tgsigqueueinfo, getpid(), tid, 65, &si), EINVAL);
	CHECK_OK(syscall(SYS_rt_tgsigqueueinfo, getpid(), tid, 0, &si));
}

static void rlimit_sigpending(void)
{
	struct rlimit rl = { 4, 4 };
	union sigval v = { .sival_int = 0 };
	int sig = SIGRTMIN + 4, sent = 0, err = 0;

	kt_block(sig);
	REQUIRE_OK(setrlimit(RLIMIT_SIGPENDING, &rl));
	for (int i = 0; i < 16; i++) {
		if (sigqueue(getpid(), sig, v) == 0) {
			sent++;
		} else {
			err = errno;
			break;
		}
	}
	CHECK(sent >= 1 && sent <= 4);
	CHECK_EQ(err, EAGAIN);
	/* kill's SI_USER is over the limit still accepted (Linux overrides it). */
	CHECK_OK(kill(getpid(), sig));
}

KT_TABLE(sigqueue) = {
	{"sigqueue.delivery", delivery},
	{"sigqueue.signalfd", via_signalfd},
	{"sigqueue.errors", errors},
	{"sigqueue.tgsigqueueinfo", tgsigqueue},
	{"sigqueue.rlimit_sigpending", rlimit_sigpending},
	{NULL, NULL},
};
