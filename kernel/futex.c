/*
 * futex(2): threads sleep on a 32-bit word of user memory until another
 * thread wakes that word, Linux's operations and errors: WAIT, WAKE,
 * REQUEUE, CMP_REQUEUE, WAKE_OP, WAIT_BITSET and WAKE_BITSET, private or
 * shared, with relative (WAIT) or absolute (WAIT_BITSET, on
 * CLOCK_MONOTONIC or CLOCK_REALTIME) timeouts; robust-futex lists and the
 * clear_child_tid word at thread exit.  Priority-inheritance futexes
 * (LOCK_PI ...) are not implemented: -ENOSYS, which glibc takes to mean
 * "no PTHREAD_PRIO_INHERIT mutexes" (pthread_mutex_init says ENOTSUP).
 *
 * A futex is named by a key.  With FUTEX_PRIVATE_FLAG, or in a private
 * mapping, it is (the address space, the address), as on Linux for
 * private memory; a word in a MAP_SHARED mapping without the flag is
 * named by the physical address of its byte, the same in every process
 * that maps the page (mm_shared_key()), so process-shared mutexes and
 * semaphores work across fork.  Waiters hang on one of FUTEX_BUCKETS
 * lists chosen by a hash of the key; each bucket's spinlock guards its
 * list and every queued waiter's key and bucket.  The user word is read
 * under the bucket lock with page faults disabled (a fault there would
 * sleep); when that fails the lock is dropped, the page faulted in, and
 * the operation starts again.  Lock order: bucket (two buckets: lower
 * address first), then a waiter's own lock.
 */
#define pr_fmt(fmt) "futex: " fmt

#include <string.h>
#include <arch/user.h>
#include <kernel/atomic.h>
#include <kernel/clock.h>
#include <kernel/cred.h>
#include <kernel/errno.h>
#include <kernel/futex.h>
#include <kernel/mman.h>
#include <kernel/process.h>
#include <kernel/syscall.h>
#include <kernel/time.h>
#include <kernel/uaccess.h>
#include <kernel/uapi_time.h>
#include "process_internal.h"

#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_FD		2
#define FUTEX_REQUEUE		3
#define FUTEX_CMP_REQUEUE	4
#define FUTEX_WAKE_OP		5
#define FUTEX_LOCK_PI		6
#define FUTEX_UNLOCK_PI		7
#define FUTEX_TRYLOCK_PI	8
#define FUTEX_WAIT_BITSET	9
#define FUTEX_WAKE_BITSET	10
#define FUTEX_WAIT_REQUEUE_PI	11
#define FUTEX_CMP_REQUEUE_PI	12
#define FUTEX_LOCK_PI2		13
#define FUTEX_PRIVATE_FLAG	128
#define FUTEX_CLOCK_REALTIME	256
#define FUTEX_CMD_MASK		(~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))
#define FUTEX_BITSET_MATCH_ANY	0xffffffffu

#define FUTEX_WAITERS		0x80000000u
#define FUTEX_OWNER_DIED	0x40000000u
#define FUTEX_TID_MASK		0x3fffffffu
#define ROBUST_LIST_LIMIT	2048	/* Linux's bound on a (possibly circular) list */

#define FUTEX_BUCKETS		256

struct futex_key {
	const void *space;		/* the address space (private words) */
	uintptr_t addr;
};

struct futex_bucket {
	struct spinlock lock;
	struct list_head waiters;	/* lock: struct futex_waiter.node */
};

/* A sleeping thread; on its sleeper's stack. */
struct futex_waiter {
	struct list_head node;		/* bucket->lock */
	struct futex_bucket *bucket;	/* bucket->lock: where it is queued (requeue moves it) */
	struct futex_key key;		/* bucket->lock */
	uint32_t bitset;
	int rt_prio;			/* the sleeper's real-time priority when it queued */
	struct spinlock lock;		/* woken */
	bool woken;			/* taken off the bucket by a waker */
	struct wait_queue wq;
};

