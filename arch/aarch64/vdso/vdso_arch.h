/*
 * The AArch64 vDSO's port half (lib/vdso/gettime.c is the rest): the
 * virtual counter, which CNTKCTL_EL1.EL0VCTEN opens to user mode on every
 * CPU (drivers/timer/arm_arch_timer.c), and the system call for whatever
 * the vDSO does not serve.
 */
#ifndef VDSO_ARCH_H
#define VDSO_ARCH_H

#include <stdint.h>

#define VDSO_NR_clock_gettime	113
#define VDSO_NR_clock_getres	114
#define VDSO_NR_gettimeofday	169

/* CNTVCT_EL0 as the kernel's clock source reads it: after an ISB, so not early. */
static inline uint64_t
vdso_read_counter(void)
{
	uint64_t v;

	__asm__ __volatile__("isb\n\tmrs %0, cntvct_el0" : "=r"(v) :: "memory");
	return v;
}

static inline void
vdso_cpu_relax(void)
{
	__asm__ __volatile__("yield" ::: "memory");
}

static inline long
vdso_syscall2(long nr, long a0, long a1)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a0;
	register long x1 __asm__("x1") = a1;

	__asm__ __volatile__("svc #0" : "+r"(x0) : "r"(x8), "r"(x1) : "memory");
	return x0;
}

#endif
