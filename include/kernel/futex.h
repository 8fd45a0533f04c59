/*
 * Fast user-space mutexes (kernel/futex.c): the futex(2) system call, the
 * robust-futex list a thread leaves behind, and the thread-id word
 * pthread_join waits on (CLONE_CHILD_CLEARTID, set_tid_address).
 */
#ifndef KERNEL_FUTEX_H
#define KERNEL_FUTEX_H

#include <kernel/compiler.h>
#include <kernel/types.h>

struct thread;

/*
 * t is exiting (or execs): the robust futexes it holds are marked
 * FUTEX_OWNER_DIED with a waiter woken, then its clear_child_tid word is
 * zeroed and one waiter woken, as Linux's mm_release.
 */
void futex_exit_release(struct thread *t);
/* Wake up to nr waiters on the futex word at uaddr of the caller's address space. */
int futex_wake_user(uint32_t __user *uaddr, int nr);

#endif
