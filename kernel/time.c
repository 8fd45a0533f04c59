/*
 * Time keeping: the best registered clock source gives time_ns(), the
 * best clock event device drives the periodic tick at CONFIG_HZ, on every
 * CPU when it is a per-CPU device.  The boot CPU's tick counts jiffies
 * and notes the time of the tick (the coarse clocks); every CPU's runs
 * its own timers and time slices.
 *
 * The real-time clock (CLOCK_REALTIME) is time_ns() plus an offset: the
 * RTC's time at boot (rtc_hctosys()), moved by settimeofday and
 * clock_settime.
 *
 * jiffies, the tick's time and the offset are 64 bits, which a 32-bit CPU
 * cannot read in one access while another CPU writes them: readers retry
 * around a sequence count.
 */
#define pr_fmt(fmt) "time: " fmt

#include <arch/cpu.h>
#include <kernel/atomic.h>
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/time.h>
#ifdef CONFIG_THREADS
#include <kernel/thread.h>
#include <kernel/timer.h>
#include <kernel/watchdog.h>
#endif
#ifdef CONFIG_PROCESSES
#include <kernel/cputime.h>
#endif

static struct clocksource *clock;
static struct clockevent *tick_device;
static uint64_t jiffies;		/* written by CPU 0's tick only */
#ifdef CONFIG_PROCESSES
static uint64_t tick_ns;		/* time_ns() at that tick (the coarse clocks); jiffies_seq */
#endif
static unsigned int jiffies_seq;	/* odd while jiffies changes */

/*
 * Real time minus time_ns(), in nanoseconds; never negative (as in
 * Linux, the real time cannot be set before the boot).  Writers make
 * realtime_seq odd with a compare-and-swap (that is their lock),
 * interrupts masked so that no reader on the same CPU spins on them.
 */
static uint64_t realtime_offset;
static unsigned int realtime_seq;

void
clocksource_register(struct clocksource *cs)
{
	if (clock && clock->rating >= cs->rating)
		return;
	clock = cs;
	pr_info("clock source %s, %llu.%03llu MHz\n", cs->name,
		(unsigned long long)(cs->freq_hz / 1000000),
		(unsigned long long)(cs->freq_hz / 1000 % 1000));
}

void
clockevent_register(struct clockevent *ce)
{
	if (tick_device && tick_device->rating >= ce->rating)
		return;
	tick_device = ce;
}

const struct clocksource *
clocksource_current(void)
{
	return clock;
}

const struct clockevent *
clockevent_current(void)
{
	return tick_device;
}

/* Exact conversion without overflow: split into seconds and remainder. */
static uint64_t
count_to_ns(uint64_t count, uint64_t freq)
{
	return count / freq * NSEC_PER_SEC + count % freq * NSEC_PER_SEC / freq;
}

uint64_t
time_ns(void)
{
	struct clocksource *cs = clock;

	if (!cs)
		return 0;
	return count_to_ns(cs->read(cs), cs->freq_hz);
}

uint64_t
time_count(void)
{
	struct clocksource *cs = clock;

	return cs ? cs->read(cs) : 0;
}

uint64_t
time_count_to_ns(uint64_t count)
{
	struct clocksource *cs = clock;

	return cs ? count_to_ns(count, cs->freq_hz) : 0;
}

uint64_t
time_resolution_ns(void)
{
	struct clocksource *cs = clock;

	if (!cs || cs->freq_hz >= NSEC_PER_SEC)
		return 1;
	return (NSEC_PER_SEC + cs->freq_hz - 1) / cs->freq_hz;
}

/* *p as it was while no writer held *seq odd. */
static uint64_t
seq_read_u64(const uint64_t *p, const unsigned int *seq)
{
	unsigned int s;
	uint64_t v;

	do {
		s = load_acquire(seq);
		v = READ_ONCE(*p);
		smp_rmb();
	} while ((s & 1) || s != READ_ONCE(*seq));
	return v;
}

uint64_t
jiffies_read(void)
{
	return seq_read_u64(&jiffies, &jiffies_seq);
}

#ifdef CONFIG_PROCESSES
uint64_t
time_coarse_ns(void)
{
	return seq_read_u64(&tick_ns, &jiffies_seq);
}
#endif

