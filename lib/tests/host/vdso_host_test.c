/*
 * lib/vdso/gettime.c, the vDSO's clocks, over a fake port: a counter the
 * test sets, a system call that records what it was asked, and a data
 * page the test writes.  Each served clock against a 128-bit reference
 * of the kernel's exact conversion (floor(count * 10^9 / hz)), the
 * carry of the real-time offset's nanoseconds, what falls back to the
 * system call (other ids, a clock source user mode cannot read), and the
 * sequence count: a reader waits out an odd count and reads again when
 * a writer came in between.
 */
#include <stdint.h>
#include <stdlib.h>
#include "host_test.h"

/* ---- the fake port (what arch/<port>/vdso/vdso_arch.h provides) ---- */

#define VDSO_NR_clock_gettime	1001
#define VDSO_NR_clock_getres	1002
#define VDSO_NR_gettimeofday	1003
#define VDSO_NR_time		1004

static uint64_t counter;
static int relax_calls, counter_reads;
static void (*on_relax)(void), (*on_counter)(void);
static long sys_nr, sys_a0, sys_a1;
static int sys_calls;

static inline uint64_t
vdso_read_counter(void)
{
	counter_reads++;
	if (on_counter)
		on_counter();
	return counter;
}

static inline void
vdso_cpu_relax(void)
{
	relax_calls++;
	if (on_relax)
		on_relax();
}

static inline long
vdso_syscall2(long nr, long a0, long a1)
{
	sys_nr = nr;
	sys_a0 = a0;
	sys_a1 = a1;
	sys_calls++;
	return -4242;
}

#include "vdso/gettime.c"

struct vdso_time_data vdso_time_data;

/* ---- helpers ---- */

#define NS	1000000000ULL

static void
reset(uint64_t hz, int64_t offset_ns)
{
	memset(&vdso_time_data, 0, sizeof(vdso_time_data));
	vdso_time_data.seq = 2;
	vdso_time_data.clock_mode = VDSO_CLOCK_COUNTER;
	vdso_time_data.counter_hz = hz;
	vdso_time_data.real_offset_ns = offset_ns;
	vdso_time_data.real_offset_sec = offset_ns / (int64_t)NS;
	vdso_time_data.real_offset_nsec = (uint32_t)(offset_ns % (int64_t)NS);
	vdso_time_data.hres_res_nsec = 16;
	vdso_time_data.coarse_res_nsec = 10000000;
	sys_calls = relax_calls = counter_reads = 0;
	on_relax = on_counter = NULL;
}

/* The kernel's time_ns() for a count, exactly. */
static unsigned __int128
ref_ns(uint64_t count, uint64_t hz)
{
	return (unsigned __int128)count * NS / hz;
}

static bool
ts_is(const struct vdso_timespec_long *ts, unsigned __int128 ns)
{
	return (unsigned __int128)ts->tv_sec == ns / NS && (unsigned __int128)ts->tv_nsec == ns % NS;
}

/* ---- tests ---- */

HOST_TEST(conversion_is_exact)
{
	static const uint64_t rates[] = { 1, 1000, 19200000, 24000000, 62500000, 54000000,
					  1000000000, 1193182, 2999999999ULL, 4294967295ULL,
					  4294967296ULL, 10000000007ULL };
	uint64_t seed = 0x9e3779b97f4a7c15ULL;

	for (size_t r = 0; r < sizeof(rates) / sizeof(rates[0]); r++) {
		for (int i = 0; i < 20000; i++) {
			uint64_t hz = rates[r], count, sec;
			uint32_t nsec;

			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			/* counts of up to 2^(i % 64) ticks: small, near powers of two, huge */
			count = (i % 64) == 63 ? seed : seed & ((1ULL << (i % 64)) - 1);
			if (i < 3)
				count = i == 0 ? 0 : i == 1 ? hz - 1 : UINT64_MAX;
			vdso_count_to_ts(count, hz, &sec, &nsec);
			CHECK(nsec < NS);
			CHECK((unsigned __int128)sec * NS + nsec == ref_ns(count, hz));
		}
	}
}

HOST_TEST(served_clocks)
{
	struct vdso_timespec_long ts;
	const uint64_t hz = 62500000;
	const int64_t off = 1700000000LL * (int64_t)NS + 999999990;

	reset(hz, off);
	counter = 123456789012345ULL;
	vdso_time_data.coarse_ns = 1975308624197ULL;
	vdso_time_data.coarse_sec = 1975;
	vdso_time_data.coarse_nsec = 308624197;
	for (int clk = 0; clk < 16; clk++) {
		memset(&ts, 0x55, sizeof(ts));
		sys_calls = 0;
		int r = vdso_clock_gettime_long(clk, &ts);
		switch (clk) {
		case CLOCK_MONOTONIC: case CLOCK_MONOTONIC_RAW: case CLOCK_BOOTTIME:
			CHECK(r == 0 && sys_calls == 0);
			CHECK(ts_is(&ts, ref_ns(counter, hz)));
			break;
		case CLOCK_REALTIME:
			CHECK(r == 0 && sys_calls == 0);
			CHECK(ts_is(&ts, ref_ns(counter, hz) + (unsigned __int128)off));
			break;
		case CLOCK_MONOTONIC_COARSE:
			CHECK(r == 0 && sys_calls == 0);
			CHECK(ts.tv_sec == 1975 && ts.tv_nsec == 308624197);
			break;
		case CLOCK_REALTIME_COARSE:
			CHECK(r == 0 && sys_calls == 0);
			CHECK(ts_is(&ts, 1975308624197ULL + (unsigned __int128)off));
			break;
		default:	/* CPU-time, alarm, TAI, unknown: the kernel's */
			CHECK(r == -4242 && sys_calls == 1);
			CHECK(sys_nr == VDSO_NR_clock_gettime && sys_a0 == clk && sys_a1 == (long)&ts);
			break;
		}
	}
	/* negative (CPU-clock) and huge ids */
	static const int odd[] = { -1, -6, -2147483647 - 1, 32, 33, 1000, 2147483647 };
	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		sys_calls = 0;
		CHECK(vdso_clock_gettime_long(odd[i], &ts) == -4242 && sys_calls == 1);
		CHECK(sys_a0 == odd[i]);
	}
}

