/*
 * Real-time clocks: the calendar arithmetic every RTC driver needs
 * (lib/calendar.c, portable and host-tested) and the small RTC class
 * (drivers/rtc/class.c) through which the drivers hand the kernel the
 * time of day at boot.
 *
 * Dates are UTC in the proleptic Gregorian calendar; seconds count from
 * the Unix epoch, 1970-01-01T00:00:00Z, without leap seconds.
 */
#ifndef KERNEL_RTC_H
#define KERNEL_RTC_H

#include <kernel/types.h>

/* Linux's struct rtc_time (<linux/rtc.h>), as RTC_RD_TIME will copy it out. */
struct rtc_time {
	int tm_sec;			/* 0-59 */
	int tm_min;			/* 0-59 */
	int tm_hour;			/* 0-23 */
	int tm_mday;			/* 1-31 */
	int tm_mon;			/* 0-11 */
	int tm_year;			/* years since 1900 */
	int tm_wday;			/* 0-6, Sunday 0 */
	int tm_yday;			/* 0-365 */
	int tm_isdst;			/* always 0: UTC */
};

/* Binary-coded decimal, as the MC146818 keeps its registers by default. */
static inline unsigned int
bcd2bin(uint8_t v)
{
	return (v & 0x0fu) + (v >> 4) * 10u;
}

static inline uint8_t
bin2bcd(unsigned int v)
{
	return (uint8_t)(((v / 10u) << 4) | (v % 10u));
}

/* Both digits 0-9. */
static inline bool
bcd_valid(uint8_t v)
{
	return (v & 0x0fu) <= 9 && (v >> 4) <= 9;
}

bool is_leap_year(int64_t year);
/* Days in month (0-11) of year; 0 for a month out of range. */
int rtc_month_days(int month, int64_t year);
/* Days since 1970-01-01 of year-month-day (month 1-12), any year. */
int64_t days_from_civil(int64_t year, int month, int day);
/* The inverse: the date of day number days (month 1-12). */
void civil_from_days(int64_t days, int64_t *year, int *month, int *day);

/* 0, or -EINVAL unless every field is in range and the year >= 1970. */
int rtc_valid_tm(const struct rtc_time *tm);
/* Seconds since the epoch of a date (fields as rtc_valid_tm() wants). */
int64_t rtc_tm_to_time64(const struct rtc_time *tm);
/* The date of t seconds since the epoch (t may be negative), wday and yday set. */
void rtc_time64_to_tm(int64_t t, struct rtc_time *tm);

/* --------------------------------------------------------- the class */

struct device;
struct rtc_device;

struct rtc_class_ops {
	/* The current time; the class checks it with rtc_valid_tm(). */
	int (*read_time)(struct rtc_device *rtc, struct rtc_time *tm);
};

/*
 * One clock, registered by its driver's probe (static storage: probes
 * run before kmalloc).  Registered devices are never removed.
 */
struct rtc_device {
	const char *driver;		/* "rtc-pl031", as Linux names it */
	const struct device *dev;
	const struct rtc_class_ops *ops;
	void *priv;
	unsigned int id;		/* rtcN, set by rtc_register() */
};

/* Add rtc as rtc<n>; 0, or -ENOSPC when the table is full. */
int rtc_register(struct rtc_device *rtc);
/* rtc<id>, or NULL. */
struct rtc_device *rtc_get(unsigned int id);
/* Read and check the time; 0 or -errno (-EINVAL: the clock holds no valid date). */
int rtc_read_time(struct rtc_device *rtc, struct rtc_time *tm);
/*
 * At boot, once the clock source runs: read rtc0 and start the kernel's
 * real-time clock from it (CLOCK_REALTIME), logging the time as Linux
 * does.  Without a usable RTC the real-time clock starts at the epoch.
 */
void rtc_hctosys(void);

#endif
