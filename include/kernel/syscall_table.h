/*
 * A port's system-call table, generated from kernel/syscall.tbl by
 * scripts/syscalltbl.py (syscall_table.c in the build directory) and read
 * only by the dispatcher: syscall_dispatch() below, inline in the entry
 * path (kernel/entry.c), and kernel/syscall.c.  Read-only data: no lock.
 */
#ifndef KERNEL_SYSCALL_TABLE_H
#define KERNEL_SYSCALL_TABLE_H

#include <kernel/compiler.h>
#include <kernel/syscall.h>
#include <kernel/types.h>

/* What SYSCALL_DEFINEn defines: sys_<name>(six unsigned longs). */
typedef long syscall_handler_t(unsigned long, unsigned long, unsigned long,
			       unsigned long, unsigned long, unsigned long);

struct syscall_entry {
	syscall_fn_t fn;		/* the handler; NULL: -ENOSYS */
	const char *name;		/* Linux's name; NULL: no call has this number */
	/*
	 * 0: the argument registers go to the handler in order.  Otherwise
	 * bits 4i..4i+3 name the register that becomes argument i (the
	 * table's "[01243]" for x86_64's clone).
	 */
	uint32_t argmap;
};

extern const struct syscall_entry syscall_table[];
extern const unsigned int syscall_table_size;	/* highest number + 1 */
extern const long syscall_nr_restart_syscall;	/* the port's restart_syscall */

/* Run e's handler (not NULL) with the registers in args, as argmap says. */
long syscall_call(const struct syscall_entry *e, const unsigned long args[SYSCALL_NARGS]);
/* syscall_dispatch()'s other cases: an argmap, or -ENOSYS (kernel/syscall.c). */
long syscall_invoke_slow(unsigned long nr, const unsigned long args[SYSCALL_NARGS]);

/*
 * syscall_invoke(), inline for the entry path: the common case is one
 * bounds check and an indirect call with the registers as they came.
 */
static __always_inline long
syscall_dispatch(unsigned long nr, const unsigned long args[SYSCALL_NARGS])
{
	if (likely(nr < syscall_table_size)) {
		const struct syscall_entry *e = &syscall_table[nr];

		if (likely(e->fn && !e->argmap))
			return e->fn(args[0], args[1], args[2], args[3], args[4], args[5]);
	}
	return syscall_invoke_slow(nr, args);
}

#endif
