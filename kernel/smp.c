/*
 * Symmetric multiprocessing: starting the CPUs the firmware describes,
 * inter-processor interrupts, cross calls (a function run on other CPUs)
 * and stopping the others when one panics.
 *
 * Cross calls: each CPU has a queue of requests (its call_lock); a caller
 * links one request per target, raises IPI_CALL and waits for every
 * target to count the request done.  While it waits it serves requests
 * aimed at itself, so two CPUs calling each other with interrupts masked
 * do not wait for each other forever.
 */
#define pr_fmt(fmt) "smp: " fmt

#include <arch/cpu.h>
#include <arch/smp.h>
#include <arch/thread.h>
#include <kernel/atomic.h>
#include <kernel/errno.h>
#include <kernel/irq.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/slab.h>
#include <kernel/smp.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include "sched_internal.h"

/* How long the boot CPU waits for each CPU to come up. */
#define START_TIMEOUT_NS	(2 * NSEC_PER_SEC)
/* How long a panic waits for the others to stop. */
#define STOP_TIMEOUT_NS		(200 * NSEC_PER_MSEC)

/*
 * A CPU's start-up handshake.  The boot CPU sets WAITING, then may give up
 * on a slow CPU (ABANDONED) only while it has not ARRIVED; one that has
 * arrived ends online, or FAILED when it could not set itself up.  Either
 * way the idle stack stays allocated: a CPU that came late or failed is
 * parked on it.
 */
enum start_state { START_IDLE, START_WAITING, START_ARRIVED, START_ABANDONED, START_FAILED };
static volatile int start_state[NR_CPUS];

struct call_data;

struct call_req {
	struct list_head node;		/* in the target's queue */
	struct call_data *data;
};

struct call_data {
	smp_call_fn fn;
	void *arg;
	unsigned int remaining;		/* targets still to finish (atomic) */
	bool heap;			/* kmalloc'd: the last target frees it */
	struct call_req reqs[NR_CPUS];	/* one per target */
};

struct call_queue {
	struct spinlock lock;		/* raw, interrupts masked: list */
	struct list_head list;
} __cacheline_aligned_smp;

static struct call_queue call_queues[NR_CPUS];
static unsigned long ipi_counts[NR_CPUS][NR_IPIS];	/* each CPU its own row */
static volatile unsigned int cpus_stopped;

unsigned long
smp_ipi_count(unsigned int cpu, enum ipi ipi)
{
	return cpu < NR_CPUS && ipi < NR_IPIS ? READ_ONCE(ipi_counts[cpu][ipi]) : 0;
}

