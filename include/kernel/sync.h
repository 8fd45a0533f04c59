/*
 * Sleeping locks and signals between threads: mutexes with priority
 * inheritance, counting semaphores, completions, message queues.  None may
 * be used from interrupt handlers except sem_post(), complete() and
 * msgq_send_nowait().
 */
#ifndef KERNEL_SYNC_H
#define KERNEL_SYNC_H

#include <kernel/list.h>
#include <kernel/spinlock.h>
#include <kernel/types.h>
#include <kernel/wait.h>

struct thread;

/*
 * A mutex's owner runs at least at the priority of its highest waiter
 * (transitively, through chains of blocked owners).  Unlock by another
 * thread, recursive locking and sleeping on one with a spinlock held are
 * reported (CONFIG_DEBUG_KERNEL) with the mutex and the threads involved.
 */
struct mutex {
	uintptr_t owner;		/* the owning thread | MUTEX_CONTENDED: atomic;
					   else changed under waiters.lock (mutex.c) */
	struct wait_queue waiters;	/* priority order */
	/* On its owner's pi_mutexes while it has waiters (mutex_pi_lock). */
	struct mutex *pi_next;
	const char *name;		/* also its class for lock-order checks */
	uint16_t order_class;
	bool pi_linked;			/* on the owner's pi_mutexes (mutex_pi_lock) */
};

#define MUTEX_INIT(var, n) {						\
	.waiters = WAIT_QUEUE_INIT((var).waiters),			\
	.name = (n),							\
}

void mutex_init(struct mutex *m, const char *name);
/* Held by the current thread? */
bool mutex_is_held(const struct mutex *m);
/* The owning thread, or NULL: a snapshot, for reports and tests. */
struct thread *mutex_owner(const struct mutex *m);
/*
 * The mutex t sleeps on, or NULL (mutex_pi_lock; without it a snapshot,
 * for reports).  Not a field: it is the mutex whose waiters t->wq is.
 */
struct mutex *thread_blocked_on(const struct thread *t);
void mutex_lock(struct mutex *m);
int mutex_lock_timeout(struct mutex *m, uint64_t timeout_ns);	/* 0 or -ETIMEDOUT */
bool mutex_trylock(struct mutex *m);
/* Another mutex of a class the caller holds, in an order it guarantees. */
void mutex_lock_nested(struct mutex *m);
void mutex_unlock(struct mutex *m);

struct semaphore {
	struct spinlock lock;
	unsigned int count;
	struct wait_queue waiters;
};

void sem_init(struct semaphore *s, unsigned int count);
int sem_wait(struct semaphore *s, uint64_t timeout_ns);	/* 0 or -ETIMEDOUT */
bool sem_trywait(struct semaphore *s);
void sem_post(struct semaphore *s);

struct completion {
	struct spinlock lock;
	bool done;
	struct wait_queue waiters;
};

void completion_init(struct completion *c);
int wait_for_completion(struct completion *c, uint64_t timeout_ns);
void complete(struct completion *c);		/* wakes all, stays done */

/* A bounded queue of fixed-size messages (the RTOS's mailbox). */
struct msgq {
	struct spinlock lock;
	char *buf;
	size_t msg_size, capacity, head, count;
	struct wait_queue readers, writers;
};

int msgq_init(struct msgq *q, void *buf, size_t msg_size, size_t capacity);
int msgq_send(struct msgq *q, const void *msg, uint64_t timeout_ns);
int msgq_send_nowait(struct msgq *q, const void *msg);	/* -EAGAIN when full */
int msgq_recv(struct msgq *q, void *msg, uint64_t timeout_ns);

/*
 * Event flags: 32 bits that interrupts and threads set and clear, and
 * threads wait for, any or all of a mask, as FreeRTOS's event groups and
 * CMSIS-RTOS's event flags.  Setting wakes every waiter whose condition
 * now holds, highest priority first; with EVENT_CLEAR a waiter consumes
 * the bits it waited for, so one set wakes one such waiter per bit.
 */
struct event_flags {
	struct spinlock lock;
	uint32_t bits;			/* lock */
	struct wait_queue waiters;
};

#define EVENT_ANY	0		/* any bit of the mask (the default) */
#define EVENT_ALL	(1u << 0)	/* every bit of the mask */
#define EVENT_CLEAR	(1u << 1)	/* clear the mask's bits that ended the wait */

void event_flags_init(struct event_flags *ef);
/* Set or clear bits (interrupt context too); each returns the bits before. */
uint32_t event_flags_set(struct event_flags *ef, uint32_t bits);
uint32_t event_flags_clear(struct event_flags *ef, uint32_t bits);
uint32_t event_flags_get(struct event_flags *ef);
/*
 * Wait until mask's bits are set (EVENT_ANY or EVENT_ALL, | EVENT_CLEAR):
 * the bits of mask that were set, or -EINVAL (empty mask, unknown flag),
 * -EAGAIN (timeout 0 and not set), -ETIMEDOUT.  Only bit 31 cannot be
 * waited for, as the result shares the sign with errors.
 */
int32_t event_flags_wait(struct event_flags *ef, uint32_t mask, unsigned int flags,
			 uint64_t timeout_ns);

#endif
