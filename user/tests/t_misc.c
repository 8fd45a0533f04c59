/*
 * The rest of the system-call layer: uname, clocks and sleeps (i386 time64
 * and 32-bit forms), getrandom, sysinfo, resource limits (getrlimit/
 * setrlimit/prlimit64, RLIMIT_NOFILE enforced), reboot's permission and
 * argument checks, unknown system calls, thread-pointer calls, gettid and
 * sched_yield, CPU affinity; EFAULT for each pointer argument.  No verdict depends on
 * timing: only order and errors.
 */
#include "kt.h"

#include <fcntl.h>
#include <linux/reboot.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#ifdef __x86_64__
#include <asm/prctl.h>
#endif

static void uname_call(void)
{
	struct utsname u;
	CHECK_OK(uname(&u));
	CHECK_STR(u.sysname, "Linux");
#if defined(__aarch64__)
	CHECK_STR(u.machine, "aarch64");
#elif defined(__x86_64__)
	CHECK_STR(u.machine, "x86_64");
#else
	/* A 64-bit Linux kernel says x86_64 to 32-bit programs too. */
	CHECK((u.machine[0] == 'i' && !strcmp(u.machine + 2, "86")) || !strcmp(u.machine, "x86_64"));
#endif
	int major = 0, minor = 0;
	CHECK_EQ(sscanf(u.release, "%d.%d", &major, &minor), 2);
	CHECK(major > 3 || (major == 3 && minor >= 2));	/* glibc's minimum */
	if (kt_on_kite()) {
		CHECK(strncmp(u.release, "6.1.0", 5) == 0);
		CHECK(strstr(u.release, "kite") != NULL);
	} else {
		kt_note("Linux %s: the 6.1.0 release check is for Kite only", u.release);
	}
	CHECK(u.nodename[0] != 0);
	CHECK(u.version[0] != 0);
	FOR_BAD(kt_bad_out, b)
		CHECK_ERR(syscall(SYS_uname, b->p), EFAULT);
	END_BAD;
}

#ifdef SYS_clock_gettime64
#define SYS_GETTIME SYS_clock_gettime64
#define SYS_GETRES SYS_clock_getres_time64
#define SYS_NANOSLEEP SYS_clock_nanosleep_time64
#else
#define SYS_GETTIME SYS_clock_gettime
#define SYS_GETRES SYS_clock_getres
#define SYS_NANOSLEEP SYS_clock_nanosleep
#endif

struct ts64 {
	int64_t sec, nsec;
};

static int ts_le(struct ts64 a, struct ts64 b)
{
	return a.sec < b.sec || (a.sec == b.sec && a.nsec <= b.nsec);
}

static struct ts64 now(clockid_t id)
{
	struct ts64 t = {0, 0};
	if (syscall(SYS_GETTIME, id, &t))
		KT_FAIL("clock_gettime(%d): %s", id, kt_errname(errno));
	return t;
}

static void clocks(void)
{
	/* Real calls, not glibc's vDSO path. */
	struct ts64 rt = now(CLOCK_REALTIME);
	CHECK(rt.sec > 1577836800);			/* after 2020-01-01 */
	CHECK(rt.nsec >= 0 && rt.nsec < 1000000000);
	static const clockid_t ids[] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME,
					CLOCK_MONOTONIC_RAW, CLOCK_REALTIME_COARSE,
					CLOCK_MONOTONIC_COARSE, CLOCK_PROCESS_CPUTIME_ID,
					CLOCK_THREAD_CPUTIME_ID};
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		struct ts64 a = now(ids[i]), b = now(ids[i]);
		if (!ts_le(a, b))
			KT_FAIL("clock %d went backwards", ids[i]);
		struct ts64 res = {-1, -1};
		CHECK_OK(syscall(SYS_GETRES, ids[i], &res));
		CHECK(res.sec == 0 && res.nsec > 0);
	}
	/* Boot time includes monotonic time. */
	struct ts64 mono = now(CLOCK_MONOTONIC), boot = now(CLOCK_BOOTTIME);
	CHECK(ts_le(mono, boot));
	CHECK_ERR(syscall(SYS_GETTIME, 12345, &rt), EINVAL);
	CHECK_ERR(syscall(SYS_GETTIME, -1, &rt), EINVAL);
	CHECK_ERR(syscall(SYS_GETRES, 12345, &rt), EINVAL);
	CHECK_OK(syscall(SYS_GETRES, CLOCK_REALTIME, NULL));
	/* gettimeofday and time agree with CLOCK_REALTIME's order. */
	struct ts64 before = now(CLOCK_REALTIME);
	struct timeval tv;
	struct timezone tz;