static struct futex_bucket buckets[FUTEX_BUCKETS];
static bool buckets_ready;

/*
 * Queue w on b (b->lock held) in wake order: as Linux's plist of futex_q,
 * a real-time waiter goes before every waiter of lower real-time
 * priority, and waiters of equal priority (all the SCHED_OTHER ones)
 * stay first come, first woken.
 */
static void
queue_waiter(struct futex_bucket *b, struct futex_waiter *w)
{
	struct futex_waiter *o;

	list_for_each_entry(o, &b->waiters, node) {
		if (o->rt_prio < w->rt_prio) {
			list_add_tail(&w->node, &o->node);
			return;
		}
	}
	list_add_tail(&w->node, &b->waiters);
}

static void
futex_init_once(void)
{
	/* Before any user thread exists (init's exec runs first): no race here. */
	if (READ_ONCE(buckets_ready))
		return;
	for (unsigned int i = 0; i < FUTEX_BUCKETS; i++) {
		spin_init(&buckets[i].lock, "futex-bucket");
		list_init(&buckets[i].waiters);
	}
	store_release(&buckets_ready, true);
}

static struct futex_bucket *
bucket_of(const struct futex_key *k)
{
	uint64_t h = ((uint64_t)(uintptr_t)k->space ^ ((uint64_t)k->addr >> 2)) *
		     0x9e3779b97f4a7c15ULL;

	return &buckets[h >> 56];
}

static bool
key_eq(const struct futex_key *a, const struct futex_key *b)
{
	return a->space == b->space && a->addr == b->addr;
}

/* The space of the keys of shared words: physical addresses. */
static const char shared_space;

/*
 * The key of the word at uaddr (shared: the operation lacks
 * FUTEX_PRIVATE_FLAG): -EINVAL when misaligned, -EFAULT outside user
 * space or, for a shared operation, where nothing is mapped.
 */
static int
get_key(uint32_t __user *uaddr, bool shared, struct futex_key *k)
{
	uintptr_t a = (uintptr_t)uaddr;
	struct thread *me = thread_current();
	uint64_t phys;
	int r;

	if (a & 3)
		return -EINVAL;
	if (!access_ok(uaddr, sizeof(uint32_t)) || !me->mm)
		return -EFAULT;
	k->space = me->mm;
	k->addr = a;
	if (!shared)
		return 0;
	r = mm_shared_key(me->mm, (vaddr_t)a, &phys);
	if (r < 0)
		return r;
	if (r == 1) {
		k->space = &shared_space;
		k->addr = (uintptr_t)phys;
	}
	return 0;
}

/* Read the word without sleeping (a bucket lock is held): 0 or -EFAULT. */
static int
read_word_atomic(uint32_t __user *uaddr, uint32_t *val)
{
	int err;

	pagefault_disable();
	err = get_user(*val, uaddr);
	pagefault_enable();
	return err;
}

/* Fault the word in for reading (or writing) with no lock held: 0 or -EFAULT. */
static int
fault_in_word(uint32_t __user *uaddr, bool write)
{
	struct thread *me = thread_current();
	int si_code;

	if (!me->mm)
		return -EFAULT;
	return mm_fault(me->mm, (vaddr_t)(uintptr_t)uaddr, write, false, &si_code) ? -EFAULT : 0;
}

/* Compare-and-exchange the word without sleeping: 0 (*cur: what was there) or -EFAULT. */
static int
cmpxchg_word_atomic(uint32_t __user *uaddr, uint32_t old, uint32_t new, uint32_t *cur)
{
	int err;

	pagefault_disable();
	err = arch_user_cmpxchg32(uaddr, old, new, cur);
	pagefault_enable();
	return err;
}

/* Take w off its bucket and wake it (its bucket's lock held). */
static void
wake_waiter(struct futex_waiter *w)
{
	unsigned long flags;

	list_del(&w->node);
	flags = spin_lock_irqsave(&w->lock);
	w->woken = true;
	wq_wake_all(&w->wq);
	spin_unlock_irqrestore(&w->lock, flags);
}

