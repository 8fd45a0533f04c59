/*
 * The system-call dispatcher.  The entry path (kernel/entry.c) hands the
 * call number and the six argument registers to syscall_dispatch(), which
 * runs the handler the port's table names (syscall_table.c, generated from
 * kernel/syscall.tbl by scripts/syscalltbl.py).  A number with no handler,
 * or no call at all, returns -ENOSYS and is logged the first time only:
 * programs probe for calls and fall back (glibc's time64 calls on i386,
 * rseq, statx), and a log line per probe would drown the console.
 */
#include <kernel/atomic.h>
#include <kernel/compiler.h>
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/syscall.h>
#include <kernel/syscall_table.h>
#include <kernel/thread.h>

/* Numbers logged one by one; every number from here up shares one bit. */
#define ENOSYS_LOG_NUMBERS	1024
#define WORD_BITS		(8 * sizeof(unsigned long))

/* A bit per number already logged: set with atomic_fetch_or, never cleared. */
static unsigned long enosys_logged[ENOSYS_LOG_NUMBERS / WORD_BITS + 1];

/* True for the one caller (on any CPU) that sets nr's bit first. */
static bool
enosys_first(unsigned long nr)
{
	unsigned long bit = nr < ENOSYS_LOG_NUMBERS ? nr : ENOSYS_LOG_NUMBERS;
	unsigned long mask = 1ul << (bit % WORD_BITS);
	unsigned long *word = &enosys_logged[bit / WORD_BITS];

	if (READ_ONCE(*word) & mask)
		return false;		/* the common case once logged: no atomic */
	return !(atomic_fetch_or(word, mask) & mask);
}

static long
enosys(unsigned long nr, const char *name)
{
	if (!enosys_first(nr))
		return -ENOSYS;
	if (name)
		pr_warn("syscall: %s (%lu) not implemented, -ENOSYS (thread %s)\n",
			name, nr, thread_current()->name);
	else if (nr < ENOSYS_LOG_NUMBERS)
		pr_warn("syscall: no call %lu on " CONFIG_ARCH ", -ENOSYS (thread %s)\n",
			nr, thread_current()->name);
	else
		pr_warn("syscall: no call %lu on " CONFIG_ARCH ", -ENOSYS (thread %s); "
			"numbers from %u up are not logged again\n",
			nr, thread_current()->name, ENOSYS_LOG_NUMBERS);
	return -ENOSYS;
}

long
syscall_call(const struct syscall_entry *e, const unsigned long args[SYSCALL_NARGS])
{
	if (e->argmap) {
		unsigned long a[SYSCALL_NARGS];

		for (unsigned int i = 0; i < SYSCALL_NARGS; i++)
			a[i] = args[(e->argmap >> (4 * i)) & 0xf];
		return e->fn(a[0], a[1], a[2], a[3], a[4], a[5]);
	}
	return e->fn(args[0], args[1], args[2], args[3], args[4], args[5]);
}

long
syscall_invoke_slow(unsigned long nr, const unsigned long args[SYSCALL_NARGS])
{
	const struct syscall_entry *e;

	if (nr >= syscall_table_size)
		return enosys(nr, NULL);
	e = &syscall_table[nr];
	if (!e->fn)
		return enosys(nr, e->name);
	return syscall_call(e, args);
}

long
syscall_invoke(unsigned long nr, const unsigned long args[SYSCALL_NARGS])
{
	return syscall_dispatch(nr, args);
}

const char *
syscall_name(unsigned long nr)
{
	return nr < syscall_table_size ? syscall_table[nr].name : NULL;
}
