/*
 * POSIX clocks as system calls see them (kernel/posix_clock.c): clock
 * ids, reading, resolution, setting and sleeping, over kernel buffers so
 * that everything but the copying is testable without user mode
 * (kernel/sys_time.c is the thin system-call layer).  Ids, errors and
 * rules are Linux's:
 *
 *   REALTIME, TAI          the real-time clock (TAI: no offset is ever set,
 *                          as with Linux before adjtimex sets one)
 *   MONOTONIC, BOOTTIME,   time_ns() (no suspend, no frequency slewing:
 *   MONOTONIC_RAW          the three agree)
 *   *_COARSE               as of the last tick
 *   PROCESS_CPUTIME_ID,    the CPU time of the caller's process and
 *   THREAD_CPUTIME_ID      thread (CONFIG_SCHED_STATS; until processes own
 *                          threads, the process is the calling thread)
 *   REALTIME_ALARM,        need an RTC with an alarm, which no driver
 *   BOOTTIME_ALARM         offers: -EINVAL, and -EOPNOTSUPP to sleep
 *   negative ids           CPU clocks of a pid (clock_getcpuclockid,
 *                          pthread_getcpuclockid) or of a file descriptor
 *                          (PTP: none here, -EINVAL)
 */
#ifndef KERNEL_CLOCK_H
#define KERNEL_CLOCK_H

#include <kernel/compiler.h>
#include <kernel/errno.h>
#include <kernel/types.h>
#include <kernel/uapi_time.h>

typedef int clockid_t;

#define CLOCK_REALTIME			0
#define CLOCK_MONOTONIC			1
#define CLOCK_PROCESS_CPUTIME_ID	2
#define CLOCK_THREAD_CPUTIME_ID		3
#define CLOCK_MONOTONIC_RAW		4
#define CLOCK_REALTIME_COARSE		5
#define CLOCK_MONOTONIC_COARSE		6
#define CLOCK_BOOTTIME			7
#define CLOCK_REALTIME_ALARM		8
#define CLOCK_BOOTTIME_ALARM		9
#define CLOCK_SGI_CYCLE			10	/* gone from Linux: -EINVAL */
#define CLOCK_TAI			11

#define TIMER_ABSTIME			0x01

/* The encoding of negative ids (<linux/posix-timers_types.h>). */
#define CPUCLOCK_PROF			0
#define CPUCLOCK_VIRT			1
#define CPUCLOCK_SCHED			2
#define CPUCLOCK_MAX			3
#define CPUCLOCK_CLOCK_MASK		3
#define CPUCLOCK_PERTHREAD_MASK		4
#define CLOCKFD				3
#define CLOCKFD_MASK			(CPUCLOCK_PERTHREAD_MASK | CPUCLOCK_CLOCK_MASK)
#define CPUCLOCK_PID(clock)		((int)~((clock) >> 3))
#define MAKE_PROCESS_CPUCLOCK(pid, clock) \
	((clockid_t)(~(unsigned int)(pid) << 3) | (clock))
#define MAKE_THREAD_CPUCLOCK(tid, clock) \
	MAKE_PROCESS_CPUCLOCK(tid, (clock) | CPUCLOCK_PERTHREAD_MASK)

/* 0, or -EINVAL for an unknown clock (or a CPU clock of nobody). */
int posix_clock_gettime(clockid_t id, struct timespec64 *tp);
int posix_clock_getres(clockid_t id, struct timespec64 *tp);

/*
 * clock_settime's first check, before its argument is copied in: 0, or
 * -EINVAL for a clock that cannot be set at all.
 */
int posix_clock_settable(clockid_t id);
/*
 * Set the clock: -EINVAL for a time Linux would not set
 * (timespec64_valid_settod(), or before the boot), then -EPERM unless the
 * caller is root (CAP_SYS_TIME), and always -EPERM for CPU clocks.
 */
int posix_clock_settime(clockid_t id, const struct timespec64 *tp);

