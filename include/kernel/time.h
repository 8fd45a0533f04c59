/*
 * Time keeping: a clock source gives a monotonic count, a clock event
 * device interrupts periodically at CONFIG_HZ and calls timer_tick().
 * Both are drivers that register themselves here.  The real-time clock
 * (time of day) is the monotonic clock plus an offset that the RTC sets
 * at boot and settimeofday moves.
 */
#ifndef KERNEL_TIME_H
#define KERNEL_TIME_H

#include <kernel/types.h>
#include <vdso/datapage.h>

#define NSEC_PER_SEC	1000000000ULL
#define NSEC_PER_MSEC	1000000ULL
#define NSEC_PER_USEC	1000ULL
#define USEC_PER_SEC	1000000ULL

/*
 * Linux's bound on settable times (KTIME_SEC_MAX less 30 years of
 * uptime): a real time in nanoseconds stays within 64 bits.
 */
#define KTIME_SEC_MAX		(INT64_MAX / (int64_t)NSEC_PER_SEC)
#define TIME_SETTOD_SEC_MAX	(KTIME_SEC_MAX - 30LL * 365 * 24 * 3600)

/*
 * A driver's description of its counter, constant (flash on a
 * microcontroller); the rate, which drivers learn at probe time, goes to
 * clocksource_register().
 */
struct clocksource {
	const char *name;
	/* Monotonic, never wraps within the machine's life (64-bit). */
	uint64_t (*read)(const struct clocksource *cs);
	int rating;			/* the highest registered wins */
	/*
	 * VDSO_CLOCK_COUNTER when user mode reads the same count (the
	 * port's counter: CNTVCT_EL0, RDTSC) and the vDSO may, else
	 * VDSO_CLOCK_NONE (0): the vDSO's clocks make system calls.
	 */
	uint32_t vdso_mode;
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
	int (*start_periodic)(const struct clockevent *ce, unsigned int hz);
	/*
	 * Tickless idle (optional, CONFIG_TICKLESS_IDLE): the next interrupt
	 * no sooner than ns from now, as far as the device reaches; 0: back
	 * to the periodic rate.  The clock source must stay right across.
	 */
	int (*set_idle)(const struct clockevent *ce, uint64_t ns);
	int rating;
	bool per_cpu;
};

/* cs counts freq_hz (> 0) a second; it and ce stay registered for good. */
void clocksource_register(const struct clocksource *cs, uint64_t freq_hz);
void clockevent_register(const struct clockevent *ce);
const struct clocksource *clocksource_current(void);
const struct clockevent *clockevent_current(void);

#ifdef CONFIG_TICKLESS_IDLE
/*
 * The idle thread, interrupts masked throughout: stop the tick until the
 * next timer is due (false: it keeps ticking), wait, and restart it with
 * jiffies brought up to the time that passed before the interrupt that
 * woke the CPU is taken.  No handler sees the tick stopped.
 */
bool tick_idle_enter(void);
void tick_idle_restart(void);
#endif

/* Nanoseconds since the clock source started; 0 before there is one. */
uint64_t time_ns(void);

/*
 * The clock source's raw count, and a count (or a difference of two) in
 * nanoseconds: for hot paths that measure often and convert seldom.
 */
uint64_t time_count(void);
uint64_t time_count_to_ns(uint64_t count);
/* time_count()'s rate in Hz; 0 before there is a clock source. */
uint64_t time_count_hz(void);
/* How far apart two different readings of time_ns() are at least (>= 1). */
uint64_t time_resolution_ns(void);
/*
 * time_ns() as it was at the boot CPU's last tick: cheap, and behind by
 * up to a tick period (CLOCK_MONOTONIC_COARSE); 0 before the first tick.
 * CONFIG_PROCESSES: only the system calls' coarse clocks want it.
 */
uint64_t time_coarse_ns(void);

/* Nanoseconds since the epoch (CLOCK_REALTIME), and its coarse form. */
int64_t realtime_ns(void);
int64_t realtime_coarse_ns(void);
void realtime_ts64(struct timespec64 *ts);
/* The real time of time_ns() == 0: when the machine booted (/proc/stat btime). */
int64_t boottime_real_ns(void);
/*
 * Set the real time to ts: 0, or -EINVAL when ts is not a valid time
 * (timespec64_valid_settod()) or lies before the boot.  The caller checks
 * permission.  realtime_shift() moves it by delta_ns instead (the same
 * limits).
 */
int realtime_set(const struct timespec64 *ts);
int realtime_shift(int64_t delta_ns);

/* Linux's checks: seconds >= 0 and 0 <= nanoseconds < 10^9 ... */
bool timespec64_valid(const struct timespec64 *ts);
/* ... and, to set the clock, seconds below TIME_SETTOD_SEC_MAX. */
bool timespec64_valid_settod(const struct timespec64 *ts);
/* ns split into seconds and 0 <= nanoseconds < 10^9 (rounding down). */
void ns_to_timespec64(int64_t ns, struct timespec64 *ts);

/*
 * Move the time data (the clock source's rate, the real-time offset, the
 * coarse clocks, the timezone) to page, which the vDSO maps: once, at
 * boot, before the tick starts (kernel/vdso.c).
 */
void time_data_attach(struct vdso_time_data *page);
/* gettimeofday's timezone, as settimeofday set it (kept in the time data). */
void time_set_timezone(int minuteswest, int dsttime);

/* Ticks since the periodic timer started. */
uint64_t jiffies_read(void);
void timer_tick(void);

/* Starts the periodic tick; panics when the board has no timer driver. */
void time_init(void);
/* Starts a secondary CPU's tick (per_cpu devices); 0 or -errno. */
int time_cpu_init(void);

/* Busy-wait (interrupts may be off); needs a clock source. */
void udelay(uint64_t us);
/* A clock source is bound: time_ns() and udelay() work. */
bool time_has_clock(void);

#endif
