/*
 * POSIX clocks: what clock_gettime, clock_getres, clock_settime,
 * clock_nanosleep, settimeofday and nanosleep do once their arguments are
 * in kernel memory (<kernel/clock.h> lists the clocks).  One table maps
 * each clock id to its operations, as Linux's k_clock does; a missing
 * operation gives Linux's error for it.
 *
 * Absolute sleeps on the real-time clock wait on clock_set_wq, which
 * every change of the real time wakes: they recompute their deadline and
 * sleep again (or return, when the clock was set past their time).
 */
#include <kernel/clock.h>
#include <kernel/compiler.h>
#include <kernel/cred.h>
#include <kernel/errno.h>
#ifdef CONFIG_PROCESSES
#include <kernel/posix_timers.h>
#endif
#include <kernel/spinlock.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include <kernel/timerfd.h>
#include <kernel/wait.h>

#define TZ_MINUTES_MAX		(15 * 60)	/* Linux's +-15 hours */
#define KTIME_MAX		INT64_MAX

struct kclock {
	int (*get)(clockid_t id, struct timespec64 *tp);
	int (*getres)(clockid_t id, struct timespec64 *tp);
	/* NULL: clock_settime answers -EINVAL before copying its argument. */
	int (*set)(clockid_t id, const struct timespec64 *tp);
	/* NULL: clock_nanosleep answers -EOPNOTSUPP. */
	int (*nsleep)(clockid_t id, int flags, const struct timespec64 *req,
		      struct timespec64 *rem);
};

static struct spinlock clock_set_lock = SPINLOCK_INIT("clock_set");
static struct wait_queue clock_set_wq = WAIT_QUEUE_INIT(clock_set_wq);	/* clock_set_lock */

static struct spinlock tz_lock = SPINLOCK_INIT("timezone");
static struct linux_timezone sys_tz;	/* tz_lock */
static bool tz_was_set;			/* tz_lock */

bool
capable_sys_time(void)
{
	return current_cred()->euid == 0;
}

/* Nanoseconds of a valid timespec, saturated at KTIME_MAX as Linux's ktime. */
static uint64_t
ts_to_ns(const struct timespec64 *ts)
{
	if (ts->tv_sec >= KTIME_SEC_MAX)
		return KTIME_MAX;
	return (uint64_t)ts->tv_sec * NSEC_PER_SEC + (uint64_t)ts->tv_nsec;
}

static void
ns_to_ts(uint64_t ns, struct timespec64 *ts)
{
	ns_to_timespec64((int64_t)MIN(ns, (uint64_t)KTIME_MAX), ts);
}

/* The real time moved: absolute sleeps on it recompute their deadline. */
static void
clock_was_set(void)
{
	unsigned long flags = spin_lock_irqsave(&clock_set_lock);

	wq_wake_all(&clock_set_wq);
	spin_unlock_irqrestore(&clock_set_lock, flags);
	timerfd_clock_was_set();	/* absolute real-time timerfds, TFD_TIMER_CANCEL_ON_SET */
#ifdef CONFIG_PROCESSES
	posix_timers_clock_was_set();	/* absolute real-time POSIX timers */
#endif
}

/* ------------------------------------------------------------ reading */

static int
realtime_get(clockid_t id, struct timespec64 *tp)
{
	ns_to_timespec64(realtime_ns(), tp);
	return 0;
}

static int
realtime_coarse_get(clockid_t id, struct timespec64 *tp)
{
	ns_to_timespec64(realtime_coarse_ns(), tp);
	return 0;
}

static int
monotonic_get(clockid_t id, struct timespec64 *tp)
{
	ns_to_ts(time_ns(), tp);
	return 0;
}

static int
monotonic_coarse_get(clockid_t id, struct timespec64 *tp)
{
	ns_to_ts(time_coarse_ns(), tp);
	return 0;
}

/* What two readings of the clock source can differ by, at least. */
static int
hres_getres(clockid_t id, struct timespec64 *tp)
{
	ns_to_ts(time_resolution_ns(), tp);
	return 0;
}

