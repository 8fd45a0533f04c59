/*
 * timerfd_create, timerfd_settime, timerfd_gettime: the clocks and flags
 * accepted (the _ALARM clocks for root only), one-shot and periodic
 * timers, relative and absolute (TFD_TIMER_ABSTIME), the expiration
 * count a read returns (8 bytes; EAGAIN when nonblocking), the old value
 * settime reports, disarming, poll readiness, a reader woken by expiry,
 * TFD_TIMER_CANCEL_ON_SET (root), /proc, errors and EFAULT.  No verdict
 * depends on speed: only order and lower bounds on counts.
 */
#include "kt.h"

#include <stdbool.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/timerfd.h>
#include <time.h>

#define MS	1000000LL

static struct itimerspec its(long long value_ns, long long interval_ns)
{
	struct itimerspec t = {
		.it_value = {value_ns / 1000000000LL, value_ns % 1000000000LL},
		.it_interval = {interval_ns / 1000000000LL, interval_ns % 1000000000LL},
	};
	return t;
}

static long long ns_of(const struct timespec *ts)
{
	return ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

static bool readable(int fd)
{
	struct pollfd p = {fd, POLLIN, 0};
	return poll(&p, 1, 0) == 1 && p.revents == POLLIN;
}

static void sleep_ns(long long ns)
{
	struct timespec ts = {ns / 1000000000LL, ns % 1000000000LL};
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void timerfd_create_checks(void)
{
	static const int clocks[] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME};
	for (size_t i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		int fd = CHECK_OK(timerfd_create(clocks[i], 0));
		if (fd >= 0)
			close(fd);
	}
	CHECK_ERR(timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0), EINVAL);
	CHECK_ERR(timerfd_create(CLOCK_THREAD_CPUTIME_ID, 0), EINVAL);
	CHECK_ERR(timerfd_create(CLOCK_MONOTONIC_RAW, 0), EINVAL);
	CHECK_ERR(timerfd_create(CLOCK_TAI, 0), EINVAL);
	CHECK_ERR(timerfd_create(-1, 0), EINVAL);
	CHECK_ERR(timerfd_create(CLOCK_MONOTONIC, 0x1), EINVAL);
	CHECK_ERR(timerfd_create(CLOCK_MONOTONIC, O_APPEND), EINVAL);
	int fd = REQUIRE_OK(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
	CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	CHECK_EQ(fcntl(fd, F_GETFL), O_RDWR | O_NONBLOCK);
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);
	REQUIRE(n > 0);
	buf[n] = 0;
	CHECK_STR(buf, "anon_inode:[timerfd]");
	/* A new timer is disarmed. */
	struct itimerspec cur = its(1, 1);
	CHECK_OK(timerfd_gettime(fd, &cur));
	CHECK_EQ(ns_of(&cur.it_value), 0);
	CHECK_EQ(ns_of(&cur.it_interval), 0);
	uint64_t ticks;
	CHECK_ERR(read(fd, &ticks, sizeof(ticks)), EAGAIN);
	if (kt_on_kite())			/* Linux 6.1's; newer ones answer 0 */
		CHECK_ERR(lseek(fd, 0, SEEK_SET), ESPIPE);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	REQUIRE(kt_read_file(path, buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, "clockid: 1\n") != NULL);
	CHECK(strstr(buf, "ticks: 0\n") != NULL);
	close(fd);
	/* The alarm clocks need CAP_WAKE_ALARM: root has it, others get EPERM. */
	if (kt_is_root()) {
		fd = CHECK_OK(timerfd_create(CLOCK_REALTIME_ALARM, 0));
		int fd2 = CHECK_OK(timerfd_create(CLOCK_BOOTTIME_ALARM, 0));
		pid_t pid = kt_fork();
		if (pid == 0) {
			kt_drop_privileges();
			struct itimerspec t = its(1000 * MS, 0);
			_exit(timerfd_create(CLOCK_REALTIME_ALARM, 0) == -1 && errno == EPERM &&
			      timerfd_create(CLOCK_BOOTTIME_ALARM, 0) == -1 && errno == EPERM &&
			      timerfd_settime(fd, 0, &t, NULL) == -1 && errno == EPERM ? 0 : 1);
		}
		CHECK_EQ(kt_wait_exit(pid), 0);
		if (fd2 >= 0) {
			struct itimerspec t = its(MS, 0);
			CHECK_OK(timerfd_settime(fd2, 0, &t, NULL));
			CHECK_EQ(read(fd2, &ticks, sizeof(ticks)), 8);	/* blocks until it fires */
			CHECK_EQ(ticks, 1);
			close(fd2);
		}
		if (fd >= 0)
			close(fd);
	} else {
		CHECK_ERR(timerfd_create(CLOCK_REALTIME_ALARM, 0), EPERM);
		CHECK_ERR(timerfd_create(CLOCK_BOOTTIME_ALARM, 0), EPERM);
	}
}