/* Lock two buckets (the same one once) in address order. */
static unsigned long
lock_two(struct futex_bucket *a, struct futex_bucket *b)
{
	unsigned long flags;

	if (a == b)
		return spin_lock_irqsave(&a->lock);
	if (a > b) {
		struct futex_bucket *t = a;

		a = b;
		b = t;
	}
	flags = spin_lock_irqsave(&a->lock);
	spin_lock_nested(&b->lock);
	return flags;
}

static void
unlock_two(struct futex_bucket *a, struct futex_bucket *b, unsigned long flags)
{
	if (a != b)
		spin_unlock(a > b ? &a->lock : &b->lock);
	spin_unlock_irqrestore(a > b ? &b->lock : &a->lock, flags);
}

/* ---- the operations ---- */

static int
futex_wait(uint32_t __user *uaddr, bool shared, uint32_t val, uint64_t deadline, uint32_t bitset)
{
	struct futex_waiter w;
	struct futex_bucket *b;
	unsigned long flags;
	uint32_t cur;
	int err;

	if (!bitset)
		return -EINVAL;
	err = get_key(uaddr, shared, &w.key);
	if (err)
		return err;
	w.bitset = bitset;
	w.rt_prio = READ_ONCE(thread_current()->sched_rt_prio);
	w.woken = false;
	spin_init(&w.lock, "futex-waiter");
	wq_init(&w.wq);
	list_init(&w.node);
	b = bucket_of(&w.key);
	for (;;) {
		flags = spin_lock_irqsave(&b->lock);
		err = read_word_atomic(uaddr, &cur);
		if (!err)
			break;
		spin_unlock_irqrestore(&b->lock, flags);
		if (fault_in_word(uaddr, false))
			return -EFAULT;
	}
	if (cur != val) {
		spin_unlock_irqrestore(&b->lock, flags);
		return -EAGAIN;
	}
	w.bucket = b;
	queue_waiter(b, &w);
	/* The waker takes the bucket lock then ours: holding ours, let the bucket go. */
	spin_lock(&w.lock);
	spin_unlock(&b->lock);
	err = 0;
	while (!w.woken && !err)
		err = wq_wait_interruptible_until(&w.wq, &w.lock, deadline);
	spin_unlock_irqrestore(&w.lock, flags);
	if (!err)
		return 0;
	/* Timed out or interrupted: leave the queue unless a waker took us meanwhile. */
	for (;;) {
		b = READ_ONCE(w.bucket);
		flags = spin_lock_irqsave(&b->lock);
		if (b == w.bucket)
			break;
		spin_unlock_irqrestore(&b->lock, flags);	/* requeued meanwhile */
	}
	spin_lock(&w.lock);
	if (w.woken) {
		err = 0;
	} else {
		list_del(&w.node);
		w.woken = true;
	}
	spin_unlock(&w.lock);
	spin_unlock_irqrestore(&b->lock, flags);
	return err;
}

static int
futex_wake(uint32_t __user *uaddr, bool shared, int nr, uint32_t bitset)
{
	struct futex_waiter *w, *tmp;
	struct futex_bucket *b;
	struct futex_key k;
	unsigned long flags;
	int err, woken = 0;

	if (!bitset)
		return -EINVAL;
	err = get_key(uaddr, shared, &k);
	if (err)
		return err;
	b = bucket_of(&k);
	flags = spin_lock_irqsave(&b->lock);
	list_for_each_entry_safe(w, tmp, &b->waiters, node) {
		if (!key_eq(&w->key, &k) || !(w->bitset & bitset))
			continue;
		wake_waiter(w);
		if (++woken >= nr)	/* as Linux: 0 still wakes one */
			break;
	}
	spin_unlock_irqrestore(&b->lock, flags);
	return woken;
}

int
futex_wake_user(uint32_t __user *uaddr, int nr)
{
	futex_init_once();
	return futex_wake(uaddr, true, nr, FUTEX_BITSET_MATCH_ANY);
}

