/*
 * Timer queues: one per CPU, armed timers in deadline order; each tick
 * of a CPU runs its timers whose deadline has passed, with the queue's
 * lock dropped around every callback (which may re-arm its timer or take
 * other locks).  The base remembers the timer whose callback runs, so
 * timer_cancel_sync() can wait for it from another CPU.
 */
#include <arch/cpu.h>
#include <kernel/atomic.h>
#include <kernel/cpu.h>
#include <kernel/list.h>
#include <kernel/spinlock.h>
#include <kernel/timer.h>

struct timer_base {
	struct spinlock lock;		/* raw, interrupts masked: queue, running */
	struct list_head queue;
	struct timer *running;		/* whose callback runs now */
} __cacheline_aligned_smp;

static struct timer_base bases[NR_CPUS];

static struct timer_base *
this_base(void)
{
	struct timer_base *b = &bases[cpu_id()];

	if (unlikely(!b->queue.next))
		list_init(&b->queue);	/* first use: statics start zeroed */
	return b;
}

void
timer_init(struct timer *t, void (*fn)(struct timer *t))
{
	t->fn = fn;
	t->base = NULL;
	list_init(&t->node);
}

/*
 * Lock the base t was last armed on.  It may change under us (the owner
 * re-arming t elsewhere races only with the callback, which never moves
 * it), so check after locking.  NULL: never armed.
 */
static struct timer_base *
lock_base(struct timer *t)
{
	for (;;) {
		struct timer_base *b = READ_ONCE(t->base);

		if (!b)
			return NULL;
		raw_spin_lock(&b->lock);
		if (b == READ_ONCE(t->base))
			return b;
		raw_spin_unlock(&b->lock);
	}
}

static bool
detach(struct timer *t)
{
	if (list_empty(&t->node))
		return false;
	list_del(&t->node);		/* links to itself again: not armed */
	return true;
}

void
timer_arm(struct timer *t, uint64_t deadline_ns)
{
	unsigned long flags = arch_irq_save();
	struct timer_base *b = lock_base(t), *here = this_base();
	struct list_head *pos;

	if (b) {
		detach(t);
		if (b != here) {
			raw_spin_unlock(&b->lock);
			raw_spin_lock(&here->lock);
		}
	} else {
		raw_spin_lock(&here->lock);
	}
	t->deadline_ns = deadline_ns;
	WRITE_ONCE(t->base, here);
	/* After every timer due at the same time or earlier: FIFO among equals. */
	list_for_each(pos, &here->queue)
		if (list_entry(pos, struct timer, node)->deadline_ns > deadline_ns)
			break;
	list_add_tail(&t->node, pos);
	raw_spin_unlock(&here->lock);
	arch_irq_restore(flags);
}

bool
timer_cancel(struct timer *t)
{
	unsigned long flags = arch_irq_save();
	struct timer_base *b = lock_base(t);
	bool was = false;

	if (b) {
		was = detach(t);
		raw_spin_unlock(&b->lock);
	}
	arch_irq_restore(flags);
	return was;
}

bool
timer_cancel_sync(struct timer *t)
{
	bool was = timer_cancel(t);
	struct timer_base *b = READ_ONCE(t->base);

	if (!b)
		return was;
	/*
	 * A callback that started before the cancel may still run on another
	 * CPU.  On this CPU it cannot (we would be inside it): then waiting
	 * would never end, so do not.
	 */
	for (;;) {
		unsigned long flags = arch_irq_save();
		bool busy = READ_ONCE(b->running) == t && b != &bases[cpu_id()];

		arch_irq_restore(flags);
		if (!busy)
			break;
		arch_cpu_relax();
	}
	smp_mb();	/* after the callback's writes */
	return was;
}

uint64_t
timers_next_deadline(void)
{
	unsigned long flags = arch_irq_save();
	struct timer_base *b = this_base();
	uint64_t next = UINT64_MAX;

	raw_spin_lock(&b->lock);
	if (!list_empty(&b->queue))
		next = list_first_entry(&b->queue, struct timer, node)->deadline_ns;
	raw_spin_unlock(&b->lock);
	arch_irq_restore(flags);
	return next;
}

void
timers_run(uint64_t now_ns)
{
	unsigned long flags = arch_irq_save();
	struct timer_base *b = this_base();

	raw_spin_lock(&b->lock);
	while (!list_empty(&b->queue)) {
		struct timer *t = list_first_entry(&b->queue, struct timer, node);

		if (t->deadline_ns > now_ns)
			break;
		detach(t);
		WRITE_ONCE(b->running, t);
		raw_spin_unlock(&b->lock);
		t->fn(t);		/* may re-arm t, or free it once it ends */
		raw_spin_lock(&b->lock);
		store_release(&b->running, NULL);
	}
	raw_spin_unlock(&b->lock);
	arch_irq_restore(flags);
}