static void timerfd_oneshot(void)
{
	int fd = REQUIRE_OK(timerfd_create(CLOCK_MONOTONIC, 0));
	struct itimerspec t = its(2 * MS, 0), cur;
	CHECK_OK(timerfd_settime(fd, 0, &t, NULL));
	uint64_t ticks = 0;
	CHECK_EQ(read(fd, &ticks, sizeof(ticks)), 8);	/* sleeps until the expiry */
	CHECK_EQ(ticks, 1);
	/* Expired and read: disarmed, nothing more to read. */
	CHECK_OK(timerfd_gettime(fd, &cur));
	CHECK_EQ(ns_of(&cur.it_value), 0);
	CHECK_EQ(ns_of(&cur.it_interval), 0);
	CHECK(!readable(fd));
	CHECK_OK(fcntl(fd, F_SETFL, O_NONBLOCK));
	CHECK_ERR(read(fd, &ticks, sizeof(ticks)), EAGAIN);
	/* Fewer than 8 bytes: EINVAL. */
	uint32_t small;
	CHECK_ERR(read(fd, &small, sizeof(small)), EINVAL);
	CHECK_ERR(write(fd, &ticks, sizeof(ticks)), EINVAL);
	/* Expiries do not queue for a one-shot timer: 1 however long it waits. */
	CHECK_OK(timerfd_settime(fd, 0, &t, NULL));
	sleep_ns(10 * MS);
	CHECK(readable(fd));
	CHECK_EQ(read(fd, &ticks, sizeof(ticks)), 8);
	CHECK_EQ(ticks, 1);
	/* A far expiry: not readable, gettime counts down from at most the value. */
	t = its(100000 * MS, 0);
	CHECK_OK(timerfd_settime(fd, 0, &t, NULL));
	CHECK(!readable(fd));
	CHECK_OK(timerfd_gettime(fd, &cur));
	CHECK(ns_of(&cur.it_value) > 0 && ns_of(&cur.it_value) <= 100000 * MS);
	/* Re-arming reports the old setting and drops it. */
	struct itimerspec old;
	t = its(200000 * MS, 5 * MS);
	CHECK_OK(timerfd_settime(fd, 0, &t, &old));
	CHECK(ns_of(&old.it_value) > 0 && ns_of(&old.it_value) <= 100000 * MS);
	CHECK_EQ(ns_of(&old.it_interval), 0);
	/* A zero value disarms; the interval given is what gettime reports (Linux's). */
	t = its(0, 7 * MS);
	CHECK_OK(timerfd_settime(fd, 0, &t, &old));
	CHECK(ns_of(&old.it_value) > 100000 * MS);
	CHECK_EQ(ns_of(&old.it_interval), 5 * MS);
	CHECK_OK(timerfd_gettime(fd, &cur));
	CHECK_EQ(ns_of(&cur.it_value), 0);
	CHECK_EQ(ns_of(&cur.it_interval), 7 * MS);
	CHECK(!readable(fd));
	close(fd);
}

