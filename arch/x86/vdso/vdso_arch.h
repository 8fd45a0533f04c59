/*
 * The x86 vDSOs' port half (lib/vdso/gettime.c is the rest), for x86_64
 * and i386: the time-stamp counter, which is the kernel's clock source
 * on both (arch/x86/tsc.c) and which user mode may read (CR4.TSD clear),
 * and the system call for whatever the vDSO does not serve.
 */
#ifndef VDSO_ARCH_H
#define VDSO_ARCH_H

#include <stdint.h>

#ifdef __x86_64__

#define VDSO_NR_time		201
#define VDSO_NR_gettimeofday	96
#define VDSO_NR_clock_gettime	228
#define VDSO_NR_clock_getres	229

/* LFENCE first (SSE2, always there on x86_64): RDTSC does not run ahead of earlier loads. */
static inline uint64_t
vdso_read_counter(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("lfence\n\trdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return (uint64_t)hi << 32 | lo;
}

static inline long
vdso_syscall2(long nr, long a0, long a1)
{
	long ret;

	__asm__ __volatile__("syscall" : "=a"(ret) : "0"(nr), "D"(a0), "S"(a1)
			     : "rcx", "r11", "memory");
	return ret;
}

#else /* i386 */

#define VDSO_NR_time		13
#define VDSO_NR_gettimeofday	78
#define VDSO_NR_clock_gettime	265	/* clock_gettime with 32-bit times */
#define VDSO_NR_clock_getres	266
#define VDSO_NR_clock_gettime64	403

/*
 * Plain RDTSC, as the kernel's own clock source reads it: an i686 need
 * not have LFENCE (SSE2).
 */
static inline uint64_t
vdso_read_counter(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return (uint64_t)hi << 32 | lo;
}

static inline long
vdso_syscall2(long nr, long a0, long a1)
{
	long ret;

	__asm__ __volatile__("int $0x80" : "=a"(ret) : "0"(nr), "b"(a0), "c"(a1) : "memory");
	return ret;
}

/*
 * 64-bit division without libgcc: two DIVLs when the divisor (the
 * counter's rate) fits 32 bits, as it does below 4.3 GHz; long division
 * otherwise.
 */
#define VDSO_HAVE_DIV64
static inline uint64_t
vdso_div64_rem(uint64_t n, uint64_t d, uint64_t *rem)
{
	uint32_t hi = (uint32_t)(n >> 32), lo = (uint32_t)n, qhi, qlo, r;
	uint64_t q = 0, rr = 0;

	if (d >> 32) {
		for (int i = 63; i >= 0; i--) {
			rr = rr << 1 | (n >> i & 1);
			if (rr >= d) {
				rr -= d;
				q |= 1ull << i;
			}
		}
		*rem = rr;
		return q;
	}
	qhi = hi / (uint32_t)d;
	r = hi % (uint32_t)d;
	__asm__("divl %4" : "=a"(qlo), "=d"(r) : "a"(lo), "d"(r), "rm"((uint32_t)d));
	*rem = r;
	return (uint64_t)qhi << 32 | qlo;
}

#endif

static inline void
vdso_cpu_relax(void)
{
	__asm__ __volatile__("pause" ::: "memory");
}

#endif