/* REQUEUE and CMP_REQUEUE: wake nr_wake on uaddr, move up to nr_requeue to uaddr2. */
static int
futex_requeue(uint32_t __user *uaddr, uint32_t __user *uaddr2, bool shared, int nr_wake,
	      int nr_requeue, const uint32_t *cmpval)
{
	struct futex_waiter *w, *tmp;
	struct futex_bucket *b1, *b2;
	struct futex_key k1, k2;
	unsigned long flags;
	int err, woken = 0, moved = 0;
	uint32_t cur;

	if (nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
	err = get_key(uaddr, shared, &k1);
	if (!err)
		err = get_key(uaddr2, shared, &k2);
	if (err)
		return err;
	b1 = bucket_of(&k1);
	b2 = bucket_of(&k2);
	for (;;) {
		flags = lock_two(b1, b2);
		if (!cmpval)
			break;
		err = read_word_atomic(uaddr, &cur);
		if (!err)
			break;
		unlock_two(b1, b2, flags);
		if (fault_in_word(uaddr, false))
			return -EFAULT;
	}
	if (cmpval && cur != *cmpval) {
		unlock_two(b1, b2, flags);
		return -EAGAIN;
	}
	list_for_each_entry_safe(w, tmp, &b1->waiters, node) {
		if (!key_eq(&w->key, &k1))
			continue;
		if (woken < nr_wake) {
			wake_waiter(w);
			woken++;
			continue;
		}
		if (moved >= nr_requeue)
			break;
		w->key = k2;
		if (b1 != b2) {
			list_del(&w->node);
			queue_waiter(b2, w);
			WRITE_ONCE(w->bucket, b2);
		}
		moved++;
	}
	unlock_two(b1, b2, flags);
	return woken + moved;
}

/* WAKE_OP's operation on the old value, or -ENOSYS for an unknown one. */
static int
wake_op_apply(unsigned int op, int oparg, uint32_t old, uint32_t *new)
{
	switch (op) {
	case 0: *new = (uint32_t)oparg; return 0;		/* FUTEX_OP_SET */
	case 1: *new = old + (uint32_t)oparg; return 0;		/* FUTEX_OP_ADD */
	case 2: *new = old | (uint32_t)oparg; return 0;		/* FUTEX_OP_OR */
	case 3: *new = old & ~(uint32_t)oparg; return 0;	/* FUTEX_OP_ANDN */
	case 4: *new = old ^ (uint32_t)oparg; return 0;		/* FUTEX_OP_XOR */
	default: return -ENOSYS;
	}
}

static int
wake_op_compare(unsigned int cmp, int old, int cmparg)
{
	switch (cmp) {
	case 0: return old == cmparg;
	case 1: return old != cmparg;
	case 2: return old < cmparg;
	case 3: return old <= cmparg;
	case 4: return old > cmparg;
	case 5: return old >= cmparg;
	default: return -ENOSYS;
	}
}

static int
futex_wake_op(uint32_t __user *uaddr, uint32_t __user *uaddr2, bool shared, int nr_wake,
	      int nr_wake2, uint32_t encoded)
{
	unsigned int op = (encoded >> 28) & 7, cmp = (encoded >> 24) & 15;
	int oparg = (int)(encoded << 8) >> 20, cmparg = (int)(encoded << 20) >> 20;
	struct futex_waiter *w, *tmp;
	struct futex_bucket *b1, *b2;
	struct futex_key k1, k2;
	unsigned long flags;
	uint32_t old, new, seen;
	int err, hit, woken = 0;

	if (encoded & (8u << 28)) {	/* FUTEX_OP_OPARG_SHIFT */
		if (oparg < 0 || oparg > 31)
			oparg &= 31;	/* Linux warns once and masks */
		oparg = (int)(1u << oparg);
	}
	if (wake_op_apply(op, oparg, 0, &new) || wake_op_compare(cmp, 0, 0) < 0)
		return -ENOSYS;
	err = get_key(uaddr, shared, &k1);
	if (!err)
		err = get_key(uaddr2, shared, &k2);
	if (err)
		return err;
	b1 = bucket_of(&k1);
	b2 = bucket_of(&k2);
	for (;;) {
		flags = lock_two(b1, b2);
		/* The operation is atomic on the word: a compare-and-exchange loop. */
		err = read_word_atomic(uaddr2, &old);
		while (!err) {
			wake_op_apply(op, oparg, old, &new);
			err = cmpxchg_word_atomic(uaddr2, old, new, &seen);
			if (!err && seen == old)
				break;
			old = seen;
		}
		if (!err)
			break;
		unlock_two(b1, b2, flags);
		if (fault_in_word(uaddr2, true))
			return -EFAULT;
	}
	list_for_each_entry_safe(w, tmp, &b1->waiters, node) {
		if (!key_eq(&w->key, &k1))
			continue;
		wake_waiter(w);
		if (++woken >= nr_wake)
			break;
	}
	hit = wake_op_compare(cmp, (int)old, cmparg);
	if (hit) {
		int woken2 = 0;

		list_for_each_entry_safe(w, tmp, &b2->waiters, node) {
			if (!key_eq(&w->key, &k2))
				continue;
			wake_waiter(w);
			woken++;
			if (++woken2 >= nr_wake2)
				break;
		}
	}
	unlock_two(b1, b2, flags);
	return woken;
}

/* ---- the system call ---- */

/* A deadline on time_ns()'s clock: relative ts, or absolute on CLOCK_MONOTONIC/REALTIME. */
static int
futex_deadline(const struct timespec64 *ts, bool absolute, bool realtime, uint64_t *deadline)
{
	int64_t ns;

	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000)
		return -EINVAL;
	if (ts->tv_sec > INT64_MAX / 1000000000 - 1) {
		*deadline = WAIT_FOREVER;
		return 0;
	}
	ns = ts->tv_sec * 1000000000 + ts->tv_nsec;
	if (!absolute) {
		*deadline = time_ns() + (uint64_t)ns;
		return 0;
	}
	if (realtime)
		ns -= realtime_ns() - (int64_t)time_ns();	/* the realtime clock's offset now */
	*deadline = ns < 0 ? 0 : (uint64_t)ns;
	return 0;
}

