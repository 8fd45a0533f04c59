/* Counting semaphores and completions over wait queues. */
#include <kernel/errno.h>
#include <kernel/sync.h>
#include <kernel/thread.h>

void
sem_init(struct semaphore *s, unsigned int count)
{
	s->lock = (struct spinlock)SPINLOCK_INIT("semaphore");
	s->count = count;
	wq_init(&s->waiters);
}

int
sem_wait(struct semaphore *s, uint64_t timeout_ns)
{
	uint64_t deadline = wait_deadline(timeout_ns);
	unsigned long flags = spin_lock_irqsave(&s->lock);
	int err = 0;

	/* A post another thread took first: wait on, to the same deadline. */
	while (s->count == 0 && !err)
		err = wq_wait_until(&s->waiters, &s->lock, deadline);
	if (s->count) {			/* a post may race with the timeout */
		s->count--;
		err = 0;
	}
	spin_unlock_irqrestore(&s->lock, flags);
	return err;
}

bool
sem_trywait(struct semaphore *s)
{
	unsigned long flags = spin_lock_irqsave(&s->lock);
	bool got = s->count > 0;

	if (got)
		s->count--;
	spin_unlock_irqrestore(&s->lock, flags);
	return got;
}

void
sem_post(struct semaphore *s)
{
	unsigned long flags = spin_lock_irqsave_nocount(&s->lock);

	s->count++;
	wq_wake_one_masked(&s->waiters);
	spin_unlock_irqrestore_nocount(&s->lock, flags);
}

void
completion_init(struct completion *c)
{
	c->lock = (struct spinlock)SPINLOCK_INIT("completion");
	c->done = false;
	wq_init(&c->waiters);
}

int
wait_for_completion(struct completion *c, uint64_t timeout_ns)
{
	uint64_t deadline = wait_deadline(timeout_ns);
	unsigned long flags = spin_lock_irqsave(&c->lock);
	int err = 0;

	while (!c->done && !err)
		err = wq_wait_until(&c->waiters, &c->lock, deadline);
	if (c->done)
		err = 0;
	spin_unlock_irqrestore(&c->lock, flags);
	return err;
}

void
complete(struct completion *c)
{
	unsigned long flags = spin_lock_irqsave_nocount(&c->lock);

	c->done = true;
	wq_wake_all_masked(&c->waiters);
	spin_unlock_irqrestore_nocount(&c->lock, flags);
}
