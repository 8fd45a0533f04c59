/*
 * The AArch64 vDSO's clock entry points, under Linux's names and version
 * (LINUX_2.6.39, vdso.ver), which glibc 2.36 looks up: the work is
 * lib/vdso/gettime.c's.
 */
#include "vdso_arch.h"
#include "vdso/gettime.c"

int __kernel_clock_gettime(int clk, struct vdso_timespec_long *ts);
int __kernel_clock_getres(int clk, struct vdso_timespec_long *res);
int __kernel_gettimeofday(struct vdso_timeval *tv, struct vdso_timezone *tz);

int
__kernel_clock_gettime(int clk, struct vdso_timespec_long *ts)
{
	return vdso_clock_gettime_long(clk, ts);
}

int
__kernel_clock_getres(int clk, struct vdso_timespec_long *res)
{
	return vdso_clock_getres_long(clk, res);
}

int
__kernel_gettimeofday(struct vdso_timeval *tv, struct vdso_timezone *tz)
{
	return vdso_gettimeofday(tv, tz);
}
