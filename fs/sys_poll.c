/*
 * The system calls over fs/select.c: poll, ppoll, select, pselect6, the
 * i386 old select and time64 variants.  They copy the arguments in,
 * turn Linux's timeouts into a deadline (with its EINVAL rules), call
 * do_poll()/do_select() and copy results and the remaining time out.
 *
 * Timeouts: a zero timeout polls once; a pointer to a time (select,
 * pselect6, ppoll) gets the time left written back, as the raw Linux
 * calls do (glibc's pselect and ppoll hide it); poll's milliseconds are
 * not written back.  A signal ends the wait with -ERESTARTNOHAND, as in
 * Linux: the call restarts when no handler ran, else it returns -EINTR.
 * (Linux restarts poll with the time left; here a restart waits the whole
 * timeout again.)
 */
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/poll.h>
#include <kernel/signal.h>
#include <kernel/slab.h>
#include <kernel/syscall.h>
#include <kernel/time.h>
#include <kernel/uaccess.h>
#include <kernel/wait.h>

#define BITS_PER_LONG	(8 * sizeof(unsigned long))

/* The port's own struct timespec and timeval (longs: 32-bit on i386). */
struct user_timespec {
	long tv_sec;
	long tv_nsec;
};

struct user_timeval {
	long tv_sec;
	long tv_usec;
};

/* i386's time64 calls: struct __kernel_timespec. */
struct user_timespec64 {
	int64_t tv_sec;
	int64_t tv_nsec;
};

/* A relative timeout, once turned into a deadline. */
struct poll_timeout {
	uint64_t deadline;		/* POLL_NO_WAIT, WAIT_FOREVER or absolute */
	uint64_t start, length;		/* for the time left */
	bool given;			/* a time pointer to write back to */
};

