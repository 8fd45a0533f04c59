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
 * The offset, the time of the last tick, the clock source's rate and the
 * timezone are the time data (<vdso/datapage.h>), which the vDSO reads
 * in user space from the same page (kernel/vdso.c maps it): one copy, so
 * a system call and the vDSO always agree.  They and jiffies are 64
 * bits, which a 32-bit CPU cannot read in one access while another CPU
 * writes them: readers retry around a sequence count.
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

static const struct clocksource *clock;	/* its rate: time_data->counter_hz */
static const struct clockevent *tick_device;
static uint64_t jiffies;		/* written by CPU 0's tick only */
static unsigned int jiffies_seq;	/* odd while jiffies changes */

/*
 * The time data: here until time_data_attach() moves it to the page the
 * vDSO maps.  real_offset_ns is the real time minus time_ns(), never
 * negative (as in Linux, the real time cannot be set before the boot).
 * Writers make time_data->seq odd with a compare-and-swap (that is their
 * lock), interrupts masked so that no reader on the same CPU spins on
 * them.
 */
static struct vdso_time_data boot_time_data;
static struct vdso_time_data *time_data = &boot_time_data;

static unsigned long
time_data_write_begin(void)
{
	unsigned long flags = arch_irq_save();
	unsigned int seq;

	for (;;) {
		seq = READ_ONCE(time_data->seq);
		if (!(seq & 1) && atomic_cmpxchg(&time_data->seq, &seq, seq + 1))
			break;
		arch_cpu_relax();
	}
	smp_wmb();
	return flags;
}

static void
time_data_write_end(unsigned long flags)
{
	store_release(&time_data->seq, time_data->seq + 1);
	arch_irq_restore(flags);
}

static uint32_t
time_data_read_begin(void)
{
	uint32_t seq;

	while ((seq = load_acquire(&time_data->seq)) & 1)
		arch_cpu_relax();
	return seq;
}

static bool
time_data_read_retry(uint32_t seq)
{
	smp_rmb();
	return READ_ONCE(time_data->seq) != seq;
}

void
time_data_attach(struct vdso_time_data *page)
{
	unsigned long flags = time_data_write_begin();

	*page = *time_data;		/* seq odd: ours until the store below */
	WRITE_ONCE(time_data, page);
	time_data_write_end(flags);
}

static uint64_t time_resolution(uint64_t freq_hz);

void
clocksource_register(const struct clocksource *cs, uint64_t freq_hz)
{
	unsigned long flags;

	if (freq_hz == 0) {
		pr_err("clock source %s has no rate\n", cs->name);
		return;
	}
	if (clock && clock->rating >= cs->rating)
		return;
	/*
	 * The rate first: a reader that sees cs sees its rate (drivers
	 * register at boot, before there are other CPUs to read the time).
	 */
	flags = time_data_write_begin();
	time_data->clock_mode = cs->vdso_mode;
	time_data->counter_hz = freq_hz;
#if VDSO_TIME_DATA_USER
	time_data->hres_res_nsec = (uint32_t)time_resolution(freq_hz);
	time_data->coarse_res_nsec = (uint32_t)((NSEC_PER_SEC + CONFIG_HZ / 2) / CONFIG_HZ);
#endif
	store_release(&clock, cs);
	time_data_write_end(flags);
	pr_info("clock source %s, %llu.%03llu MHz\n", cs->name,
		(unsigned long long)(freq_hz / 1000000),
		(unsigned long long)(freq_hz / 1000 % 1000));
}

void
clockevent_register(const struct clockevent *ce)
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
	const struct clocksource *cs = clock;

	if (!cs)
		return 0;
	return count_to_ns(cs->read(cs), time_data->counter_hz);
}

uint64_t
time_count(void)
{
	const struct clocksource *cs = clock;

	return cs ? cs->read(cs) : 0;
}

uint64_t
time_count_to_ns(uint64_t count)
{
	return clock ? count_to_ns(count, time_data->counter_hz) : 0;
}

uint64_t
time_count_hz(void)
{
	return clock ? time_data->counter_hz : 0;
}

static uint64_t
time_resolution(uint64_t freq_hz)
{
	if (freq_hz == 0 || freq_hz >= NSEC_PER_SEC)
		return 1;
	return (NSEC_PER_SEC + freq_hz - 1) / freq_hz;
}

