/*
 * lib/calendar.c: dates against known day numbers (the values Python's
 * datetime gives), leap years (2000 is one, 1900 and 2100 are not), the
 * 32-bit limits (2038, and 2106 for the PL031's unsigned counter), every
 * day from year -1000 to 3000 against a day-by-day count, and BCD.
 */
#include <stdint.h>
#include <stdio.h>
#include "host_test.h"
#include <kernel/errno.h>
#include <kernel/rtc.h>

struct known {
	int year, month, day;
	int64_t days;			/* since 1970-01-01 */
	int wday, yday;			/* Sunday 0; January 1st 0 */
};

static const struct known known[] = {
	{ 1970, 1, 1, 0, 4, 0 },
	{ 1969, 12, 31, -1, 3, 364 },
	{ 2000, 2, 29, 11016, 2, 59 },
	{ 2000, 3, 1, 11017, 3, 60 },
	{ 2020, 1, 1, 18262, 3, 0 },
	{ 2024, 2, 29, 19782, 4, 59 },
	{ 2026, 12, 2, 20789, 3, 335 },
	{ 2038, 1, 19, 24855, 2, 18 },
	{ 2100, 2, 28, 47540, 0, 58 },
	{ 2100, 3, 1, 47541, 1, 59 },		/* no February 29th in 2100 */
	{ 2106, 2, 7, 49710, 0, 37 },
	{ 1900, 3, 1, -25508, 4, 59 },		/* nor in 1900 */
	{ 1600, 2, 29, -135081, 2, 59 },	/* but in 1600 */
	{ 1, 1, 1, -719162, 1, 0 },
	{ 9999, 12, 31, 2932896, 5, 364 },
};

HOST_TEST(known_dates)
{
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		const struct known *k = &known[i];
		struct rtc_time tm;
		int64_t y;
		int m, d;

		CHECK(days_from_civil(k->year, k->month, k->day) == k->days);
		civil_from_days(k->days, &y, &m, &d);
		CHECK(y == k->year && m == k->month && d == k->day);
		rtc_time64_to_tm(k->days * 86400 + 12 * 3600 + 34 * 60 + 56, &tm);
		CHECK(tm.tm_year == k->year - 1900 && tm.tm_mon == k->month - 1 &&
		      tm.tm_mday == k->day);
		CHECK(tm.tm_hour == 12 && tm.tm_min == 34 && tm.tm_sec == 56);
		CHECK(tm.tm_wday == k->wday);
		CHECK(tm.tm_yday == k->yday);
		CHECK(tm.tm_isdst == 0);
	}
}

HOST_TEST(leap_years)
{
	CHECK(is_leap_year(2000));
	CHECK(is_leap_year(2024));
	CHECK(is_leap_year(1600));
	CHECK(!is_leap_year(1900));
	CHECK(!is_leap_year(2100));
	CHECK(!is_leap_year(2023));
	CHECK(rtc_month_days(1, 2000) == 29);
	CHECK(rtc_month_days(1, 2100) == 28);
	CHECK(rtc_month_days(0, 2100) == 31);
	CHECK(rtc_month_days(3, 2100) == 30);
	CHECK(rtc_month_days(12, 2100) == 0);
	CHECK(rtc_month_days(-1, 2100) == 0);
}

/* Seconds around the 32-bit limits. */
HOST_TEST(limits_2038_2106)
{
	struct rtc_time tm;

	rtc_time64_to_tm(INT32_MAX, &tm);	/* 2038-01-19T03:14:07Z */
	CHECK(tm.tm_year == 138 && tm.tm_mon == 0 && tm.tm_mday == 19);
	CHECK(tm.tm_hour == 3 && tm.tm_min == 14 && tm.tm_sec == 7);
	CHECK(rtc_tm_to_time64(&tm) == INT32_MAX);
	rtc_time64_to_tm((int64_t)INT32_MAX + 1, &tm);
	CHECK(tm.tm_hour == 3 && tm.tm_min == 14 && tm.tm_sec == 8);
	CHECK(rtc_tm_to_time64(&tm) == (int64_t)INT32_MAX + 1);

	rtc_time64_to_tm(UINT32_MAX, &tm);	/* 2106-02-07T06:28:15Z */
	CHECK(tm.tm_year == 206 && tm.tm_mon == 1 && tm.tm_mday == 7);
	CHECK(tm.tm_hour == 6 && tm.tm_min == 28 && tm.tm_sec == 15);
	CHECK(rtc_tm_to_time64(&tm) == UINT32_MAX);

	rtc_time64_to_tm(-1, &tm);		/* 1969-12-31T23:59:59Z */
	CHECK(tm.tm_year == 69 && tm.tm_mon == 11 && tm.tm_mday == 31);
	CHECK(tm.tm_hour == 23 && tm.tm_min == 59 && tm.tm_sec == 59);
	CHECK(tm.tm_wday == 3 && tm.tm_yday == 364);
	CHECK(rtc_tm_to_time64(&tm) == -1);

	/* 2100-02-28T23:59:59 + 1 s is March 1st. */
	rtc_time64_to_tm(47541LL * 86400 - 1, &tm);
	CHECK(tm.tm_mon == 1 && tm.tm_mday == 28 && tm.tm_sec == 59);
	rtc_time64_to_tm(47541LL * 86400, &tm);
	CHECK(tm.tm_mon == 2 && tm.tm_mday == 1 && tm.tm_hour == 0);
}

