/*
 * Word-sized atomic operations for the core.  Where the port has atomic
 * instructions (ARCH_HAS_ATOMICS) these are the compiler's __atomic
 * built-ins; where it has none (ARMv6-M, which is always one CPU) an
 * operation is a short section with interrupts masked, which on one CPU
 * is just as indivisible.  Use them on naturally aligned words (int,
 * long, pointers); 64-bit values on 32-bit ports need a lock or a
 * sequence count instead.
 *
 * Ordering: the read-modify-write operations are fully ordered unless
 * named _relaxed; load_acquire()/store_release() pair up across CPUs.
 */
#ifndef KERNEL_ATOMIC_H
#define KERNEL_ATOMIC_H

#include <kernel/compiler.h>
#include <arch/cpu.h>

#ifdef CONFIG_ARCH_HAS_ATOMICS

#define load_acquire(p)		__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define atomic_fetch_add(p, v)	__atomic_fetch_add((p), (v), __ATOMIC_SEQ_CST)
#define atomic_add_return(p, v)	__atomic_add_fetch((p), (v), __ATOMIC_SEQ_CST)
#define atomic_sub_return(p, v)	__atomic_sub_fetch((p), (v), __ATOMIC_SEQ_CST)
#define atomic_inc_relaxed(p)	((void)__atomic_fetch_add((p), 1, __ATOMIC_RELAXED))
#define atomic_fetch_or(p, v)	__atomic_fetch_or((p), (v), __ATOMIC_SEQ_CST)
#define atomic_xchg(p, v)	__atomic_exchange_n((p), (v), __ATOMIC_SEQ_CST)
/* *p == *old: store new, true; else *old = *p, false. */
#define atomic_cmpxchg(p, old, new)					\
	__atomic_compare_exchange_n((p), (old), (new), false,		\
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)

#else /* one CPU without atomic instructions: mask interrupts */

#define load_acquire(p) ({						\
	__typeof__(*(p)) v_ = READ_ONCE(*(p));				\
	barrier();							\
	v_;								\
})
#define store_release(p, v) do {					\
	barrier();							\
	WRITE_ONCE(*(p), (v));						\
} while (0)
#define atomic_op_(p, expr) ({						\
	unsigned long f_ = arch_irq_save();				\
	__typeof__(*(p)) old_ = *(p);					\
	*(p) = (expr);							\
	arch_irq_restore(f_);						\
	old_;								\
})
#define atomic_fetch_add(p, v)	atomic_op_(p, old_ + (v))
#define atomic_add_return(p, v)	(atomic_op_(p, old_ + (v)) + (v))
#define atomic_sub_return(p, v)	(atomic_op_(p, old_ - (v)) - (v))
#define atomic_inc_relaxed(p)	((void)atomic_op_(p, old_ + 1))
#define atomic_fetch_or(p, v)	atomic_op_(p, old_ | (v))
#define atomic_xchg(p, v)	atomic_op_(p, (v))
#define atomic_cmpxchg(p, old, new) ({					\
	unsigned long f_ = arch_irq_save();				\
	bool ok_ = *(p) == *(old);					\
	if (ok_)							\
		*(p) = (new);						\
	else								\
		*(old) = *(p);						\
	arch_irq_restore(f_);						\
	ok_;								\
})

#endif

#endif