uint64_t
time_resolution_ns(void)
{
	return time_resolution(time_count_hz());
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
	uint64_t ns;
	uint32_t seq;

	do {
		seq = time_data_read_begin();
		ns = time_data->coarse_ns;
	} while (time_data_read_retry(seq));
	return ns;
}

/* The coarse clocks move to now, the time of this tick. */
static void
time_data_tick(uint64_t now)
{
	unsigned long flags = time_data_write_begin();
	uint64_t sec;
	uint32_t nsec;

	vdso_count_to_ts(now, NSEC_PER_SEC, &sec, &nsec);
	time_data->coarse_ns = now;
	time_data->coarse_sec = (int64_t)sec;
	time_data->coarse_nsec = nsec;
	time_data_write_end(flags);
}
#endif

/* CPU 0's tick, and tickless idle catching up. */
static void
jiffies_set(uint64_t j)
{
	WRITE_ONCE(jiffies_seq, jiffies_seq + 1);
	smp_wmb();
	WRITE_ONCE(jiffies, j);
	store_release(&jiffies_seq, jiffies_seq + 1);
}

#ifdef CONFIG_TICKLESS_IDLE
#define TICK_NS		(NSEC_PER_SEC / CONFIG_HZ)

static uint64_t tick_base_ns;		/* time_ns() when jiffies was 0 */

bool
tick_idle_enter(void)
{
	uint64_t now, next;

	if (!tick_device || !tick_device->set_idle)
		return false;
	now = time_ns();
	next = timers_next_deadline();
	if (next <= now + 2 * TICK_NS)
		return false;		/* a tick or two away: not worth a reprogram */
	return tick_device->set_idle(tick_device, next - now) == 0;
}

void
tick_idle_restart(void)
{
	uint64_t elapsed;

	tick_device->set_idle(tick_device, 0);
	/*
	 * The ticks that did not come.  One less than the periods passed:
	 * when the pending interrupt is the tick that ended the idle stretch,
	 * its timer_tick() counts the last one.
	 */
	elapsed = (time_ns() - tick_base_ns) / TICK_NS;
	if (elapsed > jiffies + 1)
		jiffies_set(elapsed - 1);
}
#endif

void
timer_tick(void)
{
	if (cpu_id() == 0) {
		jiffies_set(jiffies + 1);
#ifdef CONFIG_PROCESSES
		time_data_tick(time_ns());
#endif
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
	int64_t off;
	uint32_t seq;

	do {
		seq = time_data_read_begin();
		off = time_data->real_offset_ns;
	} while (time_data_read_retry(seq));
	return off;
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
	int64_t ns;
	uint32_t seq;

	do {
		seq = time_data_read_begin();
		ns = time_data->real_offset_ns + (int64_t)time_data->coarse_ns;
	} while (time_data_read_retry(seq));
	return ns;
}

void
time_set_timezone(int minuteswest, int dsttime)
{
	unsigned long flags = time_data_write_begin();

	time_data->tz_minuteswest = minuteswest;
	time_data->tz_dsttime = dsttime;
	time_data_write_end(flags);
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

#if VDSO_TIME_DATA_USER
/* The offset again, split for the vDSO, which then divides nothing. */
static void
time_data_split_offset(void)
{
	uint64_t sec;
	uint32_t nsec;

	vdso_count_to_ts((uint64_t)time_data->real_offset_ns, NSEC_PER_SEC, &sec, &nsec);
	time_data->real_offset_sec = (int64_t)sec;
	time_data->real_offset_nsec = nsec;
}
#else
static void
time_data_split_offset(void)
{
}
#endif

/*
 * Apply change(offset, now, arg) to the offset as one step against the
 * monotonic time now: 0, or its error with nothing changed.
 */
static int
realtime_update(int (*change)(int64_t *offset, int64_t now, const void *arg), const void *arg)
{
	unsigned long flags = time_data_write_begin();
	int64_t off = time_data->real_offset_ns;
	int err;

	err = change(&off, (int64_t)time_ns(), arg);
	if (!err) {
		time_data->real_offset_ns = off;
		time_data_split_offset();
	}
	time_data_write_end(flags);
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
#ifdef CONFIG_TICKLESS_IDLE
	tick_base_ns = time_ns();
#endif
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
