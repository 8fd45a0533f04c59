/*
 * The timer queue: armed timers in deadline order; every tick runs those
 * whose deadline has passed.  Interrupts are masked around the queue.
 */
#include <arch/cpu.h>
#include <kernel/list.h>
#include <kernel/timer.h>

static LIST_HEAD(queue);

void
timer_init(struct timer *t, void (*fn)(struct timer *t))
{
	t->fn = fn;
	t->armed = false;
	list_init(&t->node);
}

void
timer_arm(struct timer *t, uint64_t deadline_ns)
{
	unsigned long flags = arch_irq_save();
	struct list_head *pos;

	if (t->armed)
		list_del(&t->node);
	t->deadline_ns = deadline_ns;
	t->armed = true;
	/* After every timer due at the same time or earlier: FIFO among equals. */
	list_for_each(pos, &queue)
		if (list_entry(pos, struct timer, node)->deadline_ns > deadline_ns)
			break;
	list_add_tail(&t->node, pos);
	arch_irq_restore(flags);
}

bool
timer_cancel(struct timer *t)
{
	unsigned long flags = arch_irq_save();
	bool was = t->armed;

	if (was) {
		list_del(&t->node);
		t->armed = false;
	}
	arch_irq_restore(flags);
	return was;
}

void
timers_run(uint64_t now_ns)
{
	unsigned long flags = arch_irq_save();

	while (!list_empty(&queue)) {
		struct timer *t = list_first_entry(&queue, struct timer, node);

		if (t->deadline_ns > now_ns)
			break;
		list_del(&t->node);
		t->armed = false;
		t->fn(t);		/* may re-arm itself */
	}
	arch_irq_restore(flags);
}
