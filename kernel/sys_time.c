/*
 * The time system calls: copy in, call <kernel/clock.h>, copy out, with
 * Linux's order of checks (an unknown clock before a bad pointer, a bad
 * pointer before a bad value).
 *
 * Handlers follow kernel/syscall.tbl's conventions.  The clock_* handlers
 * take 64-bit times (struct __kernel_timespec): every call of the 64-bit
 * ports, and i386's *_time64 calls (403 clock_gettime64 ->
 * sys_clock_gettime ...).  i386's older clock_* calls, with 32-bit times,
 * have Linux's *32 and *_time32 handlers.  Calls whose layouts are made of
 * the port's longs (nanosleep's timespec, gettimeofday's timeval, time_t)
 * have one handler for every port.  The 32-bit forms wrap in 2038, as
 * Linux's do.
 */
#include <kernel/clock.h>
#include <kernel/errno.h>
#include <kernel/signal.h>
#include <kernel/syscall.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include <kernel/uaccess.h>

int
get_timespec64(struct timespec64 *ts, const struct linux_timespec64 __user *u)
{
	struct linux_timespec64 k;
	int err = copy_from_user(&k, u, sizeof(k));

	if (err)
		return err;
	ts->tv_sec = k.tv_sec;
#ifdef CONFIG_64BIT
	ts->tv_nsec = (long)k.tv_nsec;
#else
	/* The upper half is padding around a 32-bit tv_nsec: Linux drops it. */
	ts->tv_nsec = (long)(int32_t)(uint32_t)k.tv_nsec;
#endif
	return 0;
}

static int
put_timespec64(const struct timespec64 *ts, struct linux_timespec64 __user *u)
{
	struct linux_timespec64 k = { ts->tv_sec, ts->tv_nsec };

	return copy_to_user(u, &k, sizeof(k));
}

/* struct __kernel_old_timespec: the port's longs (nanosleep). */
static int
get_old_timespec(struct timespec64 *ts, const struct linux_old_timespec __user *u)
{
	struct linux_old_timespec k;
	int err = copy_from_user(&k, u, sizeof(k));

	if (err)
		return err;
	ts->tv_sec = k.tv_sec;		/* signed: before 1970 is refused later */
	ts->tv_nsec = k.tv_nsec;
	return 0;
}

static int
put_old_timespec(const struct timespec64 *ts, struct linux_old_timespec __user *u)
{
	struct linux_old_timespec k = { (long)ts->tv_sec, ts->tv_nsec };

	return copy_to_user(u, &k, sizeof(k));
}

SYSCALL_DEFINE2(clock_gettime, clockid_t, which, struct linux_timespec64 __user *, tp)
{
	struct timespec64 ts;
	int err = posix_clock_gettime(which, &ts);

	return err ? err : put_timespec64(&ts, tp);
}

SYSCALL_DEFINE2(clock_getres, clockid_t, which, struct linux_timespec64 __user *, tp)
{
	struct timespec64 ts;
	int err = posix_clock_getres(which, &ts);

	/* A NULL tp only asks whether the clock exists. */
	return err || !tp ? err : put_timespec64(&ts, tp);
}

SYSCALL_DEFINE2(clock_settime, clockid_t, which, const struct linux_timespec64 __user *, tp)
{
	struct timespec64 ts;
	int err = posix_clock_settable(which);

	if (!err)
		err = get_timespec64(&ts, tp);
	return err ? err : posix_clock_settime(which, &ts);
}

/* The time from now until rb's deadline (0 once it passed). */
static void
restart_time_left(const struct restart_block *rb, struct timespec64 *rem)
{
	const struct timespec64 *d = &rb->nanosleep.deadline;
	struct timespec64 now;

	rem->tv_sec = rem->tv_nsec = 0;
	if (posix_clock_gettime(rb->nanosleep.clock, &now) || now.tv_sec > d->tv_sec ||
	    (now.tv_sec == d->tv_sec && now.tv_nsec >= d->tv_nsec))
		return;
	rem->tv_sec = d->tv_sec - now.tv_sec;
	rem->tv_nsec = d->tv_nsec - now.tv_nsec;
	if (rem->tv_nsec < 0) {
		rem->tv_sec--;
		rem->tv_nsec += (long)NSEC_PER_SEC;
	}
}