/* Every day of 4000 years, counted one by one from the epoch outwards. */
HOST_TEST(every_day)
{
	int64_t y = 1970;
	int m = 1, d = 1;

	for (int64_t n = 0; y < 3000; n++) {
		int64_t yy;
		int mm, dd;

		if (days_from_civil(y, m, d) != n) {
			fprintf(stderr, "# %lld-%02d-%02d: %lld, not %lld\n", (long long)y, m, d,
				(long long)days_from_civil(y, m, d), (long long)n);
			CHECK(0);
			return;
		}
		civil_from_days(n, &yy, &mm, &dd);
		CHECK(yy == y && mm == m && dd == d);
		if (++d > rtc_month_days(m - 1, y)) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	y = 1969, m = 12, d = 31;
	for (int64_t n = -1; y > -1000; n--) {
		int64_t yy;
		int mm, dd;

		CHECK(days_from_civil(y, m, d) == n);
		civil_from_days(n, &yy, &mm, &dd);
		if (yy != y || mm != m || dd != d) {
			fprintf(stderr, "# day %lld: %lld-%02d-%02d\n", (long long)n, (long long)yy,
				mm, dd);
			CHECK(0);
			return;
		}
		if (--d < 1) {
			if (--m < 1) {
				m = 12;
				y--;
			}
			d = rtc_month_days(m - 1, y);
		}
	}
}

HOST_TEST(tm_round_trip)
{
	/* A second every 997 s across 1970-2200 converts there and back. */
	for (int64_t t = 0; t < 7258118400LL; t += 997 * 1009) {
		struct rtc_time tm;

		rtc_time64_to_tm(t, &tm);
		CHECK(rtc_valid_tm(&tm) == 0);
		if (rtc_tm_to_time64(&tm) != t) {
			fprintf(stderr, "# %lld does not come back\n", (long long)t);
			CHECK(0);
			return;
		}
	}
}

HOST_TEST(valid_tm)
{
	struct rtc_time ok = { .tm_year = 124, .tm_mon = 1, .tm_mday = 29, .tm_hour = 23,
			       .tm_min = 59, .tm_sec = 59 }, tm;

	CHECK(rtc_valid_tm(&ok) == 0);
	tm = ok, tm.tm_year = 123;		/* 2023-02-29 */
	CHECK(rtc_valid_tm(&tm) == -EINVAL);
	tm = ok, tm.tm_year = 69;		/* before the epoch */
	CHECK(rtc_valid_tm(&tm) == -EINVAL);
	tm = ok, tm.tm_mon = 12;
	CHECK(rtc_valid_tm(&tm) == -EINVAL);
	tm = ok, tm.tm_mon = -1;
	CHECK(rtc_valid_tm(&tm) == -EINVAL);
	tm = ok, tm.tm_mday = 0;
	CHECK(rtc_valid_tm(&tm) == -EINVAL);
	tm = ok, tm.tm_hour = 24;
	CHECK(rtc_valid_tm(&tm) == -EINVAL);
	tm = ok, tm.tm_min = 60;
	CHECK(rtc_valid_tm(&tm) == -EINVAL);
	tm = ok, tm.tm_sec = 60;
	CHECK(rtc_valid_tm(&tm) == -EINVAL);
	tm = ok, tm.tm_sec = -1;
	CHECK(rtc_valid_tm(&tm) == -EINVAL);
}

HOST_TEST(bcd)
{
	for (unsigned int v = 0; v < 100; v++) {
		CHECK(bcd2bin(bin2bcd(v)) == v);
		CHECK(bcd_valid(bin2bcd(v)));
	}
	CHECK(bin2bcd(59) == 0x59);
	CHECK(bin2bcd(9) == 0x09);
	CHECK(bcd2bin(0x99) == 99);
	CHECK(bcd2bin(0x20) == 20);
	CHECK(!bcd_valid(0x1a));
	CHECK(!bcd_valid(0xa1));
	CHECK(!bcd_valid(0xff));
}