/* A tick, as Linux reports for its coarse clocks (TICK_NSEC). */
static int
coarse_getres(clockid_t id, struct timespec64 *tp)
{
	ns_to_ts((NSEC_PER_SEC + CONFIG_HZ / 2) / CONFIG_HZ, tp);
	return 0;
}

__weak int
cpu_clock_read(clockid_t id, uint64_t *ns)
{
	struct cpu_clock c;
	int err = cpu_clock_decode(id, &c);

	if (err)
		return err;
	if (c.pid != 0)
		return -EINVAL;
#ifdef CONFIG_SCHED_STATS
	*ns = thread_cputime_ns();	/* user and system time are not told apart here */
	return 0;
#else
	return -EINVAL;			/* no per-thread accounting built */
#endif
}

static int
process_get(clockid_t id, struct timespec64 *tp)
{
	uint64_t ns;
	int err = cpu_clock_read(CLOCK_PROCESS_CPUTIME_ID, &ns);

	if (!err)
		ns_to_ts(ns, tp);
	return err;
}

static int
thread_get(clockid_t id, struct timespec64 *tp)
{
	uint64_t ns;
	int err = cpu_clock_read(CLOCK_THREAD_CPUTIME_ID, &ns);

	if (!err)
		ns_to_ts(ns, tp);
	return err;
}

/* The alarm clocks need an RTC that can raise an alarm: none here. */
static int
alarm_get(clockid_t id, struct timespec64 *tp)
{
	return -EINVAL;
}

static int
alarm_nsleep(clockid_t id, int flags, const struct timespec64 *req, struct timespec64 *rem)
{
	return -EOPNOTSUPP;
}

/* -------------------------------------------------------------- setting */

static int
realtime_set_clock(clockid_t id, const struct timespec64 *tp)
{
	return do_sys_settimeofday64(tp, NULL);
}

int
do_sys_settimeofday64(const struct timespec64 *tv, const struct linux_timezone *tz)
{
	unsigned long flags;
	bool first;
	int err;

	if (tv && !timespec64_valid_settod(tv))
		return -EINVAL;
	if (!capable_sys_time())
		return -EPERM;
	if (tz) {
		if (tz->tz_minuteswest > TZ_MINUTES_MAX || tz->tz_minuteswest < -TZ_MINUTES_MAX)
			return -EINVAL;
		flags = spin_lock_irqsave(&tz_lock);
		sys_tz = *tz;
		time_set_timezone(tz->tz_minuteswest, tz->tz_dsttime);	/* for the vDSO */
		first = !tz_was_set;
		tz_was_set = true;
		spin_unlock_irqrestore(&tz_lock, flags);
		/* The RTC keeps local time: what was read at boot was off by the zone. */
		if (first && !tv && tz->tz_minuteswest &&
		    realtime_shift((int64_t)tz->tz_minuteswest * 60 * (int64_t)NSEC_PER_SEC) == 0)
			clock_was_set();
	}
	if (tv) {
		err = realtime_set(tv);
		if (err)
			return err;
		clock_was_set();
	}
	return 0;
}

void
timezone_get(struct linux_timezone *tz)
{
	unsigned long flags = spin_lock_irqsave(&tz_lock);

	*tz = sys_tz;
	spin_unlock_irqrestore(&tz_lock, flags);
}

/* ------------------------------------------------------------- sleeping */

/* Until deadline on time_ns()'s clock; on -EINTR, *rem (if any) is what was left. */
static int
sleep_until(uint64_t deadline, struct timespec64 *rem)
{
	uint64_t now = time_ns();
	int err;

	if (deadline <= now)
		return 0;		/* expired already: no sleep, as in Linux */
	err = thread_sleep_interruptible_until(deadline);
	if (err == -EINTR && rem) {
		now = time_ns();
		ns_to_ts(deadline > now ? deadline - now : 0, rem);
	}
	return err;
}

static int
monotonic_nsleep(clockid_t id, int flags, const struct timespec64 *req, struct timespec64 *rem)
{
	uint64_t ns = ts_to_ns(req);

	if (flags & TIMER_ABSTIME)
		return sleep_until(ns, NULL);
	return sleep_until(time_ns() + ns, rem);	/* both below 2^63: no wrap */
}

