/*
 * The RTC and the real-time clock it starts: rtc0 reads a plausible date
 * (QEMU's RTC follows the host's clock: 2024 or later), or exactly the
 * day the machine variant set with -rtc base=YYYY-MM-DD and passes as
 * ktest.rtc=YYYY-MM-DD; and the kernel's real time agrees with it.
 */
#include <kernel/cmdline.h>
#include <kernel/ktest.h>
#include <kernel/rtc.h>
#include <kernel/time.h>

/* ktest.rtc=YYYY-MM-DD: 0 and the date, or -1. */
static int
expected_date(int *year, int *month, int *day)
{
	char v[16];
	int f[3] = { 0, 0, 0 }, n = 0;

	if (cmdline_value("ktest.rtc", v, sizeof(v)) <= 0)
		return -1;
	for (const char *p = v; *p && n < 3; p++) {
		if (*p == '-')
			n++;
		else if (*p >= '0' && *p <= '9')
			f[n] = f[n] * 10 + (*p - '0');
		else
			return -1;
	}
	*year = f[0], *month = f[1], *day = f[2];
	return n == 2 ? 0 : -1;
}

KTEST(rtc, read_plausible)
{
	struct rtc_device *rtc = rtc_get(0);
	struct rtc_time tm;
	int y, m, d;

	if (!rtc)
		KTEST_SKIP("no RTC");
	KASSERT(rtc_read_time(rtc, &tm) == 0);
	KEXPECT_EQ(rtc_valid_tm(&tm), 0);
	if (expected_date(&y, &m, &d) == 0)
		KEXPECT_OP(tm.tm_year + 1900, >=, y);
	else
		KEXPECT_OP(tm.tm_year + 1900, >=, 2024);
	KEXPECT_OP(tm.tm_year + 1900, <, 2100);
	/* The class fills in what drivers leave out. */
	KEXPECT_EQ(tm.tm_yday, days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) -
			       days_from_civil(tm.tm_year + 1900, 1, 1));
}

/* -rtc base=...: the clock started at midnight of that day, moments ago. */
KTEST(rtc, base_date)
{
	struct rtc_device *rtc = rtc_get(0);
	struct rtc_time tm;
	int y, m, d;

	if (expected_date(&y, &m, &d) != 0)
		KTEST_SKIP("no ktest.rtc=YYYY-MM-DD (a machine variant with -rtc base=)");
	KASSERT(rtc != NULL);
	KASSERT(rtc_read_time(rtc, &tm) == 0);
	KEXPECT_EQ(tm.tm_year + 1900, y);
	KEXPECT_EQ(tm.tm_mon + 1, m);
	KEXPECT_EQ(tm.tm_mday, d);
	KEXPECT_EQ(tm.tm_hour, 0);
	KEXPECT_OP(tm.tm_min, <, 10);		/* booted and tested within minutes */
	/* 2020-01-01 was a Wednesday. */
	if (y == 2020 && m == 1 && d == 1)
		KEXPECT_EQ(tm.tm_wday, 3);
}

/* rtc_hctosys() set the real time from rtc0: they agree to the second. */
KTEST(rtc, system_clock_matches)
{
	struct rtc_device *rtc = rtc_get(0);
	struct rtc_time tm;
	int64_t rtc_s, real_s;

	if (!rtc)
		KTEST_SKIP("no RTC");
	/* QEMU's RTC follows the host's clock, -icount's virtual time does not. */
	if (ktest_strict_timing())
		KTEST_SKIP("virtual time (-icount) parts from the RTC's host time");
	KASSERT(rtc_read_time(rtc, &tm) == 0);
	real_s = realtime_ns() / (int64_t)NSEC_PER_SEC;
	rtc_s = rtc_tm_to_time64(&tm);
	/* The half second hctosys adds, a tick of the RTC, and clock tests that set the time. */
	KEXPECT_OP(real_s + 2, >=, rtc_s);
	KEXPECT_OP(real_s, <=, rtc_s + 2);
	KEXPECT_OP(boottime_real_ns(), >, 0);
}
