/*
 * The scheduler's preemption point for host tests of code that takes
 * spinlocks but runs without the scheduler (mm/): one host thread is never
 * preempted.  The scheduler's own host test links kernel/sched.c instead.
 */
#include <kernel/cpu.h>

void
preempt_schedule(void)
{
}
