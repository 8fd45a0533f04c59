/*
 * Time keeping: a clock source gives a monotonic count, a clock event
 * device interrupts periodically at CONFIG_HZ and calls timer_tick().
 * Both are drivers that register themselves here.
 */
#ifndef KERNEL_TIME_H
#define KERNEL_TIME_H

#include <kernel/types.h>

#define NSEC_PER_SEC	1000000000ULL
#define NSEC_PER_MSEC	1000000ULL
#define NSEC_PER_USEC	1000ULL

struct clocksource {
	const char *name;
	uint64_t freq_hz;
	/* Monotonic, never wraps within the machine's life (64-bit). */
	uint64_t (*read)(struct clocksource *cs);
	int rating;			/* the highest registered wins */
	void *priv;
};

struct clockevent {
	const char *name;
	/*
	 * Interrupt hz times a second, calling timer_tick() each time.  A
	 * per_cpu device (the ARM generic timer, the local APIC timer) is a
	 * timer in every CPU: start_periodic() is called on each CPU and
	 * starts that CPU's.  Otherwise one timer interrupts one CPU, and a
	 * multiprocessor cannot use it for the others.
	 */
	int (*start_periodic)(struct clockevent *ce, unsigned int hz);
	int rating;
	bool per_cpu;
	void *priv;
};

void clocksource_register(struct clocksource *cs);
void clockevent_register(struct clockevent *ce);
const struct clocksource *clocksource_current(void);
const struct clockevent *clockevent_current(void);

/* Nanoseconds since the clock source started; 0 before there is one. */
uint64_t time_ns(void);

/* Ticks since the periodic timer started. */
uint64_t jiffies_read(void);
void timer_tick(void);

/* Starts the periodic tick; panics when the board has no timer driver. */
void time_init(void);
/* Starts a secondary CPU's tick (per_cpu devices); 0 or -errno. */
int time_cpu_init(void);

/* Busy-wait (interrupts may be off); needs a clock source. */
void udelay(uint64_t us);

#endif