#ifdef SYS_gettimeofday
	CHECK_OK(syscall(SYS_gettimeofday, &tv, &tz));
#else
	CHECK_OK(gettimeofday(&tv, NULL));
#endif
	struct ts64 after = now(CLOCK_REALTIME);
	CHECK(tv.tv_sec >= before.sec && tv.tv_sec <= after.sec);
	CHECK(tv.tv_usec >= 0 && tv.tv_usec < 1000000);
#ifdef SYS_time
	time_t t = syscall(SYS_time, NULL);
	CHECK(t >= before.sec);
#endif
#if defined(SYS_clock_gettime64) && defined(SYS_clock_gettime)
	/* i386's 32-bit form still works (until 2038). */
	struct { int32_t sec, nsec; } t32;
	CHECK_OK(syscall(SYS_clock_gettime, CLOCK_REALTIME, &t32));
	CHECK(t32.sec >= before.sec);
#endif
	FOR_BAD(kt_bad_out, b) {
		CHECK_ERR(syscall(SYS_GETTIME, CLOCK_REALTIME, b->p), EFAULT);
		CHECK_ERR(syscall(SYS_GETTIME, CLOCK_MONOTONIC, b->p), EFAULT);
		CHECK_ERR(syscall(SYS_GETRES, CLOCK_REALTIME, b->p), EFAULT);
#ifdef SYS_gettimeofday
		CHECK_ERR(syscall(SYS_gettimeofday, b->p, NULL), EFAULT);
		CHECK_ERR(syscall(SYS_gettimeofday, NULL, b->p), EFAULT);
#endif
#ifdef SYS_time
		CHECK_ERR(syscall(SYS_time, b->p), EFAULT);
#endif
	}
	END_BAD;
	(void)tz;
}

static void sleeps(void)
{
	/* A sleep lasts at least what was asked (a guarantee, not a timing). */
	struct ts64 a = now(CLOCK_MONOTONIC);
	struct timespec req = {0, 20000000};
	CHECK_OK(nanosleep(&req, NULL));
	struct ts64 b = now(CLOCK_MONOTONIC);
	int64_t ns = (b.sec - a.sec) * 1000000000LL + (b.nsec - a.nsec);
	CHECK(ns >= 20000000);
	/* Absolute: a time in the past returns at once, a future one is reached. */
	struct ts64 past = {1, 0};
	CHECK_OK(syscall(SYS_NANOSLEEP, CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL));
	struct ts64 target = now(CLOCK_MONOTONIC);
	target.nsec += 10000000;
	if (target.nsec >= 1000000000) {
		target.sec++;
		target.nsec -= 1000000000;
	}
	CHECK_OK(syscall(SYS_NANOSLEEP, CLOCK_MONOTONIC, TIMER_ABSTIME, &target, NULL));
	CHECK(ts_le(target, now(CLOCK_MONOTONIC)));
	struct ts64 rt = now(CLOCK_REALTIME);
	rt.nsec = 0;
	CHECK_OK(syscall(SYS_NANOSLEEP, CLOCK_REALTIME, TIMER_ABSTIME, &rt, NULL));
	CHECK_OK(syscall(SYS_NANOSLEEP, CLOCK_BOOTTIME, 0, &(struct ts64){0, 1000}, NULL));
	/* Zero sleeps. */
	CHECK_OK(nanosleep(&(struct timespec){0, 0}, NULL));
	/* Errors (clock_nanosleep returns them through the raw call's errno). */
	struct ts64 bad = {0, 1000000000};
	CHECK_ERR(syscall(SYS_NANOSLEEP, CLOCK_MONOTONIC, 0, &bad, NULL), EINVAL);
	bad = (struct ts64){-1, 0};
	CHECK_ERR(syscall(SYS_NANOSLEEP, CLOCK_MONOTONIC, 0, &bad, NULL), EINVAL);
	bad = (struct ts64){0, -1};
	CHECK_ERR(syscall(SYS_NANOSLEEP, CLOCK_MONOTONIC, 0, &bad, NULL), EINVAL);
	struct ts64 one = {0, 1};
	CHECK_ERR(syscall(SYS_NANOSLEEP, 12345, 0, &one, NULL), EINVAL);
	CHECK_ERR(syscall(SYS_NANOSLEEP, CLOCK_THREAD_CPUTIME_ID, 0, &one, NULL), EOPNOTSUPP);
	CHECK_ERR(nanosleep(&(struct timespec){0, 1000000000}, NULL), EINVAL);
	CHECK_ERR(nanosleep(&(struct timespec){-1, 0}, NULL), EINVAL);
	FOR_BAD(kt_bad_in, b) {
		CHECK_ERR(syscall(SYS_NANOSLEEP, CLOCK_MONOTONIC, 0, b->p, NULL), EFAULT);
#ifdef SYS_nanosleep
		CHECK_ERR(syscall(SYS_nanosleep, b->p, NULL), EFAULT);
#endif
	}
	END_BAD;
}

