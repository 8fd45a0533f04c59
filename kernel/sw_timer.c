/*
 * Software timers (<kernel/sw_timer.h>): each is a kernel timer whose
 * interrupt-time function only queues it on `fired` and wakes thread
 * "timers", which calls the callbacks in order.  sw_timer_lock guards the
 * queue and every timer's armed, period, node and overruns, so a stop
 * and a firing on another CPU agree on whether the call happens.
 */
#define pr_fmt(fmt) "sw-timer: " fmt

#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/sw_timer.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include <kernel/wait.h>

static struct spinlock sw_timer_lock = SPINLOCK_INIT("sw-timer");
static LIST_HEAD(fired);			/* sw_timer_lock */
static struct wait_queue service_wq = WAIT_QUEUE_INIT(service_wq);
static struct thread *service;

/* The tick's timer expired (interrupt context). */
static void
sw_timer_fire(struct timer *kt)
{
	struct sw_timer *t = container_of(kt, struct sw_timer, timer);
	unsigned long flags = spin_lock_irqsave(&sw_timer_lock);

	if (!t->armed) {			/* stopped while this was due */
		spin_unlock_irqrestore(&sw_timer_lock, flags);
		return;
	}
	if (!list_empty(&t->node))
		t->overruns++;		/* the last call has not run yet */
	else
		list_add_tail(&t->node, &fired);
	if (t->period_ns)
		timer_arm(&t->timer, kt->deadline_ns + t->period_ns);
	else
		t->armed = false;
	wq_wake_one(&service_wq);
	spin_unlock_irqrestore(&sw_timer_lock, flags);
}

static void
service_thread(void *arg)
{
	unsigned long flags = spin_lock_irqsave(&sw_timer_lock);

	for (;;) {
		struct sw_timer *t;

		while (list_empty(&fired))
			wq_wait(&service_wq, &sw_timer_lock, WAIT_FOREVER);
		t = list_first_entry(&fired, struct sw_timer, node);
		list_del(&t->node);
		spin_unlock_irqrestore(&sw_timer_lock, flags);
		t->fn(t);		/* may sleep, stop or restart t, or free it */
		flags = spin_lock_irqsave(&sw_timer_lock);
	}
}

void
sw_timer_init(struct sw_timer *t, void (*fn)(struct sw_timer *t))
{
	timer_init(&t->timer, sw_timer_fire);
	t->fn = fn;
	t->period_ns = 0;
	list_init(&t->node);
	t->overruns = 0;
	t->armed = false;
}

int
sw_timer_start(struct sw_timer *t, uint64_t delay_ns, uint64_t period_ns)
{
	unsigned long flags;
	uint64_t now = time_ns();

	if (!READ_ONCE(service))
		return -ENXIO;
	flags = spin_lock_irqsave(&sw_timer_lock);
	t->period_ns = period_ns;
	t->overruns = 0;
	t->armed = true;
	list_del(&t->node);		/* a pending call of the old start goes */
	timer_arm(&t->timer, delay_ns > UINT64_MAX - now ? UINT64_MAX : now + delay_ns);
	spin_unlock_irqrestore(&sw_timer_lock, flags);
	return 0;
}

bool
sw_timer_stop(struct sw_timer *t)
{
	unsigned long flags = spin_lock_irqsave(&sw_timer_lock);
	bool prevented = t->armed || !list_empty(&t->node);

	t->armed = false;
	list_del(&t->node);
	timer_cancel(&t->timer);	/* a firing elsewhere now finds it disarmed */
	spin_unlock_irqrestore(&sw_timer_lock, flags);
	return prevented;
}

bool
sw_timer_armed(struct sw_timer *t)
{
	return READ_ONCE(t->armed);
}

struct thread *
sw_timer_thread(void)
{
	return READ_ONCE(service);
}

void
sw_timers_init(void)
{
	struct thread *t = thread_create("timers", service_thread, NULL, CONFIG_NR_PRIORITIES - 1,
					 0);

	if (!t)
		pr_err("no memory for the timer thread: software timers are off\n");
	WRITE_ONCE(service, t);
}
