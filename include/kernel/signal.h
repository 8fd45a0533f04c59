/*
 * Signals as the rest of the kernel raises them (kernel/signal.c owns
 * delivery).  Numbers are Linux's, the same on aarch64, x86_64 and i386.
 *
 * A signal for a thread sets its sigpending flag and interrupts an
 * interruptible wait (<kernel/wait.h>): such waits return -EINTR, and the
 * system call either returns -EINTR or, with SA_RESTART, is restarted
 * (return -ERESTARTSYS from the call to ask for that).
 */
#ifndef KERNEL_SIGNAL_H
#define KERNEL_SIGNAL_H

#include <kernel/sigpending.h>
#include <kernel/thread.h>
#include <kernel/types.h>

#define SIGHUP		1
#define SIGINT		2
#define SIGQUIT		3
#define SIGILL		4
#define SIGTRAP		5
#define SIGABRT		6
#define SIGBUS		7
#define SIGFPE		8
#define SIGKILL		9
#define SIGUSR1		10
#define SIGSEGV		11
#define SIGUSR2		12
#define SIGPIPE		13
#define SIGALRM		14
#define SIGTERM		15
#define SIGSTKFLT	16
#define SIGCHLD		17
#define SIGCONT		18
#define SIGSTOP		19
#define SIGTSTP		20
#define SIGTTIN		21
#define SIGTTOU		22
#define SIGURG		23
#define SIGXCPU		24
#define SIGXFSZ		25
#define SIGVTALRM	26
#define SIGPROF		27
#define SIGWINCH	28
#define SIGIO		29
#define SIGPWR		30
#define SIGSYS		31
#define SIGRTMIN	32

/*
 * Restart codes a system call returns when a signal interrupted it; the
 * signal code turns them into a restart or -EINTR (never seen by users):
 * ERESTARTSYS restarts unless a handler without SA_RESTART runs,
 * ERESTARTNOINTR always restarts, ERESTARTNOHAND restarts only when no
 * handler runs, ERESTART_RESTARTBLOCK as ERESTARTNOHAND.
 */
#define ERESTARTSYS		512
#define ERESTARTNOINTR		513
#define ERESTARTNOHAND		514
#define ERESTART_RESTARTBLOCK	516

/* A pending, unblocked signal for the calling thread. */
static inline bool
signal_pending(void)
{
	return thread_signal_pending(thread_current());
}

/*
 * Send sig to the calling thread's process (SIGPIPE from a write, SIGTTIN
 * from a background read), as the kernel: no permission check.
 */
void send_sig_current(int sig);
/*
 * Send sig to every process of group pgrp (a terminal's ^C), as the
 * kernel.  0, or -ESRCH when the group has no process.
 */
int kill_pgrp(pid_t pgrp, int sig);
/*
 * A system call's temporary signal mask (ppoll, pselect6): mask is the
 * blocked set until the call ends.  When a signal interrupted the call
 * (interrupted), the old mask comes back only after its handler, as
 * sigsuspend does; otherwise at once.
 */
void sigmask_set_temporary(uint64_t mask);
void sigmask_restore_temporary(bool interrupted);

/*
 * The calling thread ignores or blocks sig (a background read with
 * SIGTTIN ignored gets -EIO instead).
 */
bool signal_ignored_or_blocked(int sig);

#endif