static void timerfd_periodic(void)
{
	int fd = REQUIRE_OK(timerfd_create(CLOCK_MONOTONIC, 0));
	struct itimerspec t = its(MS, MS), cur;
	CHECK_OK(timerfd_settime(fd, 0, &t, NULL));
	uint64_t ticks = 0, total = 0;
	/* Every read returns at least one expiry, and the timer goes on. */
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(read(fd, &ticks, sizeof(ticks)), 8);
		CHECK(ticks >= 1);
		total += ticks;
	}
	CHECK(total >= 3);
	/*
	 * Missed periods are counted: the second read gets at least the
	 * whole periods between the two clock readings that bracket the
	 * sleep (a lower bound however slow the host is).
	 */
	struct timespec t0, t1;
	CHECK_EQ(read(fd, &ticks, sizeof(ticks)), 8);	/* consume what is there */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	sleep_ns(20 * MS);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CHECK(readable(fd));
	CHECK_EQ(read(fd, &ticks, sizeof(ticks)), 8);
	long long passed = ns_of(&t1) - ns_of(&t0);
	CHECK(ticks >= 1);
	CHECK((long long)ticks >= passed / MS - 1);
	CHECK_OK(timerfd_gettime(fd, &cur));
	CHECK_EQ(ns_of(&cur.it_interval), MS);
	CHECK(ns_of(&cur.it_value) <= MS);
	/*
	 * An absolute start 10 s in the past with a 1 s period: 11 expiries
	 * at least (the real-time clock: the monotonic one may be younger).
	 */
	close(fd);
	fd = REQUIRE_OK(timerfd_create(CLOCK_REALTIME, 0));
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	t.it_value = (struct timespec){now.tv_sec - 10, now.tv_nsec};
	t.it_interval = (struct timespec){1, 0};
	CHECK_OK(timerfd_settime(fd, TFD_TIMER_ABSTIME, &t, NULL));
	CHECK(readable(fd));
	CHECK_EQ(read(fd, &ticks, sizeof(ticks)), 8);
	CHECK(ticks >= 11);
	/* gettime: the next one is in the future, at most a period away. */
	CHECK_OK(timerfd_gettime(fd, &cur));
	CHECK(ns_of(&cur.it_value) > 0 && ns_of(&cur.it_value) <= 1000 * MS);
	close(fd);
}

static void timerfd_abstime(void)
{
	static const int clocks[] = {CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_BOOTTIME};
	for (size_t i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		kt_ctx = i == 0 ? "monotonic" : i == 1 ? "realtime" : "boottime";
		int fd = REQUIRE_OK(timerfd_create(clocks[i], TFD_NONBLOCK));
		struct timespec now;
		uint64_t ticks = 0;
		REQUIRE_OK(clock_gettime(clocks[i], &now));
		/* In the past (1 us): expired at once. */
		long long past = ns_of(&now) - 1000;
		struct itimerspec t = {{0, 0}, {past / 1000000000LL, past % 1000000000LL}};
		CHECK_OK(timerfd_settime(fd, TFD_TIMER_ABSTIME, &t, NULL));
		CHECK(readable(fd));
		CHECK_EQ(read(fd, &ticks, sizeof(ticks)), 8);
		CHECK_EQ(ticks, 1);
		/* Soon: not before its time (as the clock says), then once. */
		REQUIRE_OK(clock_gettime(clocks[i], &now));
		long long when = ns_of(&now) + 3 * MS;
		t.it_value = (struct timespec){when / 1000000000LL, when % 1000000000LL};
		CHECK_OK(timerfd_settime(fd, TFD_TIMER_ABSTIME, &t, NULL));
		struct pollfd p = {fd, POLLIN, 0};
		CHECK_EQ(poll(&p, 1, -1), 1);
		struct timespec after;
		REQUIRE_OK(clock_gettime(clocks[i], &after));
		CHECK(ns_of(&after) >= when);
		CHECK_EQ(read(fd, &ticks, sizeof(ticks)), 8);
		CHECK_EQ(ticks, 1);
		/* Far: gettime shows the time left, not the absolute time. */
		t.it_value = (struct timespec){now.tv_sec + 1000, now.tv_nsec};
		CHECK_OK(timerfd_settime(fd, TFD_TIMER_ABSTIME, &t, NULL));
		struct itimerspec cur;
		CHECK_OK(timerfd_gettime(fd, &cur));
		CHECK(cur.it_value.tv_sec <= 1000 && cur.it_value.tv_sec >= 900);
		close(fd);
	}
	kt_ctx = NULL;
}