static void getrandom_call(void)
{
	unsigned char a[32], b[32];
	long r = syscall(SYS_getrandom, a, sizeof(a), GRND_NONBLOCK);
	if (r == -1 && errno == EAGAIN) {
		kt_note("entropy pool not ready: blocking getrandom");
		r = syscall(SYS_getrandom, a, sizeof(a), 0);
	}
	CHECK_EQ(r, 32);
	CHECK_EQ(syscall(SYS_getrandom, b, sizeof(b), 0), 32);
	CHECK(memcmp(a, b, sizeof(a)) != 0);		/* 2^-256 of failing */
	CHECK_EQ(syscall(SYS_getrandom, b, 0, 0), 0);
	CHECK_EQ(syscall(SYS_getrandom, b, 16, GRND_RANDOM), 16);
	static unsigned char big[1 << 20];
	r = syscall(SYS_getrandom, big, sizeof(big), 0);
	CHECK(r > 0 && r <= (long)sizeof(big));
	CHECK_ERR(syscall(SYS_getrandom, b, 16, 0x40), EINVAL);
	CHECK_ERR(syscall(SYS_getrandom, b, 16, GRND_RANDOM | 0x4 /* GRND_INSECURE */), EINVAL);
	FOR_BAD(kt_bad_out, bp)
		CHECK_ERR(syscall(SYS_getrandom, bp->p, 16, 0), EFAULT);
	END_BAD;
}

static void sysinfo_call(void)
{
	struct ts64 bt0 = now(CLOCK_BOOTTIME);
	struct sysinfo si;
	CHECK_OK(sysinfo(&si));
	struct ts64 bt1 = now(CLOCK_BOOTTIME);
	/* Linux rounds the uptime up to a whole second. */
	CHECK(si.uptime >= bt0.sec && si.uptime <= bt1.sec + 1);
	CHECK(si.totalram > 0);
	CHECK(si.freeram <= si.totalram);
	CHECK(si.mem_unit >= 1);
	CHECK(si.procs >= 1);
	CHECK(si.totalswap >= si.freeswap);
	FOR_BAD(kt_bad_out, b)
		CHECK_ERR(syscall(SYS_sysinfo, b->p), EFAULT);
	END_BAD;
}

