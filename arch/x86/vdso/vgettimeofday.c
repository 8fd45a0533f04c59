/*
 * The x86 vDSOs' clock entry points, under Linux's names and version
 * (LINUX_2.6, vdso64.ver / vdso32.ver), which glibc 2.36 looks up: the
 * work is lib/vdso/gettime.c's.  i386 has both clock_gettime layouts;
 * x86_64 also answers getcpu.
 */
#include "vdso_arch.h"
#include "vdso/gettime.c"

int __vdso_clock_gettime(int clk, struct vdso_timespec_long *ts);
int __vdso_clock_getres(int clk, struct vdso_timespec_long *res);
int __vdso_gettimeofday(struct vdso_timeval *tv, struct vdso_timezone *tz);
long __vdso_time(long *t);

int
__vdso_clock_gettime(int clk, struct vdso_timespec_long *ts)
{
	return vdso_clock_gettime_long(clk, ts);
}

int
__vdso_clock_getres(int clk, struct vdso_timespec_long *res)
{
	return vdso_clock_getres_long(clk, res);
}

int
__vdso_gettimeofday(struct vdso_timeval *tv, struct vdso_timezone *tz)
{
	return vdso_gettimeofday(tv, tz);
}

long
__vdso_time(long *t)
{
	return vdso_time(t);
}

#ifdef __x86_64__
#include <asm/segment.h>

long __vdso_getcpu(unsigned int *cpu, unsigned int *node, void *unused);

/*
 * The CPU and node numbers, from the limit of this CPU's CPUNODE_SEL
 * segment (arch/x86/desc.c): LSL is allowed in user mode and needs no
 * system call.  Linux's layout: CPU in bits 0-11, node above.
 */
long
__vdso_getcpu(unsigned int *cpu, unsigned int *node, void *unused)
{
	unsigned int p;

	(void)unused;
	__asm__ __volatile__("lsl %1, %0" : "=r"(p) : "r"((unsigned int)CPUNODE_SEL));
	if (cpu)
		*cpu = p & 0xfff;
	if (node)
		*node = p >> 12;
	return 0;
}
#else
int __vdso_clock_gettime64(int clk, struct vdso_timespec64 *ts);

int
__vdso_clock_gettime64(int clk, struct vdso_timespec64 *ts)
{
	return vdso_clock_gettime64(clk, ts);
}
#endif