/*
 * clock_nanosleep's first check, before its argument is copied in: 0,
 * -EINVAL (an unknown clock) or -EOPNOTSUPP (one that cannot sleep:
 * MONOTONIC_RAW, the coarse clocks, THREAD_CPUTIME_ID).
 */
int posix_clock_sleepable(clockid_t id);
/*
 * Sleep until req on clock id (flags TIMER_ABSTIME), or for req: 0 when
 * done, -EINVAL for an invalid req (timespec64_valid()), -EINTR when a
 * signal came first, with *rem (unless NULL or absolute) set to the time
 * that was left.  An absolute sleep on the real-time clock follows the
 * clock when it is set meanwhile.  The system calls turn -EINTR into
 * Linux's restart codes (kernel/sys_time.c, <kernel/restart.h>).
 */
int posix_clock_nanosleep(clockid_t id, int flags, const struct timespec64 *req,
			  struct timespec64 *rem);

/*
 * settimeofday's core, Linux's order: -EINVAL for an invalid tv, -EPERM
 * unless root, -EINVAL for a timezone beyond +-15 h.  The first call that
 * sets a timezone without a time shifts the clock by it (the RTC keeps
 * local time: hwclock --systz), as Linux does.  NULL leaves either alone.
 */
int do_sys_settimeofday64(const struct timespec64 *tv, const struct linux_timezone *tz);
/* May the caller set the time?  Root only (Linux: CAP_SYS_TIME). */
bool capable_sys_time(void);
/* The timezone settimeofday set (gettimeofday reports it). */
void timezone_get(struct linux_timezone *tz);
/*
 * settimeofday's timeval as a timespec64: -EINVAL for microseconds below
 * 0 or above 10^6 (10^6 itself passes here, as in Linux, and is refused
 * by do_sys_settimeofday64()).
 */
int old_timeval_to_ts64(const struct linux_old_timeval *tv, struct timespec64 *ts);

/*
 * A CPU clock: its measure (CPUCLOCK_PROF user and system time, VIRT user
 * time, SCHED run time), and the process or thread it measures (pid, 0
 * meaning the caller's).
 */
struct cpu_clock {
	int which;
	int pid;
	bool per_thread;
};

/*
 * The CPU clock id names (a negative id, CLOCK_PROCESS_CPUTIME_ID or
 * CLOCK_THREAD_CPUTIME_ID): 0, or -EINVAL for a measure that does not
 * exist.  Whose clock it is gets checked by the reader.
 */
static inline int
cpu_clock_decode(clockid_t id, struct cpu_clock *c)
{
	if (id == CLOCK_PROCESS_CPUTIME_ID || id == CLOCK_THREAD_CPUTIME_ID) {
		c->which = CPUCLOCK_SCHED;
		c->pid = 0;
		c->per_thread = id == CLOCK_THREAD_CPUTIME_ID;
		return 0;
	}
	c->which = id & CPUCLOCK_CLOCK_MASK;
	c->pid = CPUCLOCK_PID(id);
	c->per_thread = id & CPUCLOCK_PERTHREAD_MASK;
	return id < 0 && c->which < CPUCLOCK_MAX ? 0 : -EINVAL;
}

/*
 * CPU clock id read now, in ns: 0, or -EINVAL for a bad id or when there
 * is no such process or thread for the caller to see.  Weak: until
 * processes exist only the caller's own clocks are known, and both are
 * the calling thread's run time; the process code overrides this with
 * sums over its threads.
 */
int cpu_clock_read(clockid_t id, uint64_t *ns);

/*
 * A timespec from user memory: struct __kernel_timespec (every port), and
 * i386's struct old_timespec32.  0 or -EFAULT; no range check.
 */
int get_timespec64(struct timespec64 *ts, const struct linux_timespec64 __user *u);
#ifndef CONFIG_64BIT
int get_old_timespec32(struct timespec64 *ts, const struct linux_old_timespec32 __user *u);
#endif

#endif
