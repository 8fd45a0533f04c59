/*
 * The vDSO's data page ([vvar]): the time-keeping state the kernel
 * publishes for user space, and the counter-to-time conversion both
 * sides use.  kernel/time.c owns and writes it; kernel/vdso.c maps it
 * read-only below the vDSO's text in every process; lib/vdso/gettime.c
 * (inside the vDSO) reads it.  Both are built for the same port, so the
 * layout is one C structure of fixed-width fields and this header
 * depends on the compiler's <stdint.h> only.
 *
 * Coherence: seq is odd while a writer changes the page.  A writer (the
 * boot CPU's tick, a change of the real time, of the timezone or of the
 * clock source) takes it odd with a compare-and-swap, interrupts masked
 * (that is its lock), smp_wmb(), writes, then stores it even with
 * release order.  A reader loads seq with acquire order, waits while it
 * is odd, reads the fields, issues an acquire fence (smp_rmb()), and
 * starts again if seq has changed.
 */
#ifndef VDSO_DATAPAGE_H
#define VDSO_DATAPAGE_H

#include <stdint.h>

/* What the vDSO may do with the counter. */
#define VDSO_CLOCK_NONE		0	/* not readable from user mode: system calls */
#define VDSO_CLOCK_COUNTER	1	/* the port's counter (CNTVCT_EL0, RDTSC) is the clock source */

#define VDSO_NSEC_PER_SEC	1000000000u

/*
 * A kernel without processes (the RTOS profile) has no user space and no
 * clock system calls to read the page: it keeps only the fields up to
 * real_offset_ns, which it reads itself (24 bytes of a microcontroller's
 * RAM instead of 72).  Every kernel file sees the same configuration;
 * the vDSO, built only with processes, always sees the whole page.
 */
#if defined(__KERNEL__) && !defined(CONFIG_PROCESSES)
#define VDSO_TIME_DATA_USER	0
#else
#define VDSO_TIME_DATA_USER	1
#endif

struct vdso_time_data {
	uint32_t seq;
	uint32_t clock_mode;		/* VDSO_CLOCK_* */
	/*
	 * CLOCK_MONOTONIC (= BOOTTIME = MONOTONIC_RAW) is the counter's
	 * count since it started, floor(count * 10^9 / counter_hz): the
	 * exact conversion of kernel/time.c's time_ns().
	 */
	uint64_t counter_hz;
	/* CLOCK_REALTIME - CLOCK_MONOTONIC (never negative): in ns, and split. */
	int64_t real_offset_ns;
#if VDSO_TIME_DATA_USER
	int64_t real_offset_sec;
	uint32_t real_offset_nsec;
	/* The coarse clocks: CLOCK_MONOTONIC at the boot CPU's last tick. */
	uint32_t coarse_nsec;
	int64_t coarse_sec;
	uint64_t coarse_ns;
	/* clock_getres: of the counter's clocks and of the _COARSE ones. */
	uint32_t hres_res_nsec;
	uint32_t coarse_res_nsec;
	/* gettimeofday's timezone (settimeofday's, else zeros). */
	int32_t tz_minuteswest;
	int32_t tz_dsttime;
#endif
};

/*
 * Division of a 64-bit count.  The vDSO of a 32-bit port defines its own
 * before including this header (no libgcc there); everything else divides
 * in C.
 */
#ifndef VDSO_HAVE_DIV64
static inline uint64_t
vdso_div64_rem(uint64_t n, uint64_t d, uint64_t *rem)
{
	*rem = n % d;
	return n / d;
}
#endif

/*
 * A count of the counter as seconds and nanoseconds since it started:
 * count / hz whole seconds, and the rest as floor(rest * 10^9 / hz),
 * which is below 10^9.  Together exactly floor(count * 10^9 / hz).
 */
static inline void
vdso_count_to_ts(uint64_t count, uint64_t hz, uint64_t *sec, uint32_t *nsec)
{
	uint64_t rest, unused;

	*sec = vdso_div64_rem(count, hz, &rest);
	*nsec = (uint32_t)vdso_div64_rem(rest * VDSO_NSEC_PER_SEC, hz, &unused);
}

#endif