/* restart_syscall's work after a stop or a signal without a handler: sleep on. */
static long
nanosleep_restart(struct restart_block *rb)
{
	struct timespec64 rem;
	int err = posix_clock_nanosleep(rb->nanosleep.clock, TIMER_ABSTIME,
					&rb->nanosleep.deadline, NULL);

	if (err != -EINTR)
		return err;
	restart_time_left(rb, &rem);
	if (rb->nanosleep.rmtp && rb->nanosleep.put_rem(&rem, rb->nanosleep.rmtp))
		return -EFAULT;
	rb->fn = nanosleep_restart;
	return -ERESTART_RESTARTBLOCK;
}

/*
 * The sleep itself.  Interrupted, a relative sleep writes the time left
 * through put_rem (when there is somewhere to put it; a failed copy is
 * -EFAULT) and leaves a restart block, so that a stop and continue or a
 * signal without a handler resumes it with that time, as in Linux; a
 * handler makes it -EINTR.  An absolute sleep simply runs again.
 */
static long
nanosleep_common(clockid_t which, int flags, const struct timespec64 *req, void __user *rmtp,
		 int (*put_rem)(const struct timespec64 *ts, void __user *u))
{
	struct restart_block *rb = &thread_current()->restart_block;
	struct timespec64 rem = { 0, 0 }, now;
	int err = posix_clock_nanosleep(which, flags, req, &rem);

	if (err != -EINTR)
		return err;
	if (flags & TIMER_ABSTIME)
		return -ERESTARTNOHAND;
	if (rmtp && put_rem(&rem, rmtp))
		return -EFAULT;
	/* Relative sleeps on the wall clocks count monotonic time (posix_clock.c). */
	rb->nanosleep.clock = which == CLOCK_REALTIME || which == CLOCK_TAI ? CLOCK_MONOTONIC : which;
	if (posix_clock_gettime(rb->nanosleep.clock, &now))
		return -EINTR;
	/* now + rem, saturating: a sleep of ~2^63 s is forever either way. */
	rb->nanosleep.deadline.tv_nsec = now.tv_nsec + rem.tv_nsec;
	rb->nanosleep.deadline.tv_sec = rem.tv_sec > INT64_MAX - now.tv_sec - 1 ?
					INT64_MAX - 1 : now.tv_sec + rem.tv_sec;
	if (rb->nanosleep.deadline.tv_nsec >= (long)NSEC_PER_SEC) {
		rb->nanosleep.deadline.tv_nsec -= (long)NSEC_PER_SEC;
		rb->nanosleep.deadline.tv_sec++;
	}
	rb->nanosleep.rmtp = rmtp;
	rb->nanosleep.put_rem = put_rem;
	rb->fn = nanosleep_restart;
	return -ERESTART_RESTARTBLOCK;
}

static int
put_rem64(const struct timespec64 *ts, void __user *u)
{
	return put_timespec64(ts, u);
}

static int
put_rem_old(const struct timespec64 *ts, void __user *u)
{
	return put_old_timespec(ts, u);
}

SYSCALL_DEFINE4(clock_nanosleep, clockid_t, which, int, flags,
		const struct linux_timespec64 __user *, rqtp, struct linux_timespec64 __user *, rmtp)
{
	struct timespec64 req;
	int err = posix_clock_sleepable(which);

	if (!err)
		err = get_timespec64(&req, rqtp);
	return err ? err : nanosleep_common(which, flags, &req, rmtp, put_rem64);
}

/* Linux's sys_nanosleep (64-bit ports) and sys_nanosleep_time32 (i386) in one. */
SYSCALL_DEFINE2(nanosleep, const struct linux_old_timespec __user *, rqtp,
		struct linux_old_timespec __user *, rmtp)
{
	struct timespec64 req;
	int err = get_old_timespec(&req, rqtp);

	return err ? err : nanosleep_common(CLOCK_MONOTONIC, 0, &req, rmtp, put_rem_old);
}

SYSCALL_DEFINE2(gettimeofday, struct linux_old_timeval __user *, tv,
		struct linux_timezone __user *, tz)
{
	if (tv) {
		struct timespec64 now;
		struct linux_old_timeval k;

		realtime_ts64(&now);
		k.tv_sec = (long)now.tv_sec;
		k.tv_usec = now.tv_nsec / (long)NSEC_PER_USEC;
		if (copy_to_user(tv, &k, sizeof(k)))
			return -EFAULT;
	}
	if (tz) {
		struct linux_timezone k;

		timezone_get(&k);
		if (copy_to_user(tz, &k, sizeof(k)))
			return -EFAULT;
	}
	return 0;
}

