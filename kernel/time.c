/*
 * Time keeping: the best registered clock source gives time_ns(), the
 * best clock event device drives the periodic tick at CONFIG_HZ, on every
 * CPU when it is a per-CPU device.  The boot CPU's tick counts jiffies;
 * every CPU's runs its own timers and time slices.
 *
 * jiffies is 64 bits, which a 32-bit CPU cannot read in one access while
 * another CPU writes it: readers retry around a sequence count.
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
#endif

static struct clocksource *clock;
static struct clockevent *tick_device;
static uint64_t jiffies;		/* written by CPU 0's tick only */
static unsigned int jiffies_seq;	/* odd while jiffies changes */

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
jiffies_read(void)
{
	unsigned int seq;
	uint64_t j;

	do {
		seq = load_acquire(&jiffies_seq);
		j = READ_ONCE(jiffies);
		smp_rmb();
	} while ((seq & 1) || seq != READ_ONCE(jiffies_seq));
	return j;
}

void
timer_tick(void)
{
	if (cpu_id() == 0) {
		WRITE_ONCE(jiffies_seq, jiffies_seq + 1);
		smp_wmb();
		WRITE_ONCE(jiffies, jiffies + 1);
		store_release(&jiffies_seq, jiffies_seq + 1);
	}
#ifdef CONFIG_THREADS
	timers_run(time_ns());		/* sleeps and timeouts */
	sched_tick();			/* time slices, balancing */
#endif
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
