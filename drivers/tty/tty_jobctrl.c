/*
 * Controlling terminals and job control, as Linux's tty_jobctrl.c does
 * them: a session leader acquires a terminal (open, TIOCSCTTY), gives it
 * up (TIOCNOTTY) or hangs it up by exiting (disassociate_ctty); the
 * foreground process group (TIOCGPGRP/TIOCSPGRP, TIOCGSID); and the
 * check that stops a background group using its terminal
 * (tty_check_change: SIGTTIN for reads, SIGTTOU for writes under TOSTOP
 * and for calls that change the terminal).
 *
 * A process's terminal (process.tty) is guarded by tasklist_lock, the
 * terminal's session and group by its port lock, taken inside
 * tasklist_lock when both change together.  Signals are sent with
 * neither held.  Linux's tty_old_pgrp (the group a hung-up terminal had,
 * signalled again when the leader exits later) is not kept.
 */
#include <kernel/cred.h>
#include <kernel/process.h>
#include "tty_internal.h"

static bool
is_root(void)
{
	return current_cred()->euid == 0;
}

void
tty_signal_group(pid_t pgrp, int sig)
{
	if (pgrp > 0)
		kill_pgrp(pgrp, sig);
}

struct tty_port *
tty_current_ctty(void)
{
	struct process *p = current_process();
	struct tty_port *port;
	unsigned long flags;

	if (!p)
		return NULL;
	flags = spin_lock_irqsave(&tasklist_lock);
	port = p->tty;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return port;
}

