/*
 * A process's timers: the interval timers of setitimer/alarm
 * (kernel/itimer.c) and the POSIX timers of timer_create
 * (kernel/posix_timers.c), as struct process holds them and as the rest
 * of the process code calls them.  All of it is guarded by the process's
 * sighand->lock, which the timers' own callbacks take to send their
 * signals: arming, firing and the signal's delivery are one lock's
 * business, as Linux keeps them under its siglock.
 */
#ifndef KERNEL_POSIX_TIMERS_H
#define KERNEL_POSIX_TIMERS_H

#include <kernel/list.h>
#include <kernel/sigpending.h>
#include <kernel/timer.h>
#include <kernel/types.h>

struct process;
struct thread;

/* ITIMER_VIRTUAL or ITIMER_PROF: absolute on the process's sampled clock, ns (0: off). */
struct cpu_itimer {
	uint64_t expires, incr;
};

struct proc_timers {
	/* ITIMER_REAL: a kernel timer on time_ns()'s clock (CLOCK_MONOTONIC). */
	struct timer real;
	uint64_t real_expires;		/* its deadline; 0 when off */
	bool real_fired;		/* it went off: a periodic one reloads when SIGALRM is taken */
	uint64_t real_incr;		/* reload, ns */
	struct cpu_itimer virt, prof;
	/* POSIX timers: struct k_itimer, in id order. */
	struct list_head posix;
	int next_id;			/* the next id to try: ids are not reused at once */
	unsigned int nr_posix;
	unsigned int nr_cpu_armed;	/* armed timers on CPU clocks: looked at each tick */
	unsigned int nr_abs_real;	/* armed TIMER_ABSTIME timers on the real-time clock */
};

/* A new process's (fork): nothing armed. */
void proc_timers_init(struct process *p);
/* The last thread exits: every timer goes (may sleep). */
void proc_timers_exit(struct process *p);
/* execve: the POSIX timers go; the interval timers stay (Linux). */
void proc_timers_exec(struct process *p);

/*
 * A timer's signal was taken (kernel/signal.c's dequeue, sighand->lock
 * held): SIGALRM from the process's set reloads a periodic ITIMER_REAL,
 * and an SI_TIMER signal gets its timer's overrun count, as Linux does.
 */
void timer_signal_taken_locked(struct process *p, struct ksiginfo *info, bool shared);
/* The SI_TIMER part of it (kernel/posix_timers.c). */
void posix_timer_taken_locked(struct process *p, struct ksiginfo *info);
/* Delete every POSIX timer of p (exit, exec; may sleep). */
void posix_timers_delete_all(struct process *p);

/*
 * The tick's share (kernel/cputime.c, sighand->lock held): the process's
 * CPU-time interval timers and POSIX CPU timers against its clocks.
 */
void itimer_cpu_tick_locked(struct process *p, uint64_t utime, uint64_t stime);
void posix_cpu_timers_tick_locked(struct process *p, struct thread *t);

/* The real time was set (kernel/posix_clock.c): absolute real-time timers follow it. */
void posix_timers_clock_was_set(void);

/*
 * Send info's signal for a timer to p, or to its thread target
 * (kernel/signal.c, sighand->lock held): 0 when queued, 1 when a signal of
 * the same POSIX timer is still pending there (count an overrun), 2 when
 * the signal would be ignored (nothing queued), -ESRCH when p or target
 * no longer takes signals.
 */
int send_timer_signal_locked(struct process *p, struct thread *target,
			     const struct ksiginfo *info);

#endif