static void rlimits(void)
{
	struct rlimit rl, rl2;
	CHECK_OK(getrlimit(RLIMIT_NOFILE, &rl));
	CHECK(rl.rlim_cur <= rl.rlim_max);
	CHECK_OK(getrlimit(RLIMIT_STACK, &rl2));
	CHECK(rl2.rlim_cur > 0);
	/* prlimit64 on ourselves, get and set at once. */
	struct rlimit64 n = {32, rl.rlim_max}, o;
	CHECK_OK(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &n, &o));
	CHECK_EQ(o.rlim_cur, rl.rlim_cur);
	CHECK_OK(getrlimit(RLIMIT_NOFILE, &rl2));
	CHECK_EQ(rl2.rlim_cur, 32);
	/* Enforced: open and dup stop at the limit. */
	int fds[40], n_open = 0;
	for (int i = 0; i < 40; i++) {
		fds[i] = open("/dev/null", O_RDONLY);
		if (fds[i] < 0) {
			CHECK_EQ(errno, EMFILE);
			break;
		}
		n_open++;
		CHECK(fds[i] < 32);
	}
	CHECK(n_open < 40);
	CHECK_ERR(dup(fds[0]), EMFILE);
	CHECK_ERR(dup2(fds[0], 32), EBADF);
	CHECK_ERR(fcntl(fds[0], F_DUPFD, 32), EINVAL);
	int pp[2];
	CHECK_ERR(pipe(pp), EMFILE);
	for (int i = 0; i < n_open; i++)
		close(fds[i]);
	/* Inherited by a child and across exec. */
	pid_t pid = kt_fork();
	if (pid == 0) {
		struct rlimit c;
		_exit(getrlimit(RLIMIT_NOFILE, &c) || c.rlim_cur != 32);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
	/* Errors. */
	rl2 = (struct rlimit){rl.rlim_max, rl.rlim_max - 1};
	if (rl.rlim_max > 1)
		CHECK_ERR(setrlimit(RLIMIT_NOFILE, &rl2), EINVAL);	/* soft > hard */
	CHECK_ERR(getrlimit(1000, &rl2), EINVAL);
	CHECK_ERR(setrlimit(1000, &rl), EINVAL);
	CHECK_ERR(syscall(SYS_prlimit64, 0x3fffffff, RLIMIT_NOFILE, NULL, &o), ESRCH);
	rl2 = (struct rlimit){1 << 30, 1 << 30};
	CHECK_ERR(setrlimit(RLIMIT_NOFILE, &rl2), EPERM);	/* above nr_open */
	CHECK_OK(setrlimit(RLIMIT_NOFILE, &rl));
	/* Another process: a child's limits, read and set by its parent. */
	int rel[2];
	REQUIRE_OK(pipe(rel));
	pid = kt_fork();
	if (pid == 0) {
		char c;
		close(rel[1]);
		while (read(rel[0], &c, 1) > 0)
			;
		struct rlimit c2;
		getrlimit(RLIMIT_CORE, &c2);
		_exit(c2.rlim_cur == 0 ? 0 : 1);
	}
	close(rel[0]);
	n = (struct rlimit64){0, RLIM64_INFINITY};
	CHECK_OK(syscall(SYS_prlimit64, pid, RLIMIT_CORE, NULL, &o));
	if (o.rlim_max != RLIM64_INFINITY)
		n.rlim_max = o.rlim_max;
	CHECK_OK(syscall(SYS_prlimit64, pid, RLIMIT_CORE, &n, NULL));
	close(rel[1]);
	CHECK_EQ(kt_wait_exit(pid), 0);
	FOR_BAD(kt_bad_in, b) {
		CHECK_ERR(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, b->p, NULL), EFAULT);
		CHECK_ERR(syscall(SYS_setrlimit, RLIMIT_NOFILE, b->p), EFAULT);
	}
	FOR_BAD(kt_bad_out, b) {
		CHECK_ERR(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, b->p), EFAULT);
#ifdef SYS_ugetrlimit
		CHECK_ERR(syscall(SYS_ugetrlimit, RLIMIT_NOFILE, b->p), EFAULT);
#else
		CHECK_ERR(syscall(SYS_getrlimit, RLIMIT_NOFILE, b->p), EFAULT);
#endif
	}
	END_BAD;
	if (kt_is_root()) {
		pid = kt_fork();
		if (pid == 0) {
			kt_drop_privileges();
			struct rlimit h;
			getrlimit(RLIMIT_NOFILE, &h);
			h.rlim_max -= 1;
			h.rlim_cur = h.rlim_max;
			CHECK_OK(setrlimit(RLIMIT_NOFILE, &h));		/* lowering is fine */
			h.rlim_max += 1;
			CHECK_ERR(setrlimit(RLIMIT_NOFILE, &h), EPERM);	/* raising is not */
			CHECK_ERR(syscall(SYS_prlimit64, getppid(), RLIMIT_NOFILE, NULL, &o), EPERM);
			_exit(kt_failures != 0);
		}
		CHECK_EQ(kt_wait_exit(pid), 0);
	}
}

static void reboot_checks(void)
{
	/* Only argument errors as root (nothing happens); EPERM unprivileged.
	 * Never a valid command: this may run on a real machine. */
	if (kt_is_root()) {
		CHECK_ERR(syscall(SYS_reboot, 0x12345678, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF, NULL), EINVAL);
		CHECK_ERR(syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, 0x12345678, LINUX_REBOOT_CMD_POWER_OFF, NULL), EINVAL);
		CHECK_ERR(syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, 0x5a5a5a5a, NULL), EINVAL);
	}
	pid_t pid = kt_fork();
	if (pid == 0) {
		kt_drop_privileges();
		CHECK_ERR(syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF, NULL), EPERM);
		CHECK_ERR(syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_RESTART, NULL), EPERM);
		CHECK_ERR(syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_CAD_OFF, NULL), EPERM);
		_exit(kt_failures != 0);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
}

