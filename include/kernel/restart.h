/*
 * Restart blocks: how a system call interrupted by a signal without a
 * handler (or a stop and continue) resumes where it was rather than from
 * its original arguments.  The call returns -ERESTART_RESTARTBLOCK with
 * the thread's block filled in; the signal code then re-enters user mode
 * at the system-call instruction with restart_syscall's number, whose
 * handler runs the block.  Owned by the thread itself: no lock.
 */
#ifndef KERNEL_RESTART_H
#define KERNEL_RESTART_H

#include <kernel/compiler.h>
#include <kernel/types.h>

struct restart_block {
	/* What restart_syscall runs; NULL: nothing to resume (-EINTR). */
	long (*fn)(struct restart_block *rb);
	union {
		/* A relative nanosleep, continued as an absolute one. */
		struct {
			int clock;			/* clockid_t */
			struct timespec64 deadline;	/* on clock */
			void __user *rmtp;		/* the time left goes here, if not NULL */
			int (*put_rem)(const struct timespec64 *ts, void __user *u);
		} nanosleep;
		/* A futex wait with a timeout, continued to the same deadline. */
		struct {
			uintptr_t uaddr;
			uint32_t val, bitset;
			bool shared;			/* not FUTEX_PRIVATE_FLAG */
			uint64_t deadline;		/* on time_ns()'s clock */
		} futex;
	};
};

#endif