static int
realtime_nsleep(clockid_t id, int flags, const struct timespec64 *req, struct timespec64 *rem)
{
	int64_t target = (int64_t)ts_to_ns(req);
	unsigned long irqflags;
	int err;

	/* Relative sleeps do not follow clock changes: Linux makes them monotonic. */
	if (!(flags & TIMER_ABSTIME))
		return monotonic_nsleep(CLOCK_MONOTONIC, 0, req, rem);
	for (;;) {
		int64_t now_real;

		irqflags = spin_lock_irqsave(&clock_set_lock);
		now_real = realtime_ns();
		if (now_real >= target) {
			spin_unlock_irqrestore(&clock_set_lock, irqflags);
			return 0;
		}
		err = wq_wait_interruptible_until(&clock_set_wq, &clock_set_lock,
						  time_ns() + (uint64_t)(target - now_real));
		spin_unlock_irqrestore(&clock_set_lock, irqflags);
		if (err == -EINTR)
			return err;
		/* At the deadline or after a clock change: look again. */
	}
}

/*
 * Until process CPU clock id reaches req (or grows by it).  No
 * CPU-time timers: the time is looked at whenever it could have got
 * there, at least a tick apart.
 */
static int
cputime_nsleep(clockid_t id, int flags, const struct timespec64 *req, struct timespec64 *rem)
{
	const uint64_t tick = NSEC_PER_SEC / CONFIG_HZ;
	uint64_t now, target, ns = ts_to_ns(req);
	int err = cpu_clock_read(id, &now);

	if (err)
		return err;
	target = flags & TIMER_ABSTIME ? ns : now + ns;
	for (;;) {
		if (cpu_clock_read(id, &now) || now >= target)
			return 0;
		err = thread_sleep_interruptible_until(time_ns() + MAX(target - now, tick));
		if (err == -EINTR) {
			if (!(flags & TIMER_ABSTIME) && rem)
				ns_to_ts(target - MIN(now, target), rem);
			return err;
		}
	}
}

static int
process_nsleep(clockid_t id, int flags, const struct timespec64 *req, struct timespec64 *rem)
{
	return cputime_nsleep(CLOCK_PROCESS_CPUTIME_ID, flags, req, rem);
}

/* ------------------------------------------- negative ids: CPU clocks */

static int
pid_cpu_get(clockid_t id, struct timespec64 *tp)
{
	uint64_t ns;
	int err = cpu_clock_read(id, &ns);

	if (!err)
		ns_to_ts(ns, tp);
	return err;
}

static int
pid_cpu_getres(clockid_t id, struct timespec64 *tp)
{
	uint64_t ns;
	int err = cpu_clock_read(id, &ns);

	return err ? err : hres_getres(id, tp);
}

/* A CPU clock can never be set; other errors come first. */
static int
pid_cpu_set(clockid_t id, const struct timespec64 *tp)
{
	uint64_t ns;
	int err = cpu_clock_read(id, &ns);

	return err ? err : -EPERM;
}

static int
pid_cpu_nsleep(clockid_t id, int flags, const struct timespec64 *req, struct timespec64 *rem)
{
	uint64_t ns;
	int err = cpu_clock_read(id, &ns);

	if (err)
		return err;
	if (id & CPUCLOCK_PERTHREAD_MASK)
		return -EINVAL;		/* a thread's clock: Linux refuses its own */
	return cputime_nsleep(id, flags, req, rem);
}

/* A file descriptor's clock (PTP devices): no file is one here. */
static int
fd_clock_get(clockid_t id, struct timespec64 *tp)
{
	return -EINVAL;
}

static int
fd_clock_set(clockid_t id, const struct timespec64 *tp)
{
	return -EINVAL;
}

/* ---------------------------------------------------------------- table */