static void unknown_syscall(void)
{
	CHECK_ERR(syscall(1000), ENOSYS);
	CHECK_ERR(syscall(4095), ENOSYS);
	CHECK_ERR(syscall(0x7fffffff), ENOSYS);
	CHECK_ERR(syscall(-1), ENOSYS);
	/* The process is fine afterwards. */
	CHECK_EQ(syscall(SYS_getpid), getpid());
}

static void thread_calls(void)
{
	CHECK_EQ(syscall(SYS_gettid), getpid());
	CHECK_OK(sched_yield());
	int tid_word = 0;
	CHECK_EQ(syscall(SYS_set_tid_address, &tid_word), getpid());
#if defined(__x86_64__)
	/* FS holds the thread pointer glibc set up (its TCB points to itself). */
	unsigned long fs = 0, self;
	CHECK_OK(syscall(SYS_arch_prctl, ARCH_GET_FS, &fs));
	__asm__("mov %%fs:0, %0" : "=r"(self));
	CHECK_EQ(fs, self);
	/* Set to another value and back: the loads follow it. */
	static unsigned long fake_tcb[64];
	fake_tcb[0] = (unsigned long)fake_tcb;
	CHECK_OK(syscall(SYS_arch_prctl, ARCH_SET_FS, fake_tcb));
	unsigned long seen;
	__asm__ volatile("mov %%fs:0, %0" : "=r"(seen));
	CHECK_OK(syscall(SYS_arch_prctl, ARCH_SET_FS, fs));
	CHECK_EQ(seen, (unsigned long)fake_tcb);
	CHECK_ERR(syscall(SYS_arch_prctl, ARCH_SET_FS, 0x800000000000000UL << 4), EPERM);
	CHECK_ERR(syscall(SYS_arch_prctl, 0x9999, 0), EINVAL);
	FOR_BAD(kt_bad_out, b)
		CHECK_ERR(syscall(SYS_arch_prctl, ARCH_GET_FS, b->p), EFAULT);
	END_BAD;
#elif defined(__i386__)
	/* The GDT entry glibc's %gs selects. */
	unsigned short gs;
	__asm__("mov %%gs, %0" : "=r"(gs));
	struct {
		unsigned int entry_number, base_addr, limit;
		unsigned int flags;
	} ud = {gs >> 3, 0, 0, 0};
	CHECK_OK(syscall(SYS_get_thread_area, &ud));
	unsigned int self;
	__asm__("mov %%gs:0, %0" : "=r"(self));
	CHECK_EQ(ud.base_addr, self);
	ud.entry_number = 9999;
	CHECK_ERR(syscall(SYS_get_thread_area, &ud), EINVAL);
	/* Both read the entry number first: a read-only page would give
	 * EINVAL (entry 0), so only unreadable pointers here. */
	FOR_BAD(kt_bad_in, b) {
		CHECK_ERR(syscall(SYS_set_thread_area, b->p), EFAULT);
		CHECK_ERR(syscall(SYS_get_thread_area, b->p), EFAULT);
	}
	END_BAD;
#elif defined(__aarch64__)
	/* TPIDR_EL0 survives system calls, a signal and a fork. */
	unsigned long tp, tp2;
	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(tp));
	raise(SIGWINCH);
	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(tp2));
	CHECK_EQ(tp2, tp);
	pid_t pid = kt_fork();
	if (pid == 0) {
		unsigned long c;
		__asm__ volatile("mrs %0, tpidr_el0" : "=r"(c));
		_exit(c != tp);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
#endif
}

/*
 * sched_getaffinity/sched_setaffinity (raw calls: glibc's wrappers hide
 * the returned size): one long's worth of mask, for the caller, by pid,
 * inherited over fork, EINVAL for an empty mask or a length that is not
 * whole longs, ESRCH for a pid nobody has, EPERM for another user's
 * process, EFAULT.  Any CPU count: the test pins itself to its lowest
 * allowed CPU and back.
 */