SYSCALL_DEFINE2(settimeofday, const struct linux_old_timeval __user *, tv,
		const struct linux_timezone __user *, tz)
{
	struct timespec64 ts;
	struct linux_timezone ktz;
	int err;

	if (tv) {
		struct linux_old_timeval k;

		if (copy_from_user(&k, tv, sizeof(k)))
			return -EFAULT;
		err = old_timeval_to_ts64(&k, &ts);
		if (err)
			return err;
	}
	if (tz && copy_from_user(&ktz, tz, sizeof(ktz)))
		return -EFAULT;
	return do_sys_settimeofday64(tv ? &ts : NULL, tz ? &ktz : NULL);
}

#ifdef CONFIG_ARCH_X86
/* time(2): x86 only (x86_64 201, i386 13); the generic ports never had it. */
SYSCALL_DEFINE1(time, linux_old_time_t __user *, tloc)
{
	struct timespec64 now;
	linux_old_time_t t;

	realtime_ts64(&now);
	t = (linux_old_time_t)now.tv_sec;
	if (tloc && copy_to_user(tloc, &t, sizeof(t)))
		return -EFAULT;
	return t;
}
#endif

#ifndef CONFIG_64BIT
/* ----------------------------------- i386: the calls with 32-bit times */

int
get_old_timespec32(struct timespec64 *ts, const struct linux_old_timespec32 __user *u)
{
	struct linux_old_timespec32 k;
	int err = copy_from_user(&k, u, sizeof(k));

	if (err)
		return err;
	ts->tv_sec = k.tv_sec;
	ts->tv_nsec = k.tv_nsec;
	return 0;
}

static int
put_old_timespec32(const struct timespec64 *ts, struct linux_old_timespec32 __user *u)
{
	struct linux_old_timespec32 k = { (int32_t)ts->tv_sec, (int32_t)ts->tv_nsec };

	return copy_to_user(u, &k, sizeof(k));
}

static int
put_rem32(const struct timespec64 *ts, void __user *u)
{
	return put_old_timespec32(ts, u);
}

SYSCALL_DEFINE2(clock_gettime32, clockid_t, which, struct linux_old_timespec32 __user *, tp)
{
	struct timespec64 ts;
	int err = posix_clock_gettime(which, &ts);

	return err ? err : put_old_timespec32(&ts, tp);
}

SYSCALL_DEFINE2(clock_getres_time32, clockid_t, which, struct linux_old_timespec32 __user *, tp)
{
	struct timespec64 ts;
	int err = posix_clock_getres(which, &ts);

	return err || !tp ? err : put_old_timespec32(&ts, tp);
}

SYSCALL_DEFINE2(clock_settime32, clockid_t, which, const struct linux_old_timespec32 __user *, tp)
{
	struct timespec64 ts;
	int err = posix_clock_settable(which);

	if (!err)
		err = get_old_timespec32(&ts, tp);
	return err ? err : posix_clock_settime(which, &ts);
}

SYSCALL_DEFINE4(clock_nanosleep_time32, clockid_t, which, int, flags,
		const struct linux_old_timespec32 __user *, rqtp,
		struct linux_old_timespec32 __user *, rmtp)
{
	struct timespec64 req;
	int err = posix_clock_sleepable(which);

	if (!err)
		err = get_old_timespec32(&req, rqtp);
	return err ? err : nanosleep_common(which, flags, &req, rmtp, put_rem32);
}

/* stime(2), i386's 25 (Linux's sys_stime32): 0 even when the time was not taken. */
SYSCALL_DEFINE1(stime, const linux_old_time_t __user *, tptr)
{
	struct timespec64 ts = { 0, 0 };
	linux_old_time_t t;
	int err = copy_from_user(&t, tptr, sizeof(t));

	if (err)
		return err;
	if (!capable_sys_time())
		return -EPERM;
	ts.tv_sec = t;
	do_sys_settimeofday64(&ts, NULL);
	return 0;
}
#endif
