/*
 * Decoding the MC146818's registers: BCD or binary (register B's DM
 * bit), 12-hour (hour bit 7: PM; 12 AM is midnight) or 24-hour, and two
 * digits of year completed by the century byte or by 20.  Portable C,
 * tested on the host.
 */
#include <kernel/errno.h>
#include "cmos.h"

/* A register's value in binary; -1 for a BCD byte with a digit above 9. */
static int
value(uint8_t v, bool binary)
{
	if (binary)
		return v;
	return bcd_valid(v) ? (int)bcd2bin(v) : -1;
}

int
cmos_decode(const struct cmos_regs *r, bool has_century, struct rtc_time *tm)
{
	bool binary = r->reg_b & REG_B_BINARY, h24 = r->reg_b & REG_B_24H;
	int hour = value(h24 ? r->hour : (uint8_t)(r->hour & ~HOUR_PM), binary);
	int year = value(r->year, binary);
	int century = has_century ? value(r->century, binary) : 20;

	if (!h24 && hour >= 1 && hour <= 12)
		hour = hour % 12 + (r->hour & HOUR_PM ? 12 : 0);
	else if (!h24)
		hour = -1;
	if (year < 0 || year > 99 || century < 0 || century > 99)
		return -EINVAL;
	tm->tm_sec = value(r->sec, binary);
	tm->tm_min = value(r->min, binary);
	tm->tm_hour = hour;
	tm->tm_mday = value(r->mday, binary);
	tm->tm_mon = value(r->mon, binary) - 1;
	tm->tm_year = century * 100 + year - 1900;
	tm->tm_wday = tm->tm_yday = tm->tm_isdst = 0;
	return 0;
}