static long
futex_wait_restart(struct restart_block *rb)
{
	return futex_wait((uint32_t __user *)rb->futex.uaddr, rb->futex.shared, rb->futex.val,
			  rb->futex.deadline, rb->futex.bitset);
}

static long
do_futex(uint32_t __user *uaddr, int op, uint32_t val, const struct timespec64 *timeout,
	 uintptr_t val2, uint32_t __user *uaddr2, uint32_t val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	bool realtime = op & FUTEX_CLOCK_REALTIME;
	bool shared = !(op & FUTEX_PRIVATE_FLAG);
	uint64_t deadline = WAIT_FOREVER;
	long ret;
	int err;

	futex_init_once();
	if (realtime && cmd != FUTEX_WAIT && cmd != FUTEX_WAIT_BITSET &&
	    cmd != FUTEX_WAIT_REQUEUE_PI && cmd != FUTEX_LOCK_PI2)
		return -ENOSYS;
	switch (cmd) {
	case FUTEX_WAIT:
		val3 = FUTEX_BITSET_MATCH_ANY;
		/* fall through */
	case FUTEX_WAIT_BITSET:
		if (timeout) {
			err = futex_deadline(timeout, cmd == FUTEX_WAIT_BITSET, realtime, &deadline);
			if (err)
				return err;
		}
		ret = futex_wait(uaddr, shared, val, deadline, val3);
		if (ret == -ETIMEDOUT)
			return -ETIMEDOUT;
		if (ret != -EINTR)
			return ret;
		if (deadline == WAIT_FOREVER)
			return -ERESTARTSYS;
		{
			struct restart_block *rb = &thread_current()->restart_block;

			rb->fn = futex_wait_restart;
			rb->futex.uaddr = (uintptr_t)uaddr;
			rb->futex.val = val;
			rb->futex.deadline = deadline;
			rb->futex.bitset = val3;
			rb->futex.shared = shared;
		}
		return -ERESTART_RESTARTBLOCK;
	case FUTEX_WAKE:
		val3 = FUTEX_BITSET_MATCH_ANY;
		/* fall through */
	case FUTEX_WAKE_BITSET:
		return futex_wake(uaddr, shared, (int)val, val3);
	case FUTEX_REQUEUE:
		return futex_requeue(uaddr, uaddr2, shared, (int)val, (int)val2, NULL);
	case FUTEX_CMP_REQUEUE:
		return futex_requeue(uaddr, uaddr2, shared, (int)val, (int)val2, &val3);
	case FUTEX_WAKE_OP:
		return futex_wake_op(uaddr, uaddr2, shared, (int)val, (int)val2, val3);
	default:
		/* FUTEX_FD (gone from Linux too) and the priority-inheritance operations. */
		return -ENOSYS;
	}
}