int
tty_check_change(struct tty_port *port, int sig)
{
	struct process *p = current_process();
	pid_t pgrp, fg = 0;
	unsigned long flags, pflags;
	bool ours;

	if (!p)
		return 0;
	flags = spin_lock_irqsave(&tasklist_lock);
	ours = p->tty == port;
	pgrp = p->pgid;
	if (ours) {
		pflags = spin_lock_irqsave(&port->lock);
		fg = port->pgrp;
		spin_unlock_irqrestore(&port->lock, pflags);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (!ours || !fg || pgrp == fg)
		return 0;
	if (signal_ignored_or_blocked(sig))
		return sig == SIGTTIN ? -EIO : 0;
	if (pgrp_is_orphaned(pgrp))
		return -EIO;
	kill_pgrp(pgrp, sig);
	return -ERESTARTSYS;
}

/* Make port the caller's terminal (tasklist_lock held). */
static void
set_ctty_locked(struct process *p, struct tty_port *port)
{
	unsigned long flags = spin_lock_irqsave(&port->lock);

	port->session = p->sid;
	port->pgrp = p->pgid;
	spin_unlock_irqrestore(&port->lock, flags);
	p->tty = port;
}

static pid_t
port_session(struct tty_port *port)
{
	unsigned long flags = spin_lock_irqsave(&port->lock);
	pid_t sid = port->session;

	spin_unlock_irqrestore(&port->lock, flags);
	return sid;
}

void
tty_open_set_ctty(struct tty_port *port, struct file *f)
{
	struct process *p = current_process();
	unsigned long flags;

	/* Write-only access gives no terminal (Linux: no TIOCS* rights by the back door). */
	if (!p || !(f->mode & FMODE_READ))
		return;
	flags = spin_lock_irqsave(&tasklist_lock);
	if (p->sid == p->pid && !p->tty && !port_session(port))
		set_ctty_locked(p, port);
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

struct session_scan {
	pid_t sid;
	struct tty_port *only;		/* clear only this terminal (NULL: any) */
};

static void
clear_tty(struct process *q, void *arg)
{
	struct session_scan *s = arg;

	if (q->sid == s->sid && (!s->only || q->tty == s->only))
		q->tty = NULL;
}

/* Every process of session sid loses its terminal (tasklist_lock held). */
static void
session_clear_tty_locked(pid_t sid, struct tty_port *only)
{
	struct session_scan s = { sid, only };

	if (sid > 0)
		for_each_process_locked(clear_tty, &s);
}

/* Linux's tiocsctty. */
static long
set_ctty_ioctl(struct file *f, struct tty_port *port, unsigned long arg)
{
	struct process *p = current_process();
	unsigned long flags;
	long r = 0;
	pid_t sid;

	if (!p)
		return -EPERM;
	flags = spin_lock_irqsave(&tasklist_lock);
	sid = port_session(port);
	if (p->sid == p->pid && sid == p->sid)
		goto out;		/* ours already */
	if (p->sid != p->pid || p->tty) {
		r = -EPERM;		/* a session leader without a terminal only */
		goto out;
	}
	if (sid) {
		if (arg != 1 || !is_root()) {
			r = -EPERM;	/* another session's */
			goto out;
		}
		session_clear_tty_locked(sid, port);	/* stolen */
	}
	if (!(f->mode & FMODE_READ) && !is_root()) {
		r = -EPERM;
		goto out;
	}
	set_ctty_locked(p, port);
out:
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return r;
}

struct pgrp_scan {
	pid_t pgrp;
	pid_t group_sid;		/* a member's session, 0 when none */
	pid_t pid_sid;			/* the session of the process pgrp, 0 when none */
};

static void
find_pgrp(struct process *q, void *arg)
{
	struct pgrp_scan *s = arg;

	if (q->pgid == s->pgrp && !s->group_sid)
		s->group_sid = q->sid;
	if (q->pid == s->pgrp)
		s->pid_sid = q->sid;
}

/* Linux's tiocspgrp: a group of the caller's session, on its own terminal. */
static long
set_pgrp_ioctl(struct tty_port *port, pid_t pgrp)
{
	struct process *p = current_process();
	struct pgrp_scan s = { pgrp, 0, 0 };
	unsigned long flags, pflags;
	long r = tty_check_change(port, SIGTTOU);

	if (r == -EIO)
		return -ENOTTY;
	if (r)
		return r;
	if (pgrp < 0)
		return -EINVAL;
	if (!p)
		return -ENOTTY;
	flags = spin_lock_irqsave(&tasklist_lock);
	if (p->tty != port || port_session(port) != p->sid) {
		r = -ENOTTY;
		goto out;
	}
	if (pgrp)
		for_each_process_locked(find_pgrp, &s);
	/* Linux looks the number up as a group, then as a process. */
	if (!s.group_sid && !s.pid_sid) {
		r = -ESRCH;
		goto out;
	}
	if ((s.group_sid ? s.group_sid : s.pid_sid) != p->sid) {
		r = -EPERM;
		goto out;
	}
	pflags = spin_lock_irqsave(&port->lock);
	port->pgrp = pgrp;
	spin_unlock_irqrestore(&port->lock, pflags);
out:
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return r;
}

void
disassociate_ctty(int on_exit)
{
	struct process *p = current_process();
	struct tty_port *port;
	unsigned long flags, pflags;
	pid_t sid, fg = 0;

	if (!p)
		return;
	flags = spin_lock_irqsave(&tasklist_lock);
	sid = p->sid;
	port = p->tty;
	if (sid != p->pid || !port) {
		spin_unlock_irqrestore(&tasklist_lock, flags);
		return;		/* not a leader, or no terminal to give up */
	}
	if (on_exit) {
		/* Linux's tty_vhangup_session: the session's files die, the group hears. */
		session_clear_tty_locked(sid, port);
		fg = tty_hangup_locked(port);
	} else {
		pflags = spin_lock_irqsave(&port->lock);
		fg = port->pgrp;
		port->session = port->pgrp = 0;
		spin_unlock_irqrestore(&port->lock, pflags);
		session_clear_tty_locked(sid, NULL);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	tty_wake(port);
	tty_signal_group(fg, SIGHUP);
	if (!on_exit)
		tty_signal_group(fg, SIGCONT);
}

long
tty_jobctrl_ioctl(struct file *f, unsigned int cmd, unsigned long arg, void *buf)
{
	struct tty_port *port = tty_file(f)->port;
	struct process *p = current_process();
	bool ours = tty_current_ctty() == port;
	unsigned long flags;
	int *val = buf;

	switch (cmd) {
	case TIOCSCTTY:
		return set_ctty_ioctl(f, port, arg);
	case TIOCNOTTY:
		if (!ours)
			return -ENOTTY;
		disassociate_ctty(0);
		flags = spin_lock_irqsave(&tasklist_lock);
		p->tty = NULL;
		spin_unlock_irqrestore(&tasklist_lock, flags);
		return 0;
	case TIOCGPGRP:
		if (!ours)
			return -ENOTTY;
		flags = spin_lock_irqsave(&port->lock);
		*val = port->pgrp;
		spin_unlock_irqrestore(&port->lock, flags);
		return 0;
	case TIOCSPGRP:
		return set_pgrp_ioctl(port, *val);
	case TIOCGSID:
		if (!ours)
			return -ENOTTY;
		flags = spin_lock_irqsave(&port->lock);
		*val = port->session;
		spin_unlock_irqrestore(&port->lock, flags);
		return *val ? 0 : -ENOTTY;
	}
	return -ENOIOCTLCMD;
}
