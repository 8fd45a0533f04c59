/*
 * The vDSO's clocks: clock_gettime, clock_getres, gettimeofday and time
 * read from the data page ([vvar], <vdso/datapage.h>) without entering
 * the kernel, for every port.  A port's vDSO source includes its
 * vdso_arch.h (the counter read, the system call, the call numbers) and
 * then this file, and names the entry points as Linux does on that port.
 *
 * Served here: CLOCK_REALTIME, MONOTONIC, MONOTONIC_RAW and BOOTTIME from
 * the counter (they are one clock in this kernel, plus the real-time
 * offset), and the _COARSE pair from the last tick.  Everything else -
 * CPU-time clocks, TAI, unknown ids, a clock source user mode cannot
 * read (VDSO_CLOCK_NONE), a time that does not fit a 32-bit port's long
 * - is the system call, so the answer is always the kernel's.  As in
 * Linux, a bad pointer is a fault here (SIGSEGV), not EFAULT.
 *
 * The values are the kernel's own bit for bit: the same counter and the
 * same exact conversion (vdso_count_to_ts(), kernel/time.c's
 * time_ns()), so a reading here is never behind a system call made
 * before it, on any CPU.
 */
#include <vdso/datapage.h>

#define CLOCK_REALTIME		0
#define CLOCK_MONOTONIC		1
#define CLOCK_MONOTONIC_RAW	4
#define CLOCK_REALTIME_COARSE	5
#define CLOCK_MONOTONIC_COARSE	6
#define CLOCK_BOOTTIME		7

#define HRES_CLOCKS	(1u << CLOCK_REALTIME | 1u << CLOCK_MONOTONIC | \
			 1u << CLOCK_MONOTONIC_RAW | 1u << CLOCK_BOOTTIME)
#define COARSE_CLOCKS	(1u << CLOCK_REALTIME_COARSE | 1u << CLOCK_MONOTONIC_COARSE)
#define REAL_CLOCKS	(1u << CLOCK_REALTIME | 1u << CLOCK_REALTIME_COARSE)

/* The caller's layouts: the port's longs, and the 64-bit __kernel_timespec. */
struct vdso_timespec_long {
	long tv_sec;
	long tv_nsec;
};
struct vdso_timespec64 {
	int64_t tv_sec;
	int64_t tv_nsec;
};
struct vdso_timeval {
	long tv_sec;
	long tv_usec;
};
struct vdso_timezone {
	int tz_minuteswest;
	int tz_dsttime;
};

/* A reading: nsec below 10^9. */
struct vdso_ts {
	int64_t sec;
	uint32_t nsec;
};

/*
 * The data page, one page below the text (the linker script places it).
 * Not const: the kernel changes it under us, so every read of a field
 * between read_begin() and read_retry() is a real load (READ), never
 * hoisted out of the retry loop.
 */
extern struct vdso_time_data vdso_time_data __attribute__((visibility("hidden")));

#define READ(x)	(*(const volatile __typeof__(x) *)&(x))

static inline uint32_t
read_begin(const struct vdso_time_data *d)
{
	uint32_t seq;

	while ((seq = __atomic_load_n(&d->seq, __ATOMIC_ACQUIRE)) & 1)
		vdso_cpu_relax();
	return seq;
}

/* Whether what was read since read_begin() may be torn: read it again. */
static inline int
read_retry(const struct vdso_time_data *d, uint32_t seq)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return __atomic_load_n(&d->seq, __ATOMIC_RELAXED) != seq;
}

/*
 * A served clock's time into *ts: 0, or -1 when the kernel must answer.
 * Inlined into each entry point, whose own clock id is often constant.
 */