/* The operations whose fourth argument is a timeout pointer (the others pass a number). */
static bool
has_timeout(int op)
{
	int cmd = op & FUTEX_CMD_MASK;

	return cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET || cmd == FUTEX_LOCK_PI ||
	       cmd == FUTEX_LOCK_PI2 || cmd == FUTEX_WAIT_REQUEUE_PI;
}

/* futex on aarch64 and x86_64, futex_time64 on i386: struct __kernel_timespec. */
SYSCALL_DEFINE6(futex, uint32_t __user *, uaddr, int, op, uint32_t, val, uintptr_t, utime,
		uint32_t __user *, uaddr2, uint32_t, val3)
{
	struct timespec64 ts;

	if (utime && has_timeout(op)) {
		if (get_timespec64(&ts, (const struct linux_timespec64 __user *)utime))
			return -EFAULT;
		return do_futex(uaddr, op, val, &ts, 0, uaddr2, val3);
	}
	return do_futex(uaddr, op, val, NULL, utime, uaddr2, val3);
}

#ifdef CONFIG_ARCH_I386
/* i386's futex: a struct old_timespec32. */
SYSCALL_DEFINE6(futex_time32, uint32_t __user *, uaddr, int, op, uint32_t, val, uintptr_t, utime,
		uint32_t __user *, uaddr2, uint32_t, val3)
{
	struct timespec64 ts;

	if (utime && has_timeout(op)) {
		if (get_old_timespec32(&ts, (const struct linux_old_timespec32 __user *)utime))
			return -EFAULT;
		return do_futex(uaddr, op, val, &ts, 0, uaddr2, val3);
	}
	return do_futex(uaddr, op, val, NULL, utime, uaddr2, val3);
}
#endif

/* ---- robust lists and thread exit ---- */

/* struct robust_list_head in user memory: the list, the offset of the word, the pending entry. */
struct k_robust_list_head {
	uintptr_t next;
	long futex_offset;
	uintptr_t list_op_pending;
};

SYSCALL_DEFINE2(set_robust_list, void __user *, head, size_t, len)
{
	if (len != sizeof(struct k_robust_list_head))
		return -EINVAL;
	thread_current()->robust_list = (uintptr_t)head;
	thread_current()->robust_list_len = len;
	return 0;
}

