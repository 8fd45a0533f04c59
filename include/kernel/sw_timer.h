/*
 * Software timers: one-shot and periodic callbacks run by a timer thread
 * (kernel/sw_timer.c), as FreeRTOS's and CMSIS-RTOS's timers.  Kernel
 * timers (<kernel/timer.h>) call their functions in the tick interrupt;
 * these hand the call to thread "timers" at the highest priority, so a
 * callback may sleep, take mutexes and send to queues.  Callbacks run one
 * at a time, in the order their timers fired; a periodic timer stays on
 * its first deadline's grid (no drift), and a period that ends before
 * the callback of the last one ran is counted in overruns instead of
 * queueing a second call.  CONFIG_SW_TIMERS.
 */
#ifndef KERNEL_SW_TIMER_H
#define KERNEL_SW_TIMER_H

#include <kernel/list.h>
#include <kernel/timer.h>
#include <kernel/types.h>

struct thread;

struct sw_timer {
	struct timer timer;		/* the tick's, which queues this one */
	void (*fn)(struct sw_timer *t);
	uint64_t period_ns;		/* 0: one-shot (sw_timer_lock) */
	struct list_head node;		/* sw_timer_lock: fired, waiting for the thread */
	unsigned int overruns;		/* sw_timer_lock: periods whose call was merged */
	bool armed;			/* sw_timer_lock: started, not stopped or spent */
};

void sw_timer_init(struct sw_timer *t, void (*fn)(struct sw_timer *t));
/*
 * Call fn delay_ns from now, then every period_ns (0: once).  Restarting
 * an armed timer moves it (a call it had queued is dropped).  From
 * threads or interrupts; -ENXIO when there is no timer thread.
 */
int sw_timer_start(struct sw_timer *t, uint64_t delay_ns, uint64_t period_ns);
/*
 * Stop it: true if that prevented a call (armed, or fired and waiting).
 * A call already running finishes; from its own callback this stops the
 * next ones.
 */
bool sw_timer_stop(struct sw_timer *t);
bool sw_timer_armed(struct sw_timer *t);

/* Start the timer thread (boot, after the scheduler). */
void sw_timers_init(void);
/*
 * The thread callbacks run in (NULL without one), to set its priority
 * or tell it apart: FreeRTOS's xTimerGetTimerDaemonTaskHandle().
 */
struct thread *sw_timer_thread(void);

#endif