static void timerfd_wakeups(void)
{
	/* A reader in another process sleeps until the expiry. */
	int fd = REQUIRE_OK(timerfd_create(CLOCK_MONOTONIC, 0));
	pid_t pid = kt_fork();
	if (pid == 0) {
		uint64_t ticks = 0;
		_exit(read(fd, &ticks, sizeof(ticks)) == 8 && ticks >= 1 ? 0 : 1);
	}
	kt_wait_sleeping(pid);
	struct itimerspec t = its(MS, 0);
	CHECK_OK(timerfd_settime(fd, 0, &t, NULL));
	CHECK_EQ(kt_wait_exit(pid), 0);
	/* Re-arming resets the count: what expired before is not read after. */
	t = its(MS, 0);
	CHECK_OK(timerfd_settime(fd, 0, &t, NULL));
	sleep_ns(5 * MS);
	CHECK(readable(fd));
	t = its(100000 * MS, 0);
	CHECK_OK(timerfd_settime(fd, 0, &t, NULL));
	CHECK(!readable(fd));
	/* Shared after fork: the child's read takes the count for both. */
	t = its(MS, 0);
	CHECK_OK(timerfd_settime(fd, 0, &t, NULL));
	pid = kt_fork();
	if (pid == 0) {
		uint64_t ticks = 0;
		_exit(read(fd, &ticks, sizeof(ticks)) == 8 && ticks == 1 ? 0 : 1);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
	CHECK(!readable(fd));
	close(fd);
}

static void timerfd_cancel_on_set(void)
{
	if (!kt_is_root())
		kt_skip("setting the clock needs root");
	int fd = REQUIRE_OK(timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK));
	int plain = REQUIRE_OK(timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK));
	struct timespec now;
	REQUIRE_OK(clock_gettime(CLOCK_REALTIME, &now));
	struct itimerspec t = {{0, 0}, {now.tv_sec + 1000, 0}};
	CHECK_OK(timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &t, NULL));
	CHECK_OK(timerfd_settime(plain, TFD_TIMER_ABSTIME, &t, NULL));
	uint64_t ticks;
	CHECK_ERR(read(fd, &ticks, sizeof(ticks)), EAGAIN);
	/* Setting the clock (to what it reads: no jump to speak of) cancels. */
	REQUIRE_OK(clock_gettime(CLOCK_REALTIME, &now));
	REQUIRE_OK(clock_settime(CLOCK_REALTIME, &now));
	CHECK(readable(fd));
	CHECK_ERR(read(fd, &ticks, sizeof(ticks)), ECANCELED);
	CHECK_ERR(read(fd, &ticks, sizeof(ticks)), EAGAIN);	/* once */
	CHECK(!readable(plain));			/* only where asked */
	CHECK_ERR(read(plain, &ticks, sizeof(ticks)), EAGAIN);
	/* The flag without TFD_TIMER_ABSTIME, or on a monotonic timer, does nothing. */
	int mono = REQUIRE_OK(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK));
	struct itimerspec rel = its(100000 * MS, 0);
	CHECK_OK(timerfd_settime(mono, TFD_TIMER_CANCEL_ON_SET, &rel, NULL));
	CHECK_OK(timerfd_settime(plain, TFD_TIMER_CANCEL_ON_SET, &rel, NULL));
	REQUIRE_OK(clock_gettime(CLOCK_REALTIME, &now));
	REQUIRE_OK(clock_settime(CLOCK_REALTIME, &now));
	CHECK_ERR(read(mono, &ticks, sizeof(ticks)), EAGAIN);
	CHECK_ERR(read(plain, &ticks, sizeof(ticks)), EAGAIN);
	close(mono);
	close(plain);
	close(fd);
}