static void affinity_calls(void)
{
	unsigned long all = 0, m = 0, one;

	CHECK_EQ(syscall(SYS_sched_getaffinity, 0, sizeof(all), &all), sizeof(all));
	REQUIRE(all != 0);
	CHECK_EQ(syscall(SYS_sched_getaffinity, getpid(), sizeof(m), &m), sizeof(m));
	CHECK_EQ(m, all);
	/* A longer buffer: Linux writes min(len, its mask size) bytes. */
	unsigned long two[2] = {0, 0x5a5a};
	long n = syscall(SYS_sched_getaffinity, 0, sizeof(two), two);
	CHECK(n == sizeof(long) || n == sizeof(two));
	CHECK_EQ(two[0], all);
	CHECK_EQ(two[1], n == sizeof(two) ? 0 : 0x5a5a);
	CHECK_ERR(syscall(SYS_sched_getaffinity, 0, 3, &m), EINVAL);
	CHECK_ERR(syscall(SYS_sched_getaffinity, -1, sizeof(m), &m), ESRCH);

	one = all & -all;
	CHECK_OK(syscall(SYS_sched_setaffinity, 0, sizeof(one), &one));
	m = 0;
	CHECK_EQ(syscall(SYS_sched_getaffinity, 0, sizeof(m), &m), sizeof(m));
	CHECK_EQ(m, one);
	unsigned long none = 0;
	CHECK_ERR(syscall(SYS_sched_setaffinity, 0, sizeof(none), &none), EINVAL);

	/* A child inherits the mask; once reaped its pid is nobody's. */
	pid_t pid = kt_fork();
	if (pid == 0) {
		unsigned long c = 0;
		_exit(syscall(SYS_sched_getaffinity, 0, sizeof(c), &c) != sizeof(c) || c != one);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
	CHECK_ERR(syscall(SYS_sched_getaffinity, pid, sizeof(m), &m), ESRCH);
	CHECK_ERR(syscall(SYS_sched_setaffinity, pid, sizeof(all), &all), ESRCH);

	/* Another user may read pid 1's mask but not set it. */
	pid = kt_fork();
	if (pid == 0) {
		unsigned long c = 0;
		if (setuid(1000) != 0)
			_exit(2);
		if (syscall(SYS_sched_getaffinity, 1, sizeof(c), &c) != sizeof(c))
			_exit(3);
		_exit(syscall(SYS_sched_setaffinity, 1, sizeof(c), &c) != -1 || errno != EPERM);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);

	FOR_BAD(kt_bad_out, b)
		CHECK_ERR(syscall(SYS_sched_getaffinity, 0, sizeof(m), b->p), EFAULT);
	END_BAD;
	FOR_BAD(kt_bad_in, b)
		CHECK_ERR(syscall(SYS_sched_setaffinity, 0, sizeof(m), b->p), EFAULT);
	END_BAD;

	CHECK_OK(syscall(SYS_sched_setaffinity, 0, sizeof(all), &all));
	m = 0;
	CHECK_EQ(syscall(SYS_sched_getaffinity, 0, sizeof(m), &m), sizeof(m));
	CHECK_EQ(m, all);
}

/*
 * i386: set_thread_area emptying the TLS slot that %gs still names (an
 * empty user_desc, Linux's LDT_empty).  Returning to user mode must not
 * reload the dead selector in the kernel (that was a kernel panic, found
 * by kite-fuzz): as Linux, the process gets back a null one and only its
 * own next use of %gs faults.  The child makes no TLS access after the
 * call: int $0x80 by hand (glibc's syscalls go through %gs).
 */
static void tls_emptied(void)
{
#ifndef __i386__
	kt_skip("i386's set_thread_area");
#else
	pid_t pid = kt_fork();

	if (pid == 0) {
		struct { unsigned int entry, base, limit, flags; } u;
		unsigned short gs;
		long r;

		__asm__ volatile("movw %%gs, %0" : "=r"(gs));
		u.entry = gs >> 3;
		u.base = 0;
		u.limit = 0;
		u.flags = (1u << 3) | (1u << 5);	/* read_exec_only, seg_not_present */
		__asm__ volatile("int $0x80" : "=a"(r) : "0"(SYS_set_thread_area), "b"(&u) : "memory");
		__asm__ volatile("int $0x80" :: "a"(SYS_exit_group), "b"(r == 0 ? 42 : 43));
		for (;;)
			;
	}
	CHECK_EQ(kt_wait_exit(pid), 42);
#endif
}

KT_TABLE(misc) = {
	{"misc.uname", uname_call},
	{"misc.clocks", clocks},
	{"misc.sleeps", sleeps},
	{"misc.getrandom", getrandom_call},
	{"misc.sysinfo", sysinfo_call},
	{"misc.rlimits", rlimits},
	{"misc.reboot", reboot_checks},
	{"misc.unknown_syscall", unknown_syscall},
	{"misc.thread_pointer", thread_calls},
	{"misc.affinity", affinity_calls},
	{"misc.tls_emptied", tls_emptied},
	{NULL, NULL},
};