SYSCALL_DEFINE3(get_robust_list, int, pid, uintptr_t __user *, head_ptr, size_t __user *, len_ptr)
{
	struct thread *t;
	unsigned long flags;
	uintptr_t head;
	const struct cred *me = current_cred();
	bool ok;

	if (pid == 0) {
		head = thread_current()->robust_list;
	} else {
		flags = spin_lock_irqsave(&tasklist_lock);
		t = thread_find_locked(pid);
		if (!t) {
			spin_unlock_irqrestore(&tasklist_lock, flags);
			return -ESRCH;
		}
		/* Linux asks for ptrace read access: the same user, or root. */
		ok = me->euid == 0 || t->proc == current_process() ||
		     (t->cred && t->cred->uid == me->uid && t->cred->euid == me->euid);
		head = t->robust_list;
		spin_unlock_irqrestore(&tasklist_lock, flags);
		if (!ok)
			return -EPERM;
	}
	if (put_user(sizeof(struct k_robust_list_head), len_ptr))
		return -EFAULT;
	return put_user(head, head_ptr);
}

/*
 * The owner tid of the robust futex at uaddr died: mark it
 * FUTEX_OWNER_DIED, keeping FUTEX_WAITERS, and wake one waiter so it can
 * take the lock over (Linux's handle_futex_death).  pending: the entry
 * being locked or unlocked when the thread died.
 */
static void
futex_owner_died(uint32_t __user *uaddr, pid_t tid, bool pi, bool pending)
{
	uint32_t uval, mval, seen;

	if (((uintptr_t)uaddr & 3) || !access_ok(uaddr, 4))
		return;
	for (int tries = 0; tries < 100; tries++) {
		if (get_user(uval, uaddr))
			return;
		/* Died between taking the word and queuing it: a waiter may wait for nothing. */
		if (pending && !pi && !uval) {
			futex_wake(uaddr, true, 1, FUTEX_BITSET_MATCH_ANY);
			return;
		}
		if ((uval & FUTEX_TID_MASK) != (uint32_t)tid)
			return;
		mval = (uval & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
		if (cmpxchg_word_atomic(uaddr, uval, mval, &seen)) {
			if (fault_in_word(uaddr, true))
				return;
			continue;
		}
		if (seen != uval)
			continue;	/* changed under us: look again */
		if (!pi && (uval & FUTEX_WAITERS))
			futex_wake(uaddr, true, 1, FUTEX_BITSET_MATCH_ANY);
		return;
	}
}

/* An entry pointer of the list: bit 0 marks a PI futex. */
static int
fetch_entry(uintptr_t *entry, bool *pi, const uintptr_t __user *from)
{
	uintptr_t v;

	if (get_user(v, from))
		return -EFAULT;
	*pi = v & 1;
	*entry = v & ~(uintptr_t)1;
	return 0;
}

static void
exit_robust_list(struct thread *t)
{
	struct k_robust_list_head __user *head = (void __user *)t->robust_list;
	uintptr_t entry, next, pending;
	bool pi, next_pi, pending_pi;
	long offset;

	if (fetch_entry(&entry, &pi, &head->next))
		return;
	if (get_user(offset, &head->futex_offset))
		return;
	if (fetch_entry(&pending, &pending_pi, &head->list_op_pending))
		return;
	for (int limit = ROBUST_LIST_LIMIT; entry != (uintptr_t)&head->next && limit > 0; limit--) {
		int err = fetch_entry(&next, &next_pi, (const uintptr_t __user *)entry);

		if (entry != pending)
			futex_owner_died((uint32_t __user *)(entry + (uintptr_t)offset), t->tid, pi,
					 false);
		if (err)
			return;
		entry = next;
		pi = next_pi;
	}
	if (pending)
		futex_owner_died((uint32_t __user *)(pending + (uintptr_t)offset), t->tid,
				 pending_pi, true);
}

void
futex_exit_release(struct thread *t)
{
	futex_init_once();
	if (t->robust_list) {
		exit_robust_list(t);
		t->robust_list = 0;
	}
	if (t->clear_child_tid) {
		uint32_t __user *tidp = (uint32_t __user *)t->clear_child_tid;

		t->clear_child_tid = 0;
		/* Only another user of the address space can be waiting (Linux's test). */
		if (t->mm && READ_ONCE(t->mm->refs) > 1 && !put_user(0, tidp))
			futex_wake(tidp, true, 1, FUTEX_BITSET_MATCH_ANY);
	}
}
