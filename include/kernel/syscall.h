/*
 * System-call handlers.  Each is defined with SYSCALL_DEFINEn(name, type,
 * arg, ...), which gives it the one signature the dispatcher calls,
 * long sys_<name>(six unsigned longs), and unpacks the arguments into the
 * typed parameters of its body.  The table source (kernel/syscall.tbl)
 * names the handler of every Linux call per port; the build generates each
 * port's table from it, and a call whose handler no file defines answers
 * -ENOSYS (its table slot is a weak reference).  Handlers return a result
 * or a negative errno, and take user pointers only through
 * <kernel/uaccess.h>.
 */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include <kernel/types.h>
#include <kernel/uaccess.h>

#define SYSCALL_NARGS	6

typedef long (*syscall_fn_t)(unsigned long, unsigned long, unsigned long,
			     unsigned long, unsigned long, unsigned long);

#define __SC_PARAMS							\
	__attribute__((unused)) unsigned long __a0,			\
	__attribute__((unused)) unsigned long __a1,			\
	__attribute__((unused)) unsigned long __a2,			\
	__attribute__((unused)) unsigned long __a3,			\
	__attribute__((unused)) unsigned long __a4,			\
	__attribute__((unused)) unsigned long __a5

#define __SC_DEFINE(name, params, args)					\
	long sys_##name(__SC_PARAMS);					\
	static inline long do_sys_##name params;			\
	long sys_##name(__SC_PARAMS) { return do_sys_##name args; }	\
	static inline long do_sys_##name params

#define SYSCALL_DEFINE0(name)						\
	__SC_DEFINE(name, (void), ())
#define SYSCALL_DEFINE1(name, t0, a0)					\
	__SC_DEFINE(name, (t0 a0), ((t0)__a0))
#define SYSCALL_DEFINE2(name, t0, a0, t1, a1)				\
	__SC_DEFINE(name, (t0 a0, t1 a1), ((t0)__a0, (t1)__a1))
#define SYSCALL_DEFINE3(name, t0, a0, t1, a1, t2, a2)			\
	__SC_DEFINE(name, (t0 a0, t1 a1, t2 a2), ((t0)__a0, (t1)__a1, (t2)__a2))
#define SYSCALL_DEFINE4(name, t0, a0, t1, a1, t2, a2, t3, a3)		\
	__SC_DEFINE(name, (t0 a0, t1 a1, t2 a2, t3 a3),			\
		    ((t0)__a0, (t1)__a1, (t2)__a2, (t3)__a3))
#define SYSCALL_DEFINE5(name, t0, a0, t1, a1, t2, a2, t3, a3, t4, a4)	\
	__SC_DEFINE(name, (t0 a0, t1 a1, t2 a2, t3 a3, t4 a4),		\
		    ((t0)__a0, (t1)__a1, (t2)__a2, (t3)__a3, (t4)__a4))
#define SYSCALL_DEFINE6(name, t0, a0, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5) \
	__SC_DEFINE(name, (t0 a0, t1 a1, t2 a2, t3 a3, t4 a4, t5 a5),	\
		    ((t0)__a0, (t1)__a1, (t2)__a2, (t3)__a3, (t4)__a4, (t5)__a5))

/*
 * On i386 a 64-bit argument (an offset, a length) arrives as two
 * registers, low word first.
 */
#define SC_ARG64(lo, hi)	((int64_t)(((uint64_t)(uint32_t)(hi) << 32) | (uint32_t)(lo)))

/*
 * Run system call nr of this port with the six raw arguments: the
 * handler's result, or -ENOSYS (logged once per number, with the call's
 * name) when the port has no such call or no handler for it.
 */
long syscall_invoke(unsigned long nr, const unsigned long args[SYSCALL_NARGS]);
/* The call's Linux name on this port ("openat"), or NULL. */
const char *syscall_name(unsigned long nr);

#endif
