/*
 * Preemption control for host tests of code that takes spinlocks but
 * runs without the scheduler (mm/): one host thread is never preempted,
 * so there is nothing to count.  The scheduler's own host test links
 * kernel/sched.c instead.
 */
#include <kernel/thread.h>

void
preempt_disable(void)
{
}

void
preempt_enable(void)
{
}

void
preempt_point(void)
{
}
