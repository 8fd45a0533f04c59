/*
 * The pending-signal sets: one per process (signals sent to the process,
 * any of its threads may take them) and one per thread (tgkill, faults).
 * Only the types: kernel/signal.c owns them, under the process's
 * sighand->lock.
 */
#ifndef KERNEL_SIGPENDING_H
#define KERNEL_SIGPENDING_H

#include <kernel/list.h>
#include <kernel/types.h>

#define _NSIG		64

typedef int pid_t;

#define SI_TIMER	(-2)		/* si_code of a POSIX timer's signal */

/* One queued signal's details, as siginfo reports them. */
struct ksiginfo {
	int signo, code, errno_;
	union {
		struct {
			pid_t pid;	/* sender (kill), or the child (SIGCHLD) */
			uid_t uid;
			int status;	/* SIGCHLD: exit code or signal */
		};
		struct {		/* code SI_TIMER (kernel/posix_timers.c) */
			int timerid;	/* si_timerid */
			int overrun;	/* si_overrun: filled in when it is taken */
		};
	};
	union {
		uintptr_t addr;		/* faults: the address */
		uintptr_t value;	/* SI_TIMER: si_value (a pointer-sized union sigval) */
	};
};

/* A further instance of a real-time signal already pending (they queue). */
struct sigqueue {
	struct list_head node;
	struct ksiginfo info;
};

struct sigpending {
	uint64_t set;			/* bit n-1: signal n is pending */
	struct ksiginfo info[_NSIG];	/* the first instance of each */
	struct list_head queue;		/* struct sigqueue: later real-time instances */
	unsigned int nr_queued;		/* RLIMIT_SIGPENDING counts them */
};

#endif
