/*
 * The vDSO's data page (kernel/time.c writes it, kernel/vdso.c maps it):
 * what it holds is what the kernel's own clock functions say, its
 * conversion is time_ns()'s to the nanosecond, changes of the real time
 * reach it exactly, and readers following the vDSO's protocol never see
 * a torn page while writers on other CPUs change it.
 */
#include <kernel/atomic.h>
#include <kernel/cpu.h>
#include <kernel/ktest.h>
#include <kernel/printk.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include <kernel/vdso.h>

struct snap {
	uint32_t clock_mode;
	uint64_t hz, coarse_ns;
	int64_t off_ns, off_sec, coarse_sec;
	uint32_t off_nsec, coarse_nsec;
};

/* One consistent reading, as lib/vdso/gettime.c takes it; counts the retries. */
static unsigned int
read_snap(const struct vdso_time_data *d, struct snap *s)
{
	unsigned int retries = 0;
	uint32_t seq;

	for (;;) {
		while ((seq = load_acquire(&d->seq)) & 1)
			arch_cpu_relax();
		s->clock_mode = READ_ONCE(d->clock_mode);
		s->hz = READ_ONCE(d->counter_hz);
		s->off_ns = READ_ONCE(d->real_offset_ns);
		s->off_sec = READ_ONCE(d->real_offset_sec);
		s->off_nsec = READ_ONCE(d->real_offset_nsec);
		s->coarse_ns = READ_ONCE(d->coarse_ns);
		s->coarse_sec = READ_ONCE(d->coarse_sec);
		s->coarse_nsec = READ_ONCE(d->coarse_nsec);
		smp_rmb();
		if (READ_ONCE(d->seq) == seq)
			return retries;
		retries++;
	}
}

static bool
snap_consistent(const struct snap *s)
{
	return s->off_nsec < NSEC_PER_SEC && s->coarse_nsec < NSEC_PER_SEC &&
	       s->off_sec * (int64_t)NSEC_PER_SEC + s->off_nsec == s->off_ns &&
	       (uint64_t)s->coarse_sec * NSEC_PER_SEC + s->coarse_nsec == s->coarse_ns;
}

KTEST(vdso, data_page_is_the_kernels)
{
	const struct vdso_time_data *d = vdso_data();
	const struct clocksource *cs = clocksource_current();
	struct snap s;
	uint64_t before, after;

	KASSERT(d && cs);
	before = time_coarse_ns();
	read_snap(d, &s);
	after = time_coarse_ns();
	KEXPECT(snap_consistent(&s));
	KEXPECT_EQ(s.clock_mode, cs->vdso_mode);
	KEXPECT_EQ(s.clock_mode, VDSO_CLOCK_COUNTER);	/* every MMU port's clock source */
	KEXPECT_EQ(s.hz, time_count_hz());
	KEXPECT_EQ(s.off_ns, boottime_real_ns());
	KEXPECT_OP(s.coarse_ns, >=, before);
	KEXPECT_OP(s.coarse_ns, <=, after);
	KEXPECT_EQ(READ_ONCE(d->hres_res_nsec), time_resolution_ns());
	KEXPECT_EQ(READ_ONCE(d->coarse_res_nsec), (NSEC_PER_SEC + CONFIG_HZ / 2) / CONFIG_HZ);
	KEXPECT_OP(s.coarse_ns, <=, time_ns());
}

KTEST(vdso, conversion_is_time_ns)
{
	uint64_t hz = time_count_hz(), sec, count, x = 0x9e3779b97f4a7c15ULL;
	uint32_t nsec;

	for (int i = 0; i < 2000; i++) {
		if (i == 0)
			count = time_count();
		else if (i < 64)
			count = (1ULL << i) - 1;
		else {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			count = x >> (i % 40);
		}
		vdso_count_to_ts(count, hz, &sec, &nsec);
		KEXPECT_OP(nsec, <, NSEC_PER_SEC);
		if (sec * NSEC_PER_SEC + nsec != time_count_to_ns(count)) {
			KEXPECT_EQ(sec * NSEC_PER_SEC + nsec, time_count_to_ns(count));
			break;
		}
	}
}

KTEST(vdso, real_time_changes_reach_it)
{
	const struct vdso_time_data *d = vdso_data();
	int64_t off0 = boottime_real_ns();
	struct snap s;

	KEXPECT_EQ(realtime_shift(1234567891), 0);
	read_snap(d, &s);
	KEXPECT(snap_consistent(&s));
	KEXPECT_EQ(s.off_ns, off0 + 1234567891);
	KEXPECT_EQ(realtime_shift(off0 - boottime_real_ns()), 0);
	read_snap(d, &s);
	KEXPECT_EQ(s.off_ns, off0);
	KEXPECT_EQ(boottime_real_ns(), off0);
}

#define SHIFTS	3000

struct shifter {
	int64_t base;
	int failures;
	bool done;
};

/* Moves the real time by a second and back, SHIFTS times. */
static void
shift_back_and_forth(void *arg)
{
	struct shifter *sh = arg;

	for (int i = 0; i < SHIFTS; i++)
		if (realtime_shift((int64_t)NSEC_PER_SEC) || realtime_shift(-(int64_t)NSEC_PER_SEC))
			sh->failures++;
	store_release(&sh->done, true);
}

/*
 * A writer on another CPU (and the tick on CPU 0) against a reader:
 * every reading is whole, and shows the offset either before or after a
 * shift, never between.
 */
KTEST(vdso, readers_never_see_a_torn_page)
{
	const struct vdso_time_data *d = vdso_data();
	unsigned int ncpus = nr_cpus_online(), other = ncpus > 1 ? (cpu_id() + 1) % ncpus : 0;
	struct shifter sh = { .base = boottime_real_ns() };
	unsigned long readings = 0, retries = 0, bad = 0;
	uint64_t last_coarse = 0;
	struct thread *t;
	struct snap s;

	t = thread_create_on("vdso-writer", shift_back_and_forth, &sh, THREAD_PRIO_DEFAULT, 0,
			     cpumask_of(other));
	KASSERT(t);
	while (!load_acquire(&sh.done) || readings < 1000) {
		retries += read_snap(d, &s);
		readings++;
		if (!snap_consistent(&s) ||
		    (s.off_ns != sh.base && s.off_ns != sh.base + (int64_t)NSEC_PER_SEC) ||
		    s.coarse_ns < last_coarse)
			bad++;
		last_coarse = s.coarse_ns;
		if (ncpus == 1 && !(readings % 64))
			thread_yield();
	}
	thread_join(t);
	KEXPECT_EQ(bad, 0);
	KEXPECT_EQ(sh.failures, 0);
	KEXPECT_EQ(boottime_real_ns(), sh.base);
	pr_info("vdso test: %lu readings, %lu retried\n", readings, retries);
}