HOST_TEST(offset_carry)
{
	struct vdso_timespec_long ts;

	/* nanoseconds of the count and of the offset add up past a second */
	reset(1000000000, 5 * (int64_t)NS + 700000000);
	counter = 3 * NS + 600000000;
	CHECK(vdso_clock_gettime_long(CLOCK_REALTIME, &ts) == 0);
	CHECK(ts.tv_sec == 9 && ts.tv_nsec == 300000000);
	vdso_time_data.coarse_sec = 1;
	vdso_time_data.coarse_nsec = 999999999;
	CHECK(vdso_clock_gettime_long(CLOCK_REALTIME_COARSE, &ts) == 0);
	CHECK(ts.tv_sec == 7 && ts.tv_nsec == 699999999);
	/* exactly a second */
	counter = 300000000;
	CHECK(vdso_clock_gettime_long(CLOCK_REALTIME, &ts) == 0);
	CHECK(ts.tv_sec == 6 && ts.tv_nsec == 0);
}

HOST_TEST(no_user_counter)
{
	struct vdso_timespec_long ts;
	struct vdso_timeval tv;
	long t;

	reset(24000000, 0);
	vdso_time_data.clock_mode = VDSO_CLOCK_NONE;
	vdso_time_data.coarse_sec = 7;
	CHECK(vdso_clock_gettime_long(CLOCK_MONOTONIC, &ts) == -4242 && sys_calls == 1);
	CHECK(vdso_clock_gettime_long(CLOCK_REALTIME, &ts) == -4242 && sys_calls == 2);
	CHECK(counter_reads == 0);
	/* the coarse clocks need no counter */
	CHECK(vdso_clock_gettime_long(CLOCK_MONOTONIC_COARSE, &ts) == 0 && ts.tv_sec == 7);
	CHECK(sys_calls == 2);
	CHECK(vdso_gettimeofday(&tv, NULL) == -4242 && sys_nr == VDSO_NR_gettimeofday);
	CHECK(vdso_time(&t) == -4242 && sys_nr == VDSO_NR_time && sys_a0 == (long)&t);
	/* getres does not depend on it */
	sys_calls = 0;
	CHECK(vdso_clock_getres_long(CLOCK_MONOTONIC, &ts) == 0 && sys_calls == 0);
	CHECK(ts.tv_sec == 0 && ts.tv_nsec == 16);
}

HOST_TEST(getres_gettimeofday_time)
{
	struct vdso_timespec_long ts;
	struct vdso_timeval tv;
	struct vdso_timezone tz;
	long t = 0;

	reset(1000000, 1000 * (int64_t)NS + 123456789);
	counter = 2500000;	/* 2.5 s */
	CHECK(vdso_clock_getres_long(CLOCK_REALTIME, &ts) == 0 && ts.tv_nsec == 16);
	CHECK(vdso_clock_getres_long(CLOCK_MONOTONIC_COARSE, &ts) == 0 && ts.tv_nsec == 10000000);
	CHECK(vdso_clock_getres_long(CLOCK_BOOTTIME, NULL) == 0);
	CHECK(sys_calls == 0);
	CHECK(vdso_clock_getres_long(2 /* CLOCK_PROCESS_CPUTIME_ID */, &ts) == -4242);
	CHECK(sys_nr == VDSO_NR_clock_getres && sys_calls == 1);
	vdso_time_data.tz_minuteswest = -60;
	vdso_time_data.tz_dsttime = 1;
	CHECK(vdso_gettimeofday(&tv, &tz) == 0);
	CHECK(tv.tv_sec == 1002 && tv.tv_usec == 623456);
	CHECK(tz.tz_minuteswest == -60 && tz.tz_dsttime == 1);
	CHECK(vdso_gettimeofday(NULL, NULL) == 0);
	CHECK(vdso_time(NULL) == 1002);
	CHECK(vdso_time(&t) == 1002 && t == 1002);
	CHECK(sys_calls == 1);
}

/* A writer holds the count odd: the reader waits (cpu_relax) until it is done. */
static void
writer_finishes(void)
{
	if (relax_calls == 3) {
		vdso_time_data.counter_hz = 1000;
		vdso_time_data.seq++;
	}
}

/* A writer comes and goes while the reader reads the counter, once. */
static void
writer_passes(void)
{
	if (counter_reads == 1) {
		vdso_time_data.seq += 2;
		vdso_time_data.counter_hz = 100;
	}
}

HOST_TEST(sequence_count)
{
	struct vdso_timespec_long ts;

	reset(1000000, 0);
	counter = 5000;
	vdso_time_data.seq = 7;			/* odd: being written */
	on_relax = writer_finishes;
	CHECK(vdso_clock_gettime_long(CLOCK_MONOTONIC, &ts) == 0);
	CHECK(relax_calls == 3);
	CHECK(ts.tv_sec == 5 && ts.tv_nsec == 0);	/* the new rate */

	reset(1000000, 0);
	counter = 5000;
	on_counter = writer_passes;
	CHECK(vdso_clock_gettime_long(CLOCK_MONOTONIC, &ts) == 0);
	CHECK(counter_reads == 2);			/* read again */
	CHECK(ts.tv_sec == 50 && ts.tv_nsec == 0);
}
