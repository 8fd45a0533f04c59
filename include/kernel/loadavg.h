/*
 * The load average (kernel/loadavg.c): Linux's exponentially damped
 * averages over 1, 5 and 15 minutes of the threads running, ready or in
 * an uninterruptible sleep, sampled every 5 seconds, in Linux's fixed
 * point (FSHIFT fraction bits).  sysinfo and /proc/loadavg read it.
 */
#ifndef KERNEL_LOADAVG_H
#define KERNEL_LOADAVG_H

#define FSHIFT		11		/* fraction bits */
#define FIXED_1		(1UL << FSHIFT)
#define LOAD_INT(x)	((x) >> FSHIFT)
#define LOAD_FRAC(x)	LOAD_INT(((x) & (FIXED_1 - 1)) * 100)

/* The boot CPU's tick: a new sample when 5 seconds have passed. */
void loadavg_tick(void);
/* The three averages, each plus offset and shifted left by shift, as Linux's get_avenrun(). */
void loadavg_get(unsigned long loads[3], unsigned long offset, int shift);

#endif
