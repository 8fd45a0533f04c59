/*
 * Calendar arithmetic: day numbers from and to proleptic Gregorian dates,
 * and seconds since the epoch from and to struct rtc_time.  Portable C
 * with no kernel dependencies, tested on the host against known dates.
 *
 * The day-number conversions count in 400-year eras (146097 days each,
 * the Gregorian cycle) over years that begin on March 1st, so February
 * and its leap day come last and every month before it has a fixed
 * offset from the start of the year.
 */
#include <kernel/errno.h>
#include <kernel/rtc.h>

#define DAYS_PER_ERA		146097	/* 400 Gregorian years */
#define DAYS_0000_TO_1970	719468	/* 0000-03-01 to 1970-01-01 */
#define SECS_PER_DAY		86400

/* Division rounding towards minus infinity (C rounds towards zero). */
static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

bool
is_leap_year(int64_t year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int
rtc_month_days(int month, int64_t year)
{
	static const unsigned char days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (month < 0 || month > 11)
		return 0;
	return days[month] + (month == 1 && is_leap_year(year));
}

/* Days from March 1st to the first of month m (0 = March ... 11 = February). */
static int64_t
march_month_start(int64_t m)
{
	/* Month lengths 31 30 31 30 31 31 30 31 30 31 31 (29): 153 days per 5 months. */
	return (153 * m + 2) / 5;
}

int64_t
days_from_civil(int64_t year, int month, int day)
{
	int64_t y = month <= 2 ? year - 1 : year;
	int64_t era = floor_div(y, 400);
	int64_t yoe = y - era * 400;				/* 0-399 */
	int64_t m = month > 2 ? month - 3 : month + 9;		/* March = 0 */
	int64_t doy = march_month_start(m) + day - 1;		/* 0-365 */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;	/* 0-146096 */

	return era * DAYS_PER_ERA + doe - DAYS_0000_TO_1970;
}

void
civil_from_days(int64_t days, int64_t *year, int *month, int *day)
{
	int64_t z = days + DAYS_0000_TO_1970;
	int64_t era = floor_div(z, DAYS_PER_ERA);
	int64_t doe = z - era * DAYS_PER_ERA;			/* 0-146096 */
	/* Years of the era: remove the leap days (one per 4, less per 100, more per 400). */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / (DAYS_PER_ERA - 1)) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);	/* 0-365 */
	int64_t m = (5 * doy + 2) / 153;			/* March = 0 */

	*day = (int)(doy - march_month_start(m) + 1);
	*month = (int)(m < 10 ? m + 3 : m - 9);
	*year = yoe + era * 400 + (*month <= 2);
}

int
rtc_valid_tm(const struct rtc_time *tm)
{
	if (tm->tm_year < 70 || tm->tm_mon < 0 || tm->tm_mon > 11 || tm->tm_mday < 1 ||
	    tm->tm_mday > rtc_month_days(tm->tm_mon, (int64_t)tm->tm_year + 1900) ||
	    tm->tm_hour < 0 || tm->tm_hour > 23 || tm->tm_min < 0 || tm->tm_min > 59 ||
	    tm->tm_sec < 0 || tm->tm_sec > 59)
		return -EINVAL;
	return 0;
}

int64_t
rtc_tm_to_time64(const struct rtc_time *tm)
{
	int64_t days = days_from_civil((int64_t)tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday);

	return days * SECS_PER_DAY + tm->tm_hour * 3600 + tm->tm_min * 60 + tm->tm_sec;
}

void
rtc_time64_to_tm(int64_t t, struct rtc_time *tm)
{
	int64_t days = floor_div(t, SECS_PER_DAY), year;
	int64_t secs = t - days * SECS_PER_DAY;
	int month, day;

	civil_from_days(days, &year, &month, &day);
	tm->tm_year = (int)(year - 1900);
	tm->tm_mon = month - 1;
	tm->tm_mday = day;
	tm->tm_hour = (int)(secs / 3600);
	tm->tm_min = (int)(secs / 60 % 60);
	tm->tm_sec = (int)(secs % 60);
	/* 1970-01-01 was a Thursday. */
	tm->tm_wday = (int)(days - floor_div(days + 4, 7) * 7 + 4);
	tm->tm_yday = (int)(days - days_from_civil(year, 1, 1));
	tm->tm_isdst = 0;
}
