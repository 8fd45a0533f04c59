/*
 * The lockup detector (kernel/watchdog.c, CONFIG_WATCHDOG): soft and hard
 * lockups counted in timer ticks, hung tasks, reported as Linux does.
 */
#ifndef KERNEL_WATCHDOG_H
#define KERNEL_WATCHDOG_H

#include <kernel/cpu.h>
#include <kernel/types.h>

#ifdef CONFIG_WATCHDOG
/* Read the command line, arm the per-CPU checks, start khungtaskd. */
void watchdog_init(void);
/* Each CPU's timer tick (kernel/time.c), in the interrupt. */
void watchdog_tick(void);
/* A return to user mode on this CPU: progress (kernel/entry.c). */
void watchdog_touch(void);
/* The same from a caller that has interrupts masked (exit_to_user, every return). */
static inline void
watchdog_touch_irqs_off(void)
{
	this_cpu()->user_returns++;
}
/*
 * Soft-lockup reports made so far, for tests.  Only these: a hard lockup
 * compares one vCPU's ticks with another's, which a loaded host can skew
 * for the few ticks a test's shortened threshold allows.
 */
unsigned long watchdog_soft_reports(void);
/* Ticks without progress before a report; tests shorten it (0: off). */
void watchdog_set_thresh_ticks(uint64_t ticks);
uint64_t watchdog_thresh_ticks(void);
#else
static inline void watchdog_init(void) { }
static inline void watchdog_tick(void) { }
static inline void watchdog_touch(void) { }
static inline void watchdog_touch_irqs_off(void) { }
#endif

#endif
