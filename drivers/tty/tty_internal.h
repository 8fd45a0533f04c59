/*
 * Between the files of the tty layer (tty_io.c: nodes, read, write,
 * poll; tty_ioctl.c: the ioctls; tty_jobctrl.c: controlling terminals
 * and job control).  Not for the rest of the kernel: <kernel/tty.h>.
 */
#ifndef DRIVERS_TTY_INTERNAL_H
#define DRIVERS_TTY_INTERNAL_H

#include <kernel/tty.h>
#include <kernel/errno.h>
#include <kernel/vfs.h>

#define ENOIOCTLCMD	515		/* Linux's internal "not mine": never returned */

static inline struct tty_file *
tty_file(struct file *f)
{
	return f->priv;
}

/* The file was opened before the port's last hangup (port.lock held). */
static inline bool
tty_hung_up_locked(const struct tty_file *tf)
{
	return !tf->console && tf->hangups != tf->port->hangups;
}

/*
 * Hang the port up (a session leader exits): its session ends, files
 * open on it die (not /dev/console's), input and held echoes go.  The
 * foreground group's pid is returned for the caller to signal.  Called
 * with tasklist_lock held, port.lock not.
 */
pid_t tty_hangup_locked(struct tty_port *port);

/*
 * Feed the line discipline what waits in the flip buffer, as far as it
 * has room (port.lock held), and collect the signals input raised:
 * tty_send_signals() sends them once the lock is dropped.
 */
struct tty_signals {
	int sig[N_TTY_MAX_SIGS];
	unsigned int n;
	pid_t pgrp;
};
void tty_flush_to_ldisc_locked(struct tty_port *port, struct tty_signals *s);
void tty_send_signals(const struct tty_signals *s);
/* The file operation: tty_kernel_ioctl() between user copies. */
long tty_ioctl(struct file *f, unsigned int cmd, unsigned long arg);

/* Wake readers and writers: input came, output restarted, the mode changed. */
void tty_wake(struct tty_port *port);

/* Own the port's read or write side for a call (port.lock held, may sleep). */
int tty_take_side(struct tty_port *port, bool *side, struct wait_queue *wq, bool nonblock);
void tty_release_side(struct tty_port *port, bool *side, struct wait_queue *wq);

#ifdef CONFIG_PROCESSES
/*
 * Linux's __tty_check_change: a process of a background group using its
 * controlling terminal gets sig (SIGTTOU, SIGTTIN) and -ERESTARTSYS;
 * -EIO when its group is orphaned, or sig is SIGTTIN and ignored or
 * blocked (an ignored SIGTTOU lets the call go on).  0 otherwise.
 */
int tty_check_change(struct tty_port *port, int sig);
/* Open without O_NOCTTY: a session leader without a terminal gets this one. */
void tty_open_set_ctty(struct tty_port *port, struct file *f);
/* The caller's controlling terminal, or NULL. */
struct tty_port *tty_current_ctty(void);
/* TIOCSCTTY, TIOCNOTTY, TIOCGPGRP, TIOCSPGRP, TIOCGSID; -ENOIOCTLCMD for others. */
long tty_jobctrl_ioctl(struct file *f, unsigned int cmd, unsigned long arg, void *buf);
/* sig to every process of group pgrp (0: none). */
void tty_signal_group(pid_t pgrp, int sig);
#else
static inline int tty_check_change(struct tty_port *port, int sig) { return 0; }
static inline void tty_open_set_ctty(struct tty_port *port, struct file *f) { }
static inline struct tty_port *tty_current_ctty(void) { return NULL; }
/* No processes: every caller is what a kernel thread is with them. */
static inline long
tty_jobctrl_ioctl(struct file *f, unsigned int cmd, unsigned long arg, void *buf)
{
	switch (cmd) {
	case TIOCSCTTY:
		return -EPERM;		/* not a session leader */
	case TIOCNOTTY:
	case TIOCGPGRP:
	case TIOCSPGRP:
	case TIOCGSID:
		return -ENOTTY;		/* no controlling terminal */
	}
	return -ENOIOCTLCMD;
}
static inline void tty_signal_group(pid_t pgrp, int sig) { }
#endif

#endif
