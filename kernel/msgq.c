/*
 * Message queues: a ring of fixed-size messages in a buffer the caller
 * provides (no allocation, fit for the RTOS profile); senders wait while
 * it is full, receivers while it is empty.
 */
#include <string.h>
#include <kernel/errno.h>
#include <kernel/sync.h>
#include <kernel/thread.h>

int
msgq_init(struct msgq *q, void *buf, size_t msg_size, size_t capacity)
{
	if (!buf || !msg_size || !capacity)
		return -EINVAL;
	q->lock = (struct spinlock)SPINLOCK_INIT("msgq");
	q->buf = buf;
	q->msg_size = msg_size;
	q->capacity = capacity;
	q->head = 0;
	q->count = 0;
	wq_init(&q->readers);
	wq_init(&q->writers);
	return 0;
}

static void
put(struct msgq *q, const void *msg)
{
	size_t slot = (q->head + q->count) % q->capacity;

	memcpy(q->buf + slot * q->msg_size, msg, q->msg_size);
	q->count++;
	wq_wake_one_masked(&q->readers);
}

int
msgq_send(struct msgq *q, const void *msg, uint64_t timeout_ns)
{
	uint64_t deadline = wait_deadline(timeout_ns);
	unsigned long flags = spin_lock_irqsave(&q->lock);
	int err = 0;

	/* Room another sender took first: wait on, to the same deadline. */
	while (q->count == q->capacity && !err)
		err = wq_wait_until(&q->writers, &q->lock, deadline);
	if (q->count < q->capacity) {
		put(q, msg);
		err = 0;
	}
	spin_unlock_irqrestore(&q->lock, flags);
	return err;
}

int
msgq_send_nowait(struct msgq *q, const void *msg)
{
	unsigned long flags = spin_lock_irqsave(&q->lock);
	int err = -EAGAIN;

	if (q->count < q->capacity) {
		put(q, msg);
		err = 0;
	}
	spin_unlock_irqrestore(&q->lock, flags);
	return err;
}

int
msgq_recv(struct msgq *q, void *msg, uint64_t timeout_ns)
{
	uint64_t deadline = wait_deadline(timeout_ns);
	unsigned long flags = spin_lock_irqsave(&q->lock);
	int err = 0;

	while (q->count == 0 && !err)
		err = wq_wait_until(&q->readers, &q->lock, deadline);
	if (q->count) {
		memcpy(msg, q->buf + q->head * q->msg_size, q->msg_size);
		q->head = (q->head + 1) % q->capacity;
		q->count--;
		wq_wake_one_masked(&q->writers);
		err = 0;
	}
	spin_unlock_irqrestore(&q->lock, flags);
	return err;
}
