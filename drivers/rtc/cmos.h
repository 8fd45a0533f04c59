/* The MC146818's time registers and their decoding (cmos_decode.c, host-tested). */
#ifndef DRIVERS_RTC_CMOS_H
#define DRIVERS_RTC_CMOS_H

#include <kernel/rtc.h>
#include <kernel/types.h>

#define REG_B_24H		(1u << 1)
#define REG_B_BINARY		(1u << 2)	/* DM: binary, not BCD */
#define HOUR_PM			(1u << 7)	/* in 12-hour mode */

/* One consistent reading of the registers, as the chip keeps them. */
struct cmos_regs {
	uint8_t sec, min, hour, mday, mon, year, century, reg_b;
};

/*
 * The date in r, in BCD or binary and 12- or 24-hour form as r->reg_b
 * says; the century from r->century when has_century, else 20.  0, or
 * -EINVAL when a BCD digit is above 9 or the year or century is out of
 * range (the other fields are for rtc_valid_tm() to judge).
 */
int cmos_decode(const struct cmos_regs *r, bool has_century, struct rtc_time *tm);

#endif
