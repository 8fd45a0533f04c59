/*
 * Lock-order checking (CONFIG_DEBUG_LOCK_ORDER).  Locks belong to classes
 * named by their initialiser ("semaphore", "runqueue", "misuse-a"); every
 * thread keeps a stack of what it holds.  When a thread takes class B
 * while holding class A, the edge A -> B joins a graph of orders seen so
 * far.  If B can already reach A in that graph, some other path took them
 * the other way round: two CPUs taking the two paths at once deadlock.
 * That is reported at once, naming both locks, whether or not this run
 * ever deadlocked.
 *
 * Interrupt handlers push onto the interrupted thread's stack: a lock
 * taken in a handler is taken while the thread's locks are held, which is
 * an order like any other.  Trylocks add no edge (they cannot wait).
 */
#include <string.h>
#include <arch/cpu.h>
#include <kernel/panic.h>
#include <kernel/spinlock.h>
#include <kernel/thread.h>
#include "lock_order.h"

#define MAX_CLASSES	CONFIG_LOCK_ORDER_CLASSES
#define BITS		(8 * sizeof(unsigned long))
#define WORDS		((MAX_CLASSES + BITS - 1) / BITS)

/* Written under graph_lock (raw, interrupts masked); edges read without. */
static struct spinlock graph_lock;
static const char *class_name[MAX_CLASSES];	/* index 0: unused */
static unsigned int nr_classes = 1;
static unsigned long after[MAX_CLASSES][WORDS];	/* bit b of after[a]: b taken holding a */
static bool disabled;				/* after a report, or out of classes */

static bool
edge(unsigned int a, unsigned int b)
{
	return (after[a][b / BITS] >> (b % BITS)) & 1;
}

/* Is there a path from -> ... -> to in the graph?  Breadth first. */
static bool
reaches(unsigned int from, unsigned int to)
{
	static unsigned long seen[WORDS];
	static uint16_t queue[MAX_CLASSES];	/* graph_lock, like the rest */
	unsigned int head = 0, tail = 0;

	memset(seen, 0, sizeof(seen));
	queue[tail++] = (uint16_t)from;
	seen[from / BITS] |= 1UL << (from % BITS);
	while (head < tail) {
		unsigned int c = queue[head++];

		for (unsigned int w = 0; w < WORDS; w++) {
			unsigned long next = after[c][w] & ~seen[w];

			while (next) {
				unsigned int n = w * BITS + (unsigned int)__builtin_ctzl(next);

				next &= next - 1;
				if (n == to)
					return true;
				seen[w] |= 1UL << (n % BITS);
				queue[tail++] = (uint16_t)n;
			}
		}
	}
	return false;
}

static unsigned int
class_of(uint16_t *slot, const char *name)
{
	unsigned int c;

	if (*slot)
		return *slot;		/* another CPU named it meanwhile */
	for (c = 1; c < nr_classes; c++)
		if (strcmp(class_name[c], name) == 0)
			break;
	if (c == nr_classes) {
		if (nr_classes == MAX_CLASSES) {
			disabled = true;	/* would rather stop than guess */
			return 0;
		}
		class_name[nr_classes++] = name;
	}
	WRITE_ONCE(*slot, (uint16_t)c);
	return c;
}

static __noreturn void
report(const char *fmt, const char *a, const char *b)
{
	disabled = true;		/* panic's own locks must not come back here */
	raw_spin_unlock(&graph_lock);
	panic(fmt, a, b, b, a);
}

/*
 * The common case takes no global lock: the class is known and every
 * edge from the held classes exists already (bits are only ever set, so
 * reading them racily can only send us the slow way for nothing).  A new
 * edge is checked against the graph and added under graph_lock.
 */
void
lock_order_acquire(uint16_t *slot, const char *name, const void *lock, unsigned int how)
{
	struct thread *me = thread_current();
	unsigned long flags;
	unsigned int c;
	bool new_edge = false;

	if (!me || READ_ONCE(disabled))
		return;
	flags = arch_irq_save();	/* the held stack: interrupts push on it too */
	c = READ_ONCE(*slot);
	if (!c) {
		raw_spin_lock(&graph_lock);
		c = class_of(slot, name);
		raw_spin_unlock(&graph_lock);
		if (!c)
			goto out;
	}
	for (unsigned int i = 0; i < me->nr_held_order; i++) {
		unsigned int h = me->held_order[i].class;

		if (h == c) {
			if (how == LOCK_ORDER_NESTED || how == LOCK_ORDER_TRY ||
			    me->held_order[i].lock == lock)
				continue;	/* ordered by the caller; recursion: spinlock.c */
			raw_spin_lock(&graph_lock);
			report("lock order: %s taken while holding another %s (same class, "
			       "no order between them; %s/%s)", name, class_name[h]);
		}
		if (how != LOCK_ORDER_TRY && !edge(h, c))
			new_edge = true;
	}
	if (new_edge) {
		raw_spin_lock(&graph_lock);
		for (unsigned int i = 0; i < me->nr_held_order && !disabled; i++) {
			unsigned int h = me->held_order[i].class;

			if (h == c || edge(h, c))
				continue;
			if (reaches(c, h))
				report("lock order: %s taken while holding %s, but %s was taken "
				       "while holding %s before: AB/BA deadlock", name, class_name[h]);
			after[h][c / BITS] |= 1UL << (c % BITS);
		}
		raw_spin_unlock(&graph_lock);
	}
	if (me->nr_held_order < LOCK_ORDER_DEPTH) {
		me->held_order[me->nr_held_order].lock = lock;
		me->held_order[me->nr_held_order].class = (uint16_t)c;
		me->nr_held_order++;
	}
out:
	arch_irq_restore(flags);
}

void
lock_order_release(const void *lock)
{
	struct thread *me = thread_current();
	unsigned long flags;

	if (!me)
		return;
	flags = arch_irq_save();
	for (unsigned int i = me->nr_held_order; i-- > 0;) {
		if (me->held_order[i].lock != lock)
			continue;
		for (unsigned int j = i + 1; j < me->nr_held_order; j++)
			me->held_order[j - 1] = me->held_order[j];
		me->nr_held_order--;
		break;
	}
	arch_irq_restore(flags);
}
