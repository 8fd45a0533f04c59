/*
 * The one way the kernel touches user memory.  Every access goes through
 * the port's fault-tolerant copy routine (arch/<port>/uaccess.S): a
 * pointer outside user space is refused before any access, and a fault
 * inside it that demand paging cannot resolve resumes at an
 * exception-table fixup, so a bad user pointer is -EFAULT and never a
 * kernel crash.  Where the CPU has PAN (aarch64) or SMAP (x86), user
 * memory is reachable only inside these routines.
 *
 * All return 0 or a negative errno unless they say otherwise; they may
 * sleep (a page fault may allocate) and must be called in thread context.
 */
#ifndef KERNEL_UACCESS_H
#define KERNEL_UACCESS_H

#include <arch/mmu.h>
#include <kernel/compiler.h>
#include <kernel/errno.h>
#include <kernel/types.h>


/* [p, p + n) lies inside user space (no wrap). */
static inline bool
access_ok(const void __user *p, size_t n)
{
	uintptr_t a = (uintptr_t)p;

	return a <= USER_TOP && n <= USER_TOP - a;
}

/*
 * The port's copies: n bytes between user memory already checked by
 * access_ok() and kernel memory.  They return the bytes NOT copied (0 when
 * all went well); a fault stops them exactly at the first byte that could
 * not be accessed.  arch_clear_user() likewise zeroes; arch_strnlen_user()
 * returns the string's length (without the NUL) when a NUL comes within
 * n bytes, n when none does, and -1 on a fault.
 */
size_t arch_copy_from_user(void *dst, const void __user *src, size_t n);
size_t arch_copy_to_user(void __user *dst, const void *src, size_t n);
size_t arch_clear_user(void __user *dst, size_t n);
long arch_strnlen_user(const char __user *s, size_t n);

/*
 * Atomically: if the word at uaddr (aligned, checked by access_ok()) is
 * old, store new; *cur gets the value found (the store happened when it
 * equals old).  0, or -EFAULT at a fault demand paging cannot resolve.
 * For futexes.
 */
int arch_user_cmpxchg32(uint32_t __user *uaddr, uint32_t old, uint32_t new, uint32_t *cur);

/*
 * Between these, a fault in a user copy is not paged in: the copy fails
 * with -EFAULT at once.  For callers holding a spinlock (a fault may
 * sleep), which then drop it, fault the page in and try again.  They nest.
 */
void pagefault_disable(void);
void pagefault_enable(void);

#ifdef CONFIG_PROCESSES
/* Bytes not copied, like the arch routines (partial reads and writes). */
size_t copy_from_user_partial(void *dst, const void __user *src, size_t n);
size_t copy_to_user_partial(void __user *dst, const void *src, size_t n);
int copy_from_user(void *dst, const void __user *src, size_t n);
int copy_to_user(void __user *dst, const void *src, size_t n);
int clear_user(void __user *dst, size_t n);
#else
/*
 * Without processes there is no user memory, so no user pointer is good;
 * only system calls pass them, and there are none (the drivers' ioctls
 * are built all the same).
 */
static inline int
copy_from_user(void *dst, const void __user *src, size_t n)
{
	return n ? -EFAULT : 0;
}

static inline int
copy_to_user(void __user *dst, const void *src, size_t n)
{
	return n ? -EFAULT : 0;
}
#endif
/*
 * Copy the NUL-terminated string at src into dst (size bytes, NUL
 * included): its length, -EFAULT, or -ENAMETOOLONG when it does not fit.
 */
long strncpy_from_user(char *dst, const char __user *src, size_t size);
/*
 * The string at src (at most size bytes with its NUL) in a kmalloc'ed
 * buffer of its own length (kfree it): its length, -EFAULT or -ENAMETOOLONG.
 */
long strndup_user(const char __user *src, size_t size, char **out);
/* A path name (PATH_MAX with its NUL) the same way: its length or an error. */
long getname(const char __user *path, char **out);

/* One scalar (1, 2, 4 or 8 bytes) to or from user memory. */
#define get_user(x, ptr)						\
	({								\
		/* Bytes first: ptr may point to const. */		\
		union {							\
			__typeof__(*(ptr)) v;				\
			unsigned char b[sizeof(*(ptr))];		\
		} __gu;							\
		int __gu_e = copy_from_user(__gu.b, (ptr), sizeof(*(ptr))); \
		(x) = __gu_e ? (__typeof__(*(ptr)))0 : __gu.v;		\
		__gu_e;							\
	})
#define put_user(x, ptr)						\
	({								\
		__typeof__(*(ptr)) __pu_v = (x);			\
		copy_to_user((ptr), &__pu_v, sizeof(*(ptr)));		\
	})

#endif
