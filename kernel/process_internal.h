/*
 * Between the files of the process core (kernel/process.c, fork.c,
 * exit.c, exec.c, signal.c, init.c, entry.c): not for the rest of the
 * kernel, which uses <kernel/process.h>.
 */
#ifndef KERNEL_PROCESS_INTERNAL_H
#define KERNEL_PROCESS_INTERNAL_H

#include <kernel/process.h>

extern struct process *init_process;

struct process *process_alloc(struct process *parent);
/* Enter p in the pid table under pid want (0: the next free one): 0 or -errno. */
int process_register(struct process *p, pid_t want);
void process_unregister_locked(struct process *p);
/* The process with the lowest pid >= from, no reference (tasklist_lock held). */
unsigned int process_count(void);
void process_attach_current(struct process *p);
void for_each_process_locked(void (*fn)(struct process *p, void *arg), void *arg);
struct process *pgrp_member_locked(pid_t pgrp);
bool pgrp_in_session_locked(pid_t pgrp, pid_t sid);
bool pgrp_is_orphaned_locked(pid_t pgrp, const struct process *ignore);

struct sighand *sighand_alloc(const struct sighand *copy);
void sighand_put(struct sighand *sh);

/* Signals (signal.c). */
int send_signal_info(struct process *p, const struct ksiginfo *info);
int send_signal(struct process *p, int sig);
/* Recompute t's sigpending flag (sighand->lock held). */
void recalc_sigpending_locked(struct thread *t);
/* Free the queued signals of a pending set. */
void sigpending_free(struct sigpending *pend);
/* me no longer takes p's signals: wake a thread that does (sighand->lock held). */
void retarget_shared_locked(struct process *p, struct thread *me);
/* The other threads must end: a group exit or an execve (exit.c). */
int de_thread(void);
/* Thread ids (process.c): enter t (not a process's first thread) in the table, or take it out. */
int thread_register(struct thread *t);
void thread_unregister_locked(struct thread *t);
/* Make t the first thread of p (fork, init). */
void process_set_leader(struct process *p, struct thread *t);
/* Free an exited thread that is not a process's first (the reaper joins it). */
void reap_thread(struct thread *t);

/* A child changed state: SIGCHLD and wake the parent's wait (tasklist_lock held). */
void notify_parent_locked(struct process *child, int code, int status);
/* Pending signals for the thread returning to user mode (entry.c). */
void do_signal(struct arch_regs *regs);
/* Reset handlers at exec: caught signals go back to SIG_DFL. */
void signals_exec_reset(struct process *p);

/* fork.c */
long do_fork(unsigned long flags, uintptr_t newsp, uintptr_t parent_tid, uintptr_t child_tid,
	     uintptr_t tls, bool clear_sighand);
/* Wake a vfork parent waiting for p (p execs or exits). */
void vfork_release(struct process *p);

/* exec.c */
int kernel_execve(const char *path, const char *const argv[], const char *const envp[]);

/* nproc.c: would another `adding` tasks (the new one counted already if 0) pass RLIMIT_NPROC? (tasklist_lock held) */
bool nproc_over_limit_locked(struct process *p, unsigned int adding);

/* prctl.c */
/* Who adopts the children of p as it exits: the nearest living subreaper above it, or init. */
struct process *child_reaper_locked(struct process *p);
/* child lost the parent (thread) that forked it: its PR_SET_PDEATHSIG (tasklist_lock held). */
void pdeath_notify_locked(struct process *child, struct process *parent);
/* A thread of p exits, others live on: children it forked move to one of those and are told. */
void pdeath_thread_exit_locked(struct process *p, struct thread *me);
/* A new thread t of me: prctl's inherited settings; execve: those that do not survive it. */
void prctl_fork_thread(struct thread *t, struct thread *me);
void prctl_exec_reset(struct thread *me);

/* sys_sched.c: a new thread's policy and nice, from its creator (SCHED_RESET_ON_FORK). */
void sched_fork_thread(struct thread *t, struct thread *me);

/* The reaper: frees a process nobody waits for (exit.c). */
void reap_release(struct process *p);
void reaper_start(void);

#endif
