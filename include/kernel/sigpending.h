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

/* One queued signal's details, as siginfo reports them. */
struct ksiginfo {
	int signo, code, errno_;
	pid_t pid;			/* sender (kill), or the child (SIGCHLD) */
	uid_t uid;
	int status;			/* SIGCHLD: exit code or signal */
	uintptr_t addr;			/* faults: the address */
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