static void timerfd_errors(void)
{
	int fd = REQUIRE_OK(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK));
	struct itimerspec t = its(MS, 0), cur;
	CHECK_ERR(timerfd_settime(fd, 4, &t, NULL), EINVAL);
	CHECK_ERR(timerfd_settime(fd, -1, &t, NULL), EINVAL);
	t.it_value.tv_nsec = 1000000000;
	CHECK_ERR(timerfd_settime(fd, 0, &t, NULL), EINVAL);
	t = its(MS, 0);
	t.it_interval.tv_nsec = -1;
	CHECK_ERR(timerfd_settime(fd, 0, &t, NULL), EINVAL);
	t = its(MS, 0);
	t.it_value.tv_sec = -1;
	CHECK_ERR(timerfd_settime(fd, 0, &t, NULL), EINVAL);
	/* Flags and values are checked before the descriptor. */
	CHECK_ERR(timerfd_settime(-1, 4, &t, NULL), EINVAL);
	t = its(MS, 0);
	CHECK_ERR(timerfd_settime(-1, 0, &t, NULL), EBADF);
	CHECK_ERR(timerfd_gettime(-1, &cur), EBADF);
	CHECK_ERR(timerfd_settime(1000, 0, &t, NULL), EBADF);
	/* Not a timerfd: EINVAL. */
	int p[2];
	REQUIRE_OK(pipe(p));
	CHECK_ERR(timerfd_settime(p[0], 0, &t, NULL), EINVAL);
	CHECK_ERR(timerfd_gettime(p[1], &cur), EINVAL);
	/* EFAULT: the new value, the old value (the timer is set anyway), gettime's. */
	FOR_BAD(kt_bad_in, b)
		CHECK_ERR(syscall(SYS_timerfd_settime, fd, 0, b->p, NULL), EFAULT);
	END_BAD;
	t = its(100000 * MS, 0);
	FOR_BAD(kt_bad_out, b) {
		CHECK_ERR(syscall(SYS_timerfd_gettime, fd, b->p), EFAULT);
		CHECK_ERR(syscall(SYS_timerfd_settime, fd, 0, &t, b->p), EFAULT);
	}
	END_BAD;
	CHECK_OK(timerfd_gettime(fd, &cur));
	CHECK(ns_of(&cur.it_value) > 0);
	/* A read into a bad buffer with expiries pending: EFAULT. */
	t = its(MS, 0);
	FOR_BAD(kt_bad_out, b) {
		CHECK_OK(timerfd_settime(fd, 0, &t, NULL));
		struct pollfd pf = {fd, POLLIN, 0};
		CHECK_EQ(poll(&pf, 1, -1), 1);
		CHECK_ERR(read(fd, b->p, 8), EFAULT);
	}
	END_BAD;
	close(fd);
}

KT_TABLE(timerfd) = {
	{"timerfd.create", timerfd_create_checks},
	{"timerfd.oneshot", timerfd_oneshot},
	{"timerfd.periodic", timerfd_periodic},
	{"timerfd.abstime", timerfd_abstime},
	{"timerfd.wakeups", timerfd_wakeups},
	{"timerfd.cancel_on_set", timerfd_cancel_on_set},
	{"timerfd.errors", timerfd_errors},
	{NULL, NULL},
};
