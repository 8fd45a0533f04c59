/*
 * Event flags (<kernel/sync.h>): a 32-bit word under a spinlock and the
 * queue of threads waiting for bits of it.  A set wakes every waiter; each
 * checks its own condition again under the lock and sleeps on to its
 * deadline if it no longer holds (an EVENT_CLEAR waiter of higher
 * priority took the bits first), so the word is the only truth and a
 * wake-up is never lost.
 */
#include <kernel/errno.h>
#include <kernel/sync.h>
#include <kernel/wait.h>

void
event_flags_init(struct event_flags *ef)
{
	ef->lock = (struct spinlock)SPINLOCK_INIT("event-flags");
	ef->bits = 0;
	wq_init(&ef->waiters);
}

uint32_t
event_flags_set(struct event_flags *ef, uint32_t bits)
{
	unsigned long flags = spin_lock_irqsave_nocount(&ef->lock);
	uint32_t old = ef->bits;

	ef->bits |= bits;
	if (ef->bits != old)
		wq_wake_all_masked(&ef->waiters);
	spin_unlock_irqrestore_nocount(&ef->lock, flags);
	return old;
}

uint32_t
event_flags_clear(struct event_flags *ef, uint32_t bits)
{
	unsigned long flags = spin_lock_irqsave(&ef->lock);
	uint32_t old = ef->bits;

	ef->bits &= ~bits;
	spin_unlock_irqrestore(&ef->lock, flags);
	return old;
}

uint32_t
event_flags_get(struct event_flags *ef)
{
	return READ_ONCE(ef->bits);
}

/* The bits that end the wait, or 0 (lock held). */
static uint32_t
satisfied(const struct event_flags *ef, uint32_t mask, unsigned int flags)
{
	uint32_t got = ef->bits & mask;

	if (flags & EVENT_ALL)
		return got == mask ? got : 0;
	return got;
}

int32_t
event_flags_wait(struct event_flags *ef, uint32_t mask, unsigned int flags, uint64_t timeout_ns)
{
	uint64_t deadline;
	unsigned long irq;
	uint32_t got;
	int err = 0;

	if (!mask || (mask & (1u << 31)) || (flags & ~(EVENT_ALL | EVENT_CLEAR)))
		return -EINVAL;
	deadline = wait_deadline(timeout_ns);
	irq = spin_lock_irqsave(&ef->lock);
	while (!(got = satisfied(ef, mask, flags)) && !err) {
		if (timeout_ns == 0)
			err = -EAGAIN;
		else
			err = wq_wait_until(&ef->waiters, &ef->lock, deadline);
	}
	if (got) {			/* a set may race with the timeout */
		if (flags & EVENT_CLEAR)
			ef->bits &= ~got;
		err = 0;
	}
	spin_unlock_irqrestore(&ef->lock, irq);
	return err ? err : (int32_t)got;
}