void
smp_send_ipi(cpumask_t mask, enum ipi ipi)
{
	struct irq_chip *chip = irq_root_chip();

	mask &= cpus_online() & ~cpumask_of(cpu_id());
	if (!mask || !chip || !chip->ops->send_ipi)
		return;
	/* Whatever the caller wrote is visible before the interrupt arrives. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	chip->ops->send_ipi(chip, mask, ipi);
}

/* ---------------------------------------------------------- cross calls */

static void
call_done(struct call_data *d)
{
	bool heap = d->heap;

	/* After the last count the caller may reuse d, or we free it. */
	if (__atomic_sub_fetch(&d->remaining, 1, __ATOMIC_ACQ_REL) == 0 && heap)
		kfree(d);
}

/* Run the requests queued for this CPU; interrupts masked. */
static void
call_serve(void)
{
	struct call_queue *q = &call_queues[cpu_id()];

	for (;;) {
		struct call_req *r;
		struct call_data *d;

		raw_spin_lock(&q->lock);
		if (list_empty(&q->list)) {
			raw_spin_unlock(&q->lock);
			return;
		}
		r = list_first_entry(&q->list, struct call_req, node);
		list_del(&r->node);
		raw_spin_unlock(&q->lock);
		d = r->data;
		d->fn(d->arg);
		call_done(d);		/* d may be gone after this */
	}
}

void
smp_call_mask(cpumask_t mask, smp_call_fn fn, void *arg, bool wait)
{
	struct call_data local, *d = &local;
	unsigned long flags = arch_irq_save();
	unsigned int me = cpu_id(), cpu;
	cpumask_t others = mask & cpus_online() & ~cpumask_of(me);

	if (others) {
		/* Without wait the request outlives this frame: the heap. */
		if (!wait && !(d = kmalloc(sizeof(*d))))
			d = &local;	/* no memory: wait after all */
		d->fn = fn;
		d->arg = arg;
		d->heap = d != &local;
		d->remaining = cpumask_weight(others);
		for_each_cpu(cpu, others) {
			struct call_queue *q = &call_queues[cpu];

			d->reqs[cpu].data = d;
			raw_spin_lock(&q->lock);
			list_add_tail(&d->reqs[cpu].node, &q->list);
			raw_spin_unlock(&q->lock);
		}
		smp_send_ipi(others, IPI_CALL);
	}
	if (cpumask_test(mask, me))
		fn(arg);
	/* Serve calls aimed at us meanwhile: two CPUs may call each other. */
	while (d == &local && others && __atomic_load_n(&d->remaining, __ATOMIC_ACQUIRE)) {
		call_serve();
		arch_cpu_relax();
	}
	arch_irq_restore(flags);
}

int
smp_call_on(unsigned int cpu, smp_call_fn fn, void *arg, bool wait)
{
	if (cpu >= NR_CPUS || !cpumask_test(cpus_online(), cpu))
		return -EINVAL;
	smp_call_mask(cpumask_of(cpu), fn, arg, wait);
	return 0;
}

/* ----------------------------------------------------------------- IPIs */

static __noreturn void
stop_this_cpu(void)
{
	arch_irq_disable();
	__atomic_add_fetch(&cpus_stopped, 1, __ATOMIC_RELEASE);
	arch_halt();
}

void
smp_ipi_received(enum ipi ipi)
{
	unsigned int me = cpu_id();

	if (ipi >= NR_IPIS)
		return;
	ipi_counts[me][ipi]++;
	switch (ipi) {
	case IPI_RESCHEDULE:
		break;			/* the interrupt's exit reschedules */
	case IPI_CALL:
		call_serve();
		break;
	case IPI_STOP:
		stop_this_cpu();
	default:
		break;
	}
}

unsigned int
smp_stop_others(void)
{
	cpumask_t others = cpus_online() & ~cpumask_of(cpu_id());
	unsigned int want = cpumask_weight(others);
	uint64_t end = time_ns() + STOP_TIMEOUT_NS;

	if (!want)
		return 0;
	smp_send_ipi(others, IPI_STOP);
	/* A CPU spinning with interrupts masked never answers: bounded. */
	while (__atomic_load_n(&cpus_stopped, __ATOMIC_ACQUIRE) < want && time_ns() < end)
		arch_cpu_relax();
	return cpus_stopped;
}

/* ------------------------------------------------------------- bring-up */

__noreturn void
smp_secondary_main(void)
{
	struct cpu *c = this_cpu();
	int expect = START_WAITING;
	int err;

	/* The boot CPU may have given up on us: then we stay out of the way. */
	if (!__atomic_compare_exchange_n(&start_state[c->id], &expect, START_ARRIVED, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		arch_halt();
	err = irq_cpu_init();
	if (err) {
		pr_err("CPU%u: its interrupt controller cannot be set up (%d): parked\n",
		       c->id, err);
		goto failed;
	}
	err = time_cpu_init();
	if (err) {
		pr_err("CPU%u: no tick (%d): parked\n", c->id, err);
		goto failed;
	}
	c->online = true;
	atomic_fetch_or(&cpu_online_mask, cpumask_of(c->id));
	sched_cpu_run();

failed:
	store_release(&start_state[c->id], START_FAILED);
	arch_halt();
}

/* Bring up one CPU; true when it came online. */
static bool
start_cpu(unsigned int n)
{
	struct cpu *c = &cpus[n];
	struct thread *idle;
	uint64_t end;
	int expect = START_WAITING, err;

	idle = thread_create_idle(n);
	if (!idle) {
		pr_err("CPU%u: no memory for its idle thread: skipped\n", n);
		return false;
	}
	sched_set_idle(n, idle);
	c->current = idle;
	start_state[n] = START_WAITING;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	err = arch_cpu_start(n, thread_stack_top(idle));
	if (err) {
		pr_err("CPU%u (hardware ID %#llx) could not be started (%d): skipped\n", n,
		       (unsigned long long)c->hwid, err);
		start_state[n] = START_ABANDONED;
		return false;
	}
	end = time_ns() + START_TIMEOUT_NS;
	while (!c->online) {
		if (load_acquire(&start_state[n]) == START_FAILED)
			return false;		/* it said why */
		if (time_ns() > end) {
			if (__atomic_compare_exchange_n(&start_state[n], &expect,
							START_ABANDONED, false,
							__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
				pr_err("CPU%u (hardware ID %#llx) did not come up within "
				       "%llu ms: skipped\n", n, (unsigned long long)c->hwid,
				       (unsigned long long)(START_TIMEOUT_NS / NSEC_PER_MSEC));
				return false;
			}
			end = ~0ULL;	/* it arrived: online or failed, soon */
		}
		arch_cpu_relax();
	}
	return true;
}

void
smp_init(void)
{
	uint64_t hwids[NR_CPUS];
	unsigned int described, n, online = 1;
	const struct clockevent *tick = clockevent_current();

	for (n = 0; n < NR_CPUS; n++)
		list_init(&call_queues[n].list);
	cpus[0].hwid = arch_cpu_hwid();
	described = arch_smp_enumerate(hwids, NR_CPUS);
	if (described == 0)
		described = 1;		/* the firmware said nothing: this one */
	nr_cpus_described = described;
	if (described > 1 && (!tick || !tick->per_cpu)) {
		pr_warn("the tick device (%s) is not per-CPU: only the boot CPU runs\n",
			tick ? tick->name : "none");
		described = 1;
	}
	for (n = 1; n < described && n < NR_CPUS; n++) {
		cpus[n].self = &cpus[n];
		cpus[n].id = n;
		cpus[n].hwid = hwids[n];
		online += start_cpu(n);
	}
	if (nr_cpus_described > NR_CPUS)
		pr_warn("%u CPUs described, CONFIG_NR_CPUS is %d: the rest stay parked\n",
			nr_cpus_described, NR_CPUS);
	pr_info("%u of %u CPUs online\n", online, nr_cpus_described);
}

/*
 * Until a port brings its secondary CPUs up, it describes none: the
 * kernel runs SMP-ready on the boot CPU alone.  Ports override these.
 */
__weak unsigned int
arch_smp_enumerate(uint64_t *hwids, unsigned int max)
{
	return 0;
}

__weak uint64_t
arch_cpu_hwid(void)
{
	return 0;
}

__weak int
arch_cpu_start(unsigned int cpu, void *stack_top)
{
	return -ENODEV;
}
