/*
 * drivers/rtc/cmos_decode.c: the MC146818's register formats (BCD and
 * binary, 24- and 12-hour with midnight and noon, the century byte or
 * 20xx) against dates worked out by hand, and bad BCD refused.
 */
#include <stdint.h>
#include "host_test.h"
#include <kernel/errno.h>
#include "../../cmos.h"

#define BCD24	REG_B_24H
#define BIN24	(REG_B_24H | REG_B_BINARY)
#define BCD12	0
#define BIN12	REG_B_BINARY

static int64_t
decode(struct cmos_regs r, bool has_century)
{
	struct rtc_time tm;

	if (cmos_decode(&r, has_century, &tm) != 0 || rtc_valid_tm(&tm) != 0)
		return -1;
	return rtc_tm_to_time64(&tm);
}

HOST_TEST(bcd_24h)
{
	/* 2024-02-29T23:30:59Z = 1709249459, as QEMU keeps it (BCD, 24 h). */
	struct cmos_regs r = { 0x59, 0x30, 0x23, 0x29, 0x02, 0x24, 0x20, BCD24 };

	CHECK(decode(r, true) == 1709249459);
	CHECK(decode(r, false) == 1709249459);		/* 20xx by default */
	r.century = 0x21;				/* 2124-02-29T23:30:59Z */
	CHECK(decode(r, true) == 4864923059LL);
	r.century = 0x19;				/* 1924: before the epoch */
	CHECK(decode(r, true) == -1);
}

HOST_TEST(binary_24h)
{
	struct cmos_regs r = { 59, 30, 23, 29, 2, 24, 20, BIN24 };

	CHECK(decode(r, true) == 1709249459);
	/* 2038-01-19T03:14:07Z = 2^31 - 1, century 20 from the byte or by default. */
	r = (struct cmos_regs){ 7, 14, 3, 19, 1, 38, 20, BIN24 };
	CHECK(decode(r, true) == INT32_MAX);
	CHECK(decode(r, false) == INT32_MAX);
	/* 2100-03-01T00:00:00Z: 2100 has no February 29th. */
	r = (struct cmos_regs){ 0, 0, 0, 1, 3, 0, 21, BIN24 };
	CHECK(decode(r, true) == 47541LL * 86400);
	r.mon = 2, r.mday = 29;
	CHECK(decode(r, true) == -1);
}

HOST_TEST(twelve_hour)
{
	/* 2020-01-01, hours in 12-hour form: 12 AM is 0, 12 PM is 12. */
	static const struct {
		uint8_t bcd, bin;
		int hour;
	} hours[] = {
		{ 0x12, 12, 0 }, { 0x01, 1, 1 }, { 0x11, 11, 11 },
		{ 0x92, 0x80 | 12, 12 }, { 0x81, 0x80 | 1, 13 }, { 0x91, 0x80 | 11, 23 },
	};
	const int64_t day = 18262LL * 86400;

	for (size_t i = 0; i < sizeof(hours) / sizeof(hours[0]); i++) {
		struct cmos_regs r = { 0x00, 0x00, hours[i].bcd, 0x01, 0x01, 0x20, 0x20, BCD12 };

		CHECK(decode(r, true) == day + hours[i].hour * 3600);
		r = (struct cmos_regs){ 0, 0, hours[i].bin, 1, 1, 20, 20, BIN12 };
		CHECK(decode(r, true) == day + hours[i].hour * 3600);
	}
	/* No hour 0 or 13 on a 12-hour clock. */
	CHECK(decode((struct cmos_regs){ 0, 0, 0x00, 1, 1, 0x20, 0x20, BCD12 }, true) == -1);
	CHECK(decode((struct cmos_regs){ 0, 0, 0x13, 1, 1, 0x20, 0x20, BCD12 }, true) == -1);
	CHECK(decode((struct cmos_regs){ 0, 0, 0x80, 1, 1, 20, 20, BIN12 }, true) == -1);
}

HOST_TEST(bad_values)
{
	struct rtc_time tm;
	struct cmos_regs ok = { 0x59, 0x30, 0x23, 0x29, 0x02, 0x24, 0x20, BCD24 }, r;

	r = ok, r.year = 0x9a;				/* not BCD */
	CHECK(cmos_decode(&r, true, &tm) == -EINVAL);
	r = ok, r.century = 0xa0;
	CHECK(cmos_decode(&r, true, &tm) == -EINVAL);
	r = ok, r.century = 0xa0;			/* ignored without a century byte */
	CHECK(cmos_decode(&r, false, &tm) == 0);
	r = ok, r.sec = 0x6a;
	CHECK(decode(r, true) == -1);
	r = ok, r.sec = 0x60;				/* 60 seconds */
	CHECK(decode(r, true) == -1);
	r = ok, r.mon = 0x13;
	CHECK(decode(r, true) == -1);
	r = ok, r.mon = 0x00;
	CHECK(decode(r, true) == -1);
	r = ok, r.mday = 0x00;
	CHECK(decode(r, true) == -1);
	r = ok, r.reg_b = BIN24, r.year = 100;		/* binary, but two digits */
	CHECK(cmos_decode(&r, true, &tm) == -EINVAL);
	r = ok, r.hour = 0x24;
	CHECK(decode(r, true) == -1);
	/* Before 1970 (1969-12-31) is no time the kernel can start from. */
	r = (struct cmos_regs){ 0x59, 0x59, 0x23, 0x31, 0x12, 0x69, 0x19, BCD24 };
	CHECK(decode(r, true) == -1);
}
