/*
 * Between the files of the thread core (sched.c, thread.c, wait.c,
 * mutex.c), not for the rest of the kernel.
 */
#ifndef KERNEL_SCHED_INTERNAL_H
#define KERNEL_SCHED_INTERNAL_H

struct thread;

/* sched.c: run queues; interrupts masked by the callers of sched_block(). */
void sched_add(struct thread *t);		/* ready a new thread */
void sched_block(void);				/* block current, run another */
void sched_set_effective_prio(struct thread *t, int prio);

/* thread.c */
void thread_register_boot(struct thread *boot);

/* mutex.c: the highest priority waiting on a mutex t holds, or -1. */
int mutex_inherited_prio(struct thread *t);

#endif
