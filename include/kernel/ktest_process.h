/*
 * In-kernel tests that need a process without user mode
 * (kernel/tests/process_fixture.c, CONFIG_KTEST and CONFIG_PROCESSES): a
 * kernel thread becomes the one thread of a new process with a pid, its
 * own fd table and fs context, credentials of the test's choosing and an
 * empty address space, runs a test body as that process (so /proc/self
 * is it), then parks until the test ends it.  Meanwhile other threads
 * see it in /proc as any process.
 */
#ifndef KERNEL_KTEST_PROCESS_H
#define KERNEL_KTEST_PROCESS_H

#include <kernel/process.h>

struct ktest_proc;

/*
 * Start a process whose credentials are uid and gid (every one of real,
 * effective, saved and fs), running fn(kp, arg) once set up; returns
 * once fn has returned and the process is parked (blocked, waiting for
 * ktest_proc_end), or NULL without memory.
 */
struct ktest_proc *ktest_proc_start(uid_t uid, gid_t gid,
				    void (*fn)(struct ktest_proc *kp, void *arg), void *arg);
struct process *ktest_proc_process(struct ktest_proc *kp);
struct mm *ktest_proc_mm(struct ktest_proc *kp);
/* Make the process a zombie with wait status status (no thread, no mm, as do_exit leaves it). */
void ktest_proc_zombie(struct ktest_proc *kp, int status);
/* Take it out of the pid table (as the reaper), end its thread, free everything. */
void ktest_proc_end(struct ktest_proc *kp);

/* Make mm (or NULL) the calling thread's address space and load it. */
void ktest_use_mm(struct mm *mm);

/* fn(arg) run as a process of root that ends when fn returns: 0, or -ENOMEM. */
int ktest_as_process(void (*fn)(void *arg), void *arg);

#endif