static inline __attribute__((always_inline)) int
read_clock(unsigned int clk, struct vdso_ts *ts)
{
	const struct vdso_time_data *d = &vdso_time_data;
	unsigned int bit = clk < 32 ? 1u << clk : 0;
	int real = (bit & REAL_CLOCKS) != 0;
	int64_t off_sec = 0;
	uint32_t off_nsec = 0, nsec, seq;
	uint64_t count, hz, sec;

	if (bit & HRES_CLOCKS) {
		do {
			seq = read_begin(d);
			if (READ(d->clock_mode) != VDSO_CLOCK_COUNTER)
				return -1;
			hz = READ(d->counter_hz);
			if (real) {
				off_sec = READ(d->real_offset_sec);
				off_nsec = READ(d->real_offset_nsec);
			}
			count = vdso_read_counter();
		} while (read_retry(d, seq));
		vdso_count_to_ts(count, hz, &sec, &nsec);
	} else if (bit & COARSE_CLOCKS) {
		do {
			seq = read_begin(d);
			sec = (uint64_t)READ(d->coarse_sec);
			nsec = READ(d->coarse_nsec);
			if (real) {
				off_sec = READ(d->real_offset_sec);
				off_nsec = READ(d->real_offset_nsec);
			}
		} while (read_retry(d, seq));
	} else {
		return -1;
	}
	nsec += off_nsec;
	if (nsec >= VDSO_NSEC_PER_SEC) {
		nsec -= VDSO_NSEC_PER_SEC;
		sec++;
	}
	ts->sec = (int64_t)sec + off_sec;
	ts->nsec = nsec;
	return 0;
}

/* A served clock's resolution: 0, or -1 when the kernel must answer. */
static inline int
read_res(unsigned int clk, uint32_t *nsec)
{
	const struct vdso_time_data *d = &vdso_time_data;
	unsigned int bit = clk < 32 ? 1u << clk : 0;
	uint32_t seq;

	if (!(bit & (HRES_CLOCKS | COARSE_CLOCKS)))
		return -1;
	do {
		seq = read_begin(d);
		*nsec = (bit & HRES_CLOCKS) ? READ(d->hres_res_nsec) : READ(d->coarse_res_nsec);
	} while (read_retry(d, seq));
	return 0;
}

static inline int
fits_long(int64_t v)
{
	return (int64_t)(long)v == v;
}

/* clock_gettime with the port's longs (every port's clock_gettime, i386's time32 one). */
static inline int
vdso_clock_gettime_long(int clk, struct vdso_timespec_long *ts)
{
	struct vdso_ts t;

	if (read_clock((unsigned int)clk, &t) || !fits_long(t.sec))
		return (int)vdso_syscall2(VDSO_NR_clock_gettime, clk, (long)ts);
	ts->tv_sec = (long)t.sec;
	ts->tv_nsec = (long)t.nsec;
	return 0;
}

#ifdef VDSO_NR_clock_gettime64
/* clock_gettime64 of a 32-bit port: struct __kernel_timespec. */
static inline int
vdso_clock_gettime64(int clk, struct vdso_timespec64 *ts)
{
	struct vdso_ts t;

	if (read_clock((unsigned int)clk, &t))
		return (int)vdso_syscall2(VDSO_NR_clock_gettime64, clk, (long)ts);
	ts->tv_sec = t.sec;
	ts->tv_nsec = t.nsec;
	return 0;
}
#endif

/* clock_getres with the port's longs; a NULL res is allowed, as by the call. */
static inline int
vdso_clock_getres_long(int clk, struct vdso_timespec_long *res)
{
	uint32_t nsec;

	if (read_res((unsigned int)clk, &nsec))
		return (int)vdso_syscall2(VDSO_NR_clock_getres, clk, (long)res);
	if (res) {
		res->tv_sec = 0;
		res->tv_nsec = (long)nsec;
	}
	return 0;
}

static inline int
vdso_gettimeofday(struct vdso_timeval *tv, struct vdso_timezone *tz)
{
	const struct vdso_time_data *d = &vdso_time_data;
	struct vdso_ts t;
	uint32_t seq;

	if (tv) {
		if (read_clock(CLOCK_REALTIME, &t) || !fits_long(t.sec))
			return (int)vdso_syscall2(VDSO_NR_gettimeofday, (long)tv, (long)tz);
		tv->tv_sec = (long)t.sec;
		tv->tv_usec = (long)(t.nsec / 1000);
	}
	if (tz) {
		do {
			seq = read_begin(d);
			tz->tz_minuteswest = READ(d->tz_minuteswest);
			tz->tz_dsttime = READ(d->tz_dsttime);
		} while (read_retry(d, seq));
	}
	return 0;
}

#ifdef VDSO_NR_time
/* time(): the real time's seconds, as the system call gives them. */
static inline long
vdso_time(long *t)
{
	struct vdso_ts ts;

	if (read_clock(CLOCK_REALTIME, &ts) || !fits_long(ts.sec))
		return vdso_syscall2(VDSO_NR_time, (long)t, 0);
	if (t)
		*t = (long)ts.sec;
	return (long)ts.sec;
}
#endif