void
timer_tick(void)
{
	if (cpu_id() == 0) {
		WRITE_ONCE(jiffies_seq, jiffies_seq + 1);
		smp_wmb();
		WRITE_ONCE(jiffies, jiffies + 1);
#ifdef CONFIG_PROCESSES
		WRITE_ONCE(tick_ns, time_ns());
#endif
		store_release(&jiffies_seq, jiffies_seq + 1);
	}
#ifdef CONFIG_THREADS
#ifdef CONFIG_PROCESSES
	process_tick();			/* CPU time, CPU-time timers, the load average */
#endif
	timers_run(time_ns());		/* sleeps and timeouts */
	sched_tick();			/* time slices, balancing */
	watchdog_tick();		/* lockups: counted in ticks */
#endif
}

/* ------------------------------------------------------------ real time */

static int64_t
realtime_offset_read(void)
{
	return (int64_t)seq_read_u64(&realtime_offset, &realtime_seq);
}

int64_t
realtime_ns(void)
{
	return realtime_offset_read() + (int64_t)time_ns();
}

#ifdef CONFIG_PROCESSES
int64_t
realtime_coarse_ns(void)
{
	return realtime_offset_read() + (int64_t)time_coarse_ns();
}
#endif

int64_t
boottime_real_ns(void)
{
	return realtime_offset_read();
}

void
ns_to_timespec64(int64_t ns, struct timespec64 *ts)
{
	int64_t sec = ns / (int64_t)NSEC_PER_SEC, rem = ns % (int64_t)NSEC_PER_SEC;

	if (rem < 0) {
		sec--;
		rem += NSEC_PER_SEC;
	}
	ts->tv_sec = sec;
	ts->tv_nsec = (long)rem;
}

void
realtime_ts64(struct timespec64 *ts)
{
	ns_to_timespec64(realtime_ns(), ts);
}

bool
timespec64_valid(const struct timespec64 *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && (uint64_t)ts->tv_nsec < NSEC_PER_SEC;
}

bool
timespec64_valid_settod(const struct timespec64 *ts)
{
	return timespec64_valid(ts) && ts->tv_sec < TIME_SETTOD_SEC_MAX;
}

/*
 * Apply change(offset, now, arg) to the offset as one step against the
 * monotonic time now: 0, or its error with nothing changed.
 */
static int
realtime_update(int (*change)(int64_t *offset, int64_t now, const void *arg), const void *arg)
{
	unsigned long flags = arch_irq_save();
	unsigned int seq;
	int64_t off;
	int err;

	for (;;) {
		seq = READ_ONCE(realtime_seq);
		if (!(seq & 1) && atomic_cmpxchg(&realtime_seq, &seq, seq + 1))
			break;
		arch_cpu_relax();
	}
	off = (int64_t)realtime_offset;
	err = change(&off, (int64_t)time_ns(), arg);
	if (!err)
		WRITE_ONCE(realtime_offset, (uint64_t)off);
	store_release(&realtime_seq, seq + 2);
	arch_irq_restore(flags);
	return err;
}

static int
set_to(int64_t *offset, int64_t now, const void *arg)
{
	const struct timespec64 *ts = arg;
	int64_t want = ts->tv_sec * (int64_t)NSEC_PER_SEC + ts->tv_nsec;

	/* Linux refuses a time before the boot, as seen on the monotonic clock. */
	if (want < now)
		return -EINVAL;
	*offset = want - now;
	return 0;
}

int
realtime_set(const struct timespec64 *ts)
{
	if (!timespec64_valid_settod(ts))
		return -EINVAL;
	return realtime_update(set_to, ts);
}

static int
shift_by(int64_t *offset, int64_t now, const void *arg)
{
	int64_t delta = *(const int64_t *)arg, off = *offset + delta;

	if (off < 0 || off + now >= TIME_SETTOD_SEC_MAX * (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	*offset = off;
	return 0;
}

int
realtime_shift(int64_t delta_ns)
{
	return realtime_update(shift_by, &delta_ns);
}

void
udelay(uint64_t us)
{
	uint64_t end;

	if (!clock)
		panic("udelay before any clock source");
	end = time_ns() + us * NSEC_PER_USEC;
	while (time_ns() < end)
		;
}

bool
time_has_clock(void)
{
	return clock != NULL;
}

void
time_init(void)
{
	int err;

	if (!clock)
		panic("no clock source: no timer device was found and bound");
	if (!tick_device)
		panic("no periodic timer: no timer device was found and bound");
	err = tick_device->start_periodic(tick_device, CONFIG_HZ);
	if (err)
		panic("%s: cannot start the periodic tick (%d)", tick_device->name, err);
	pr_info("tick: %s at %d Hz\n", tick_device->name, CONFIG_HZ);
}

int
time_cpu_init(void)
{
	if (!tick_device || !tick_device->per_cpu)
		return -ENODEV;
	return tick_device->start_periodic(tick_device, CONFIG_HZ);
}
