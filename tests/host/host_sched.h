/*
 * What the host port offers scheduler tests: booting the scheduler over a
 * fake clock, simulated timer interrupts, and a counted kmalloc.
 */
#ifndef HOST_SCHED_H
#define HOST_SCHED_H

#include <stdint.h>

/* One tick of the fake clock: 1 / CONFIG_HZ (100 in host_rename.h). */
#define HOST_TICK_NS	10000000ULL

/*
 * Register the fake clock, make the caller thread "main" and start the
 * scheduler with its idle thread (sched_init, sched_start).  Once only:
 * later calls do nothing.
 */
void host_sched_boot(void);

/*
 * A timer interrupt, now, in the calling thread: the clock advances one
 * tick and the kernel's interrupt path runs (timers, time slice), which
 * may switch to another thread before this returns.  Interrupts must be
 * enabled.  The idle thread calls it in arch_wait_for_irq().
 */
void host_irq_tick(void);

/* host_kmalloc.c: live allocations and bytes, and failure injection. */
unsigned long host_kmalloc_live(void);
unsigned long host_kmalloc_live_bytes(void);
/* Make the n-th kmalloc() from now fail (1: the next one; 0: none). */
void host_kmalloc_fail_nth(unsigned int n);
/*
 * Called at the start of every kmalloc(), when set: a test can deliver a
 * timer interrupt there (host_irq_tick(), if interrupts are enabled), so
 * threads are preempted inside the code under test, wherever it allocates.
 */
extern void (*host_kmalloc_hook)(void);

#endif
