/*
 * CPU time and resource usage of threads and processes (kernel/cputime.c),
 * as getrusage, times, wait4, the CPU clocks and the CPU-time timers see
 * them.  Three measures, as in Linux with tick-based accounting:
 *
 *   samples    each tick adds a tick to the interrupted thread's user or
 *              system time (struct thread utime_ns/stime_ns): ITIMER_VIRTUAL
 *              counts the user samples, ITIMER_PROF and RLIMIT_CPU both
 *   run time   what the scheduler measures at every switch
 *              (CONFIG_SCHED_STATS; without it, the samples' sum):
 *              CLOCK_PROCESS_CPUTIME_ID and CLOCK_THREAD_CPUTIME_ID
 *   reported   the run time split in the samples' proportion, never going
 *              back (Linux's cputime_adjust): getrusage, times, wait4
 *
 * Plus page faults, context switches and the largest resident set.
 */
#ifndef KERNEL_CPUTIME_H
#define KERNEL_CPUTIME_H

#include <kernel/compiler.h>
#include <kernel/types.h>

struct process;
struct thread;

#define TICK_NSEC	((NSEC_PER_SEC + CONFIG_HZ / 2) / CONFIG_HZ)

/* What a process's exited threads and reaped children used (struct process.acct). */
struct proc_acct {
	/* Exited threads: tasklist_lock and sighand->lock to change, either to read. */
	uint64_t exec_ns;		/* run time (utime_ns/stime_ns hold the samples) */
	unsigned long min_flt, maj_flt, nvcsw, nivcsw;
	/* Reaped children, with what they had reaped: tasklist_lock. */
	unsigned long cmin_flt, cmaj_flt, cnvcsw, cnivcsw;
	unsigned long cmaxrss;		/* KiB */
	/* sighand->lock */
	unsigned long maxrss;		/* KiB: the largest resident set seen so far */
	uint64_t prev_utime, prev_stime; /* what was reported last: never goes back */
};

/* A struct rusage in the kernel. */
struct rusage_acct {
	uint64_t utime_ns, stime_ns;
	unsigned long maxrss;		/* KiB */
	unsigned long min_flt, maj_flt, nvcsw, nivcsw;
};

/*
 * Every CPU's tick (kernel/time.c, interrupt context): the sample, then
 * what depends on CPU time (ITIMER_VIRTUAL/PROF, POSIX CPU timers,
 * RLIMIT_CPU) and, on the boot CPU, the load average.
 */
void process_tick(void);

/* Hooks of kernel/exit.c: a thread starts to exit (its address space's size). */
void cputime_thread_exit(struct thread *t);
/* ... and leaves its group: its run time and counts go to the process (both locks held). */
void cputime_thread_leave_locked(struct process *p, struct thread *t);
/* wait: what zombie c and its reaped children used (tasklist_lock held). */
void rusage_zombie_locked(struct process *c, struct rusage_acct *ru);
/* ... and the parent keeps it once c is reaped (tasklist_lock held). */
void rusage_reaped_locked(struct process *parent, const struct rusage_acct *ru);
/* Copy a struct rusage out (NULL ru: nothing): 0 or -EFAULT. */
int put_rusage(void __user *uru, const struct rusage_acct *ru);

/*
 * Sampled user and system time of p: exited threads and live ones
 * (sighand->lock held), in ns.
 */
void process_samples_locked(struct process *p, uint64_t *utime, uint64_t *stime);
/* The run time of p (sighand->lock held) and of any thread t, in ns. */
uint64_t process_runtime_locked(struct process *p);
uint64_t thread_runtime(struct thread *t);
/*
 * What CPU-clock measure which (CPUCLOCK_PROF, VIRT or SCHED) reads for
 * thread t, and for process p (sighand->lock held), in ns.
 */
uint64_t thread_cpu_sample(struct thread *t, int which);
uint64_t process_cpu_sample_locked(struct process *p, int which);

#endif