/* Linux's poll_select_set_timeout: EINVAL unless sec >= 0, 0 <= nsec < 1 s. */
static int
set_timeout(struct poll_timeout *to, int64_t sec, int64_t nsec)
{
	if (sec < 0 || nsec < 0 || nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	to->given = true;
	to->start = time_ns();
	if (!sec && !nsec) {
		to->deadline = POLL_NO_WAIT;
		to->length = 0;
		return 0;
	}
	if ((uint64_t)sec > (WAIT_FOREVER - (uint64_t)nsec) / NSEC_PER_SEC) {
		to->length = WAIT_FOREVER;
		to->deadline = WAIT_FOREVER;	/* beyond any uptime: no end */
		return 0;
	}
	to->length = (uint64_t)sec * NSEC_PER_SEC + (uint64_t)nsec;
	to->deadline = wait_deadline(to->length);
	return 0;
}

static void
no_timeout(struct poll_timeout *to)
{
	to->deadline = WAIT_FOREVER;
	to->given = false;
}

/* Nanoseconds left of to, 0 when it passed (Linux's poll_select_finish). */
static uint64_t
time_left(const struct poll_timeout *to)
{
	uint64_t spent = time_ns() - to->start;

	return spent >= to->length ? 0 : to->length - spent;
}

/* Whether to write the time left back: a timeout was given and not zero. */
static bool
write_back(const struct poll_timeout *to)
{
	return to->given && to->length;
}

static int
get_timespec(struct poll_timeout *to, const void __user *uts, bool time64)
{
	if (time64) {
		struct user_timespec64 ts;

		if (copy_from_user(&ts, uts, sizeof(ts)))
			return -EFAULT;
		/* A 32-bit kernel keeps only tv_nsec's low word (Linux's get_timespec64). */
		if (sizeof(long) == 4)
			ts.tv_nsec = (int32_t)ts.tv_nsec;
		return set_timeout(to, ts.tv_sec, ts.tv_nsec);
	} else {
		struct user_timespec ts;

		if (copy_from_user(&ts, uts, sizeof(ts)))
			return -EFAULT;
		return set_timeout(to, ts.tv_sec, ts.tv_nsec);
	}
}

/* No timeout for a NULL pointer, else the timespec it points to. */
static int
get_timeout(struct poll_timeout *to, const void __user *uts, bool time64)
{
	no_timeout(to);
	return uts ? get_timespec(to, uts, time64) : 0;
}

/* Write the time left back; a failure is ignored, as Linux does. */
static void
put_timespec_left(const struct poll_timeout *to, void __user *uts, bool time64)
{
	uint64_t left = time_left(to);

	if (!write_back(to))
		return;
	if (time64) {
		struct user_timespec64 ts = { (int64_t)(left / NSEC_PER_SEC),
					      (int64_t)(left % NSEC_PER_SEC) };

		(void)copy_to_user(uts, &ts, sizeof(ts));
	} else {
		struct user_timespec ts = { (long)(left / NSEC_PER_SEC),
					    (long)(left % NSEC_PER_SEC) };

		(void)copy_to_user(uts, &ts, sizeof(ts));
	}
}

/*
 * The signal mask of ppoll and pselect6, as Linux's set_user_sigmask:
 * the blocked set during the wait; a handler that interrupts it runs with
 * it, and the old mask comes back when the handler returns.
 */
static int
poll_sigmask_begin(const void __user *umask, unsigned long size)
{
	uint64_t mask;

	if (!umask)
		return 0;
	if (size != sizeof(mask))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	sigmask_set_temporary(mask);
	return 0;
}

static void
poll_sigmask_end(const void __user *umask, int ret)
{
	if (umask)
		sigmask_restore_temporary(ret == -ERESTARTNOHAND);
}

/* ---- poll ---- */

static long
kern_poll(struct pollfd __user *ufds, unsigned int nfds, const struct poll_timeout *to)
{
	struct pollfd *fds = NULL;
	long ret;

	if (nfds > READ_ONCE(current_files()->limit))
		return -EINVAL;		/* RLIMIT_NOFILE, before any allocation */
	if (nfds) {
		fds = kmalloc(nfds * sizeof(*fds));
		if (!fds)
			return -ENOMEM;
		if (copy_from_user(fds, ufds, nfds * sizeof(*fds))) {
			kfree(fds);
			return -EFAULT;
		}
	}
	ret = do_poll(fds, nfds, to->deadline);
	if (ret == -EINTR)
		ret = -ERESTARTNOHAND;
	/* revents alone go back, even after a signal (Linux's do_sys_poll). */
	if (ret != -EINVAL && ret != -ENOMEM) {
		for (unsigned int i = 0; i < nfds; i++) {
			if (copy_to_user(&ufds[i].revents, &fds[i].revents, sizeof(short))) {
				ret = -EFAULT;
				break;
			}
		}
	}
	kfree(fds);
	return ret;
}

SYSCALL_DEFINE3(poll, struct pollfd __user *, ufds, unsigned int, nfds, int, timeout_ms)
{
	struct poll_timeout to;

	if (timeout_ms >= 0) {
		set_timeout(&to, timeout_ms / 1000, (int64_t)(timeout_ms % 1000) * NSEC_PER_MSEC);
		to.given = false;		/* poll writes nothing back */
	} else {
		no_timeout(&to);
	}
	return kern_poll(ufds, nfds, &to);
}

static long
kern_ppoll(struct pollfd __user *ufds, unsigned int nfds, void __user *tsp,
	   const void __user *sigmask, unsigned long sigsetsize, bool time64)
{
	struct poll_timeout to;
	long ret = get_timeout(&to, tsp, time64);

	if (ret)
		return ret;
	ret = poll_sigmask_begin(sigmask, sigsetsize);
	if (ret)
		return ret;
	ret = kern_poll(ufds, nfds, &to);
	poll_sigmask_end(sigmask, (int)ret);
	if (tsp)
		put_timespec_left(&to, tsp, time64);
	return ret;
}

SYSCALL_DEFINE5(ppoll, struct pollfd __user *, ufds, unsigned int, nfds,
		struct user_timespec __user *, tsp, const void __user *, sigmask,
		unsigned long, sigsetsize)
{
	return kern_ppoll(ufds, nfds, tsp, sigmask, sigsetsize, false);
}

#ifdef __i386__
SYSCALL_DEFINE5(ppoll_time64, struct pollfd __user *, ufds, unsigned int, nfds,
		struct user_timespec64 __user *, tsp, const void __user *, sigmask,
		unsigned long, sigsetsize)
{
	return kern_ppoll(ufds, nfds, tsp, sigmask, sigsetsize, true);
}
#endif

/* ---- select ---- */

/*
 * Linux clamps n to the fd table's size (at least a word of bits): bits
 * beyond it are neither read nor checked.
 */
static int
select_max_fds(int n)
{
	struct files_struct *files = current_files();
	unsigned long flags = spin_lock_irqsave(&files->lock);
	unsigned int max = files->size;

	spin_unlock_irqrestore(&files->lock, flags);
	max = (max + BITS_PER_LONG - 1) / BITS_PER_LONG * BITS_PER_LONG;
	if (max < BITS_PER_LONG)
		max = BITS_PER_LONG;
	return (unsigned int)n > max ? (int)max : n;
}

static long
kern_select(int n, unsigned long __user *uin, unsigned long __user *uout,
	    unsigned long __user *uex, const struct poll_timeout *to)
{
	unsigned long __user *user[3] = { uin, uout, uex };
	unsigned long *sets[3] = { NULL, NULL, NULL };
	unsigned long *buf;
	size_t bytes;
	long ret;

	if (n < 0)
		return -EINVAL;
	n = select_max_fds(n);
	bytes = ((size_t)n + BITS_PER_LONG - 1) / BITS_PER_LONG * sizeof(long);
	buf = kmalloc(bytes ? 3 * bytes : 1);
	if (!buf)
		return -ENOMEM;
	for (int i = 0; i < 3; i++) {
		if (!user[i])
			continue;
		sets[i] = (unsigned long *)((char *)buf + i * bytes);
		if (copy_from_user(sets[i], user[i], bytes)) {
			kfree(buf);
			return -EFAULT;
		}
	}
	ret = do_select(n, sets[0], sets[1], sets[2], to->deadline);
	if (ret == -EINTR)
		ret = -ERESTARTNOHAND;
	for (int i = 0; ret >= 0 && i < 3; i++)
		if (user[i] && copy_to_user(user[i], sets[i], bytes))
			ret = -EFAULT;
	kfree(buf);
	return ret;
}

SYSCALL_DEFINE5(select, int, n, unsigned long __user *, inp, unsigned long __user *, outp,
		unsigned long __user *, exp, struct user_timeval __user *, tvp)
{
	struct poll_timeout to;
	long ret;

	no_timeout(&to);
	if (tvp) {
		struct user_timeval tv;

		if (copy_from_user(&tv, tvp, sizeof(tv)))
			return -EFAULT;
		/* Linux folds whole seconds of tv_usec in; negatives are EINVAL. */
		ret = set_timeout(&to, (int64_t)tv.tv_sec + tv.tv_usec / 1000000,
				  (int64_t)(tv.tv_usec % 1000000) * 1000);
		if (ret)
			return ret;
	}
	ret = kern_select(n, inp, outp, exp, &to);
	if (tvp && write_back(&to)) {
		uint64_t left = time_left(&to);
		struct user_timeval tv = { (long)(left / NSEC_PER_SEC),
					   (long)(left % NSEC_PER_SEC / 1000) };

		(void)copy_to_user(tvp, &tv, sizeof(tv));
	}
	return ret;
}

#ifdef __i386__
/* i386's select (82): one pointer to the five arguments. */
struct sel_arg_struct {
	unsigned long n;
	unsigned long inp, outp, exp, tvp;
};

SYSCALL_DEFINE1(old_select, struct sel_arg_struct __user *, arg)
{
	struct sel_arg_struct a;

	if (copy_from_user(&a, arg, sizeof(a)))
		return -EFAULT;
	return sys_select(a.n, a.inp, a.outp, a.exp, a.tvp, 0);
}
#endif

/* pselect6's sixth argument: the mask and its size, in one struct. */
struct pselect_sigmask {
	unsigned long ss;		/* const sigset_t __user * */
	unsigned long ss_len;
};

static long
kern_pselect6(int n, unsigned long __user *inp, unsigned long __user *outp,
	      unsigned long __user *exp, void __user *tsp,
	      const struct pselect_sigmask __user *usig, bool time64)
{
	struct pselect_sigmask sig = { 0, 0 };
	struct poll_timeout to;
	long ret = get_timeout(&to, tsp, time64);

	if (ret)
		return ret;
	if (usig && copy_from_user(&sig, usig, sizeof(sig)))
		return -EFAULT;
	ret = poll_sigmask_begin((const void __user *)sig.ss, sig.ss_len);
	if (ret)
		return ret;
	ret = kern_select(n, inp, outp, exp, &to);
	poll_sigmask_end((const void __user *)sig.ss, (int)ret);
	if (tsp)
		put_timespec_left(&to, tsp, time64);
	return ret;
}

SYSCALL_DEFINE6(pselect6, int, n, unsigned long __user *, inp, unsigned long __user *, outp,
		unsigned long __user *, exp, struct user_timespec __user *, tsp,
		const struct pselect_sigmask __user *, sig)
{
	return kern_pselect6(n, inp, outp, exp, tsp, sig, false);
}

#ifdef __i386__
SYSCALL_DEFINE6(pselect6_time64, int, n, unsigned long __user *, inp,
		unsigned long __user *, outp, unsigned long __user *, exp,
		struct user_timespec64 __user *, tsp, const struct pselect_sigmask __user *, sig)
{
	return kern_pselect6(n, inp, outp, exp, tsp, sig, true);
}
#endif