static const struct kclock clock_realtime = {
	realtime_get, hres_getres, realtime_set_clock, realtime_nsleep,
};
static const struct kclock clock_monotonic = { monotonic_get, hres_getres, NULL, monotonic_nsleep };
static const struct kclock clock_process = { process_get, hres_getres, NULL, process_nsleep };
static const struct kclock clock_thread = { thread_get, hres_getres, NULL, NULL };
static const struct kclock clock_monotonic_raw = { monotonic_get, hres_getres, NULL, NULL };
static const struct kclock clock_realtime_coarse = { realtime_coarse_get, coarse_getres, NULL, NULL };
static const struct kclock clock_monotonic_coarse = {
	monotonic_coarse_get, coarse_getres, NULL, NULL,
};
static const struct kclock clock_boottime = { monotonic_get, hres_getres, NULL, monotonic_nsleep };
static const struct kclock clock_alarm = { alarm_get, alarm_get, NULL, alarm_nsleep };
static const struct kclock clock_tai = { realtime_get, hres_getres, NULL, realtime_nsleep };
static const struct kclock clock_pid_cpu = { pid_cpu_get, pid_cpu_getres, pid_cpu_set, pid_cpu_nsleep };
static const struct kclock clock_fd = { fd_clock_get, fd_clock_get, fd_clock_set, NULL };

static const struct kclock *const posix_clocks[] = {
	[CLOCK_REALTIME] = &clock_realtime,
	[CLOCK_MONOTONIC] = &clock_monotonic,
	[CLOCK_PROCESS_CPUTIME_ID] = &clock_process,
	[CLOCK_THREAD_CPUTIME_ID] = &clock_thread,
	[CLOCK_MONOTONIC_RAW] = &clock_monotonic_raw,
	[CLOCK_REALTIME_COARSE] = &clock_realtime_coarse,
	[CLOCK_MONOTONIC_COARSE] = &clock_monotonic_coarse,
	[CLOCK_BOOTTIME] = &clock_boottime,
	[CLOCK_REALTIME_ALARM] = &clock_alarm,
	[CLOCK_BOOTTIME_ALARM] = &clock_alarm,
	[CLOCK_TAI] = &clock_tai,
};

static const struct kclock *
clockid_to_kclock(clockid_t id)
{
	if (id < 0)
		return (id & CLOCKFD_MASK) == CLOCKFD ? &clock_fd : &clock_pid_cpu;
	if ((unsigned int)id >= ARRAY_SIZE(posix_clocks))
		return NULL;
	return posix_clocks[id];
}

int
posix_clock_gettime(clockid_t id, struct timespec64 *tp)
{
	const struct kclock *kc = clockid_to_kclock(id);

	return kc ? kc->get(id, tp) : -EINVAL;
}

int
posix_clock_getres(clockid_t id, struct timespec64 *tp)
{
	const struct kclock *kc = clockid_to_kclock(id);

	return kc ? kc->getres(id, tp) : -EINVAL;
}

int
posix_clock_settable(clockid_t id)
{
	const struct kclock *kc = clockid_to_kclock(id);

	return kc && kc->set ? 0 : -EINVAL;
}

int
posix_clock_settime(clockid_t id, const struct timespec64 *tp)
{
	const struct kclock *kc = clockid_to_kclock(id);

	return kc && kc->set ? kc->set(id, tp) : -EINVAL;
}

int
posix_clock_sleepable(clockid_t id)
{
	const struct kclock *kc = clockid_to_kclock(id);

	if (!kc)
		return -EINVAL;
	return kc->nsleep ? 0 : -EOPNOTSUPP;
}

int
posix_clock_nanosleep(clockid_t id, int flags, const struct timespec64 *req,
		      struct timespec64 *rem)
{
	int err = posix_clock_sleepable(id);

	if (err)
		return err;
	if (!timespec64_valid(req))
		return -EINVAL;
	return clockid_to_kclock(id)->nsleep(id, flags, req, rem);
}

int
old_timeval_to_ts64(const struct linux_old_timeval *tv, struct timespec64 *ts)
{
	/* Linux lets 1000000 through here; timespec64_valid_settod() stops it. */
	if (tv->tv_usec > (long)USEC_PER_SEC || tv->tv_usec < 0)
		return -EINVAL;
	ts->tv_sec = tv->tv_sec;
	ts->tv_nsec = tv->tv_usec * (long)NSEC_PER_USEC;
	return 0;
}
