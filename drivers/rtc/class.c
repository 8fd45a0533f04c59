/*
 * The RTC class: drivers register their clocks as rtc0, rtc1, ... in
 * probe order, and at boot rtc_hctosys() starts the kernel's real-time
 * clock from rtc0, as Linux's CONFIG_RTC_HCTOSYS does.
 *
 * The table is written by probes, which run on the boot CPU before the
 * other CPUs start, and only read afterwards: no lock.
 */
#include <kernel/device.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/rtc.h>
#include <kernel/time.h>

#define RTC_MAX		4

static struct rtc_device *rtcs[RTC_MAX];
static unsigned int nr_rtcs;

int
rtc_register(struct rtc_device *rtc)
{
	if (nr_rtcs == RTC_MAX) {
		pr_warn("%s %s: no room for another RTC\n", rtc->driver, rtc->dev->name);
		return -ENOSPC;
	}
	rtc->id = nr_rtcs;
	rtcs[nr_rtcs++] = rtc;
	pr_info("%s %s: registered as rtc%u\n", rtc->driver, rtc->dev->name, rtc->id);
	return 0;
}

struct rtc_device *
rtc_get(unsigned int id)
{
	return id < nr_rtcs ? rtcs[id] : NULL;
}

int
rtc_read_time(struct rtc_device *rtc, struct rtc_time *tm)
{
	int err = rtc->ops->read_time(rtc, tm);

	if (err)
		return err;
	err = rtc_valid_tm(tm);
	if (err)
		return err;
	/* Drivers need not work out the weekday and the day of the year. */
	rtc_time64_to_tm(rtc_tm_to_time64(tm), tm);
	return 0;
}

void
rtc_hctosys(void)
{
	struct rtc_device *rtc = rtc_get(0);
	struct rtc_time tm;
	/* The RTC counts whole seconds: on average the second is half gone. */
	struct timespec64 ts = { 0, NSEC_PER_SEC / 2 };
	int err;

	if (!rtc) {
		pr_info("rtc: no real-time clock: the time of day starts at 1970-01-01\n");
		return;
	}
	err = rtc_read_time(rtc, &tm);
	if (err) {
		pr_err("%s %s: cannot read the time (%d): the time of day starts at 1970-01-01\n",
		       rtc->driver, rtc->dev->name, err);
		return;
	}
	ts.tv_sec = rtc_tm_to_time64(&tm);
	err = realtime_set(&ts);
	if (err) {
		pr_err("%s %s: cannot set the system clock to %lld (%d)\n", rtc->driver,
		       rtc->dev->name, (long long)ts.tv_sec, err);
		return;
	}
	pr_info("%s %s: setting system clock to %04d-%02d-%02dT%02d:%02d:%02d UTC (%lld)\n",
		rtc->driver, rtc->dev->name, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		tm.tm_hour, tm.tm_min, tm.tm_sec, (long long)ts.tv_sec);
}
