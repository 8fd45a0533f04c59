/*
 * User-memory access: the range checks and string handling around each
 * port's fault-tolerant copy routines (arch/<port>/uaccess.S).  The
 * routines stop at a fault that demand paging could not resolve (the
 * page-fault path resumes them at their exception-table fixup).
 */
#include <string.h>
#include <kernel/errno.h>
#include <kernel/slab.h>
#include <kernel/thread.h>
#include <kernel/uaccess.h>
#include <kernel/vfs.h>

size_t
copy_from_user_partial(void *dst, const void __user *src, size_t n)
{
	if (!access_ok(src, n))
		return n;
	return arch_copy_from_user(dst, src, n);
}

size_t
copy_to_user_partial(void __user *dst, const void *src, size_t n)
{
	if (!access_ok(dst, n))
		return n;
	return arch_copy_to_user(dst, src, n);
}

int
copy_from_user(void *dst, const void __user *src, size_t n)
{
	if (copy_from_user_partial(dst, src, n)) {
		/* Linux zeroes what it could not fetch: no stale kernel bytes leak on. */
		memset(dst, 0, n);
		return -EFAULT;
	}
	return 0;
}

int
copy_to_user(void __user *dst, const void *src, size_t n)
{
	return copy_to_user_partial(dst, src, n) ? -EFAULT : 0;
}

int
clear_user(void __user *dst, size_t n)
{
	if (!access_ok(dst, n))
		return -EFAULT;
	return arch_clear_user(dst, n) ? -EFAULT : 0;
}

/*
 * Length of the user string at src, bounded by size: -EFAULT when it runs
 * into an unmapped page or off the end of user space, -ENAMETOOLONG when
 * size bytes hold no NUL.
 */
static long
user_strlen(const char __user *src, size_t size)
{
	uintptr_t a = (uintptr_t)src;
	size_t room;
	long len;

	if (size == 0)
		return -ENAMETOOLONG;
	if (a >= USER_TOP)
		return -EFAULT;
	/* The string may end before the limit; never look past user space. */
	room = USER_TOP - a < size ? USER_TOP - a : size;
	len = arch_strnlen_user(src, room);
	if (len < 0)
		return -EFAULT;
	if ((size_t)len == room)
		return room < size ? -EFAULT : -ENAMETOOLONG;
	return len;
}

long
strncpy_from_user(char *dst, const char __user *src, size_t size)
{
	long len = user_strlen(src, size);

	if (len < 0)
		return len;
	if (arch_copy_from_user(dst, src, (size_t)len + 1))
		return -EFAULT;		/* unmapped meanwhile by another thread */
	dst[len] = '\0';
	return len;
}

/*
 * A buffer of the name's own size: a PATH_MAX one is a whole page from the
 * page allocator (past the largest kmalloc cache) on every open, stat or
 * exec, for names that are mostly a few dozen bytes.
 */
long
getname(const char __user *path, char **out)
{
	return strndup_user(path, PATH_MAX, out);
}

long
strndup_user(const char __user *src, size_t size, char **out)
{
	long len = user_strlen(src, size);
	char *s;

	if (len < 0)
		return len;
	s = kmalloc((size_t)len + 1);
	if (!s)
		return -ENOMEM;
	/* Only the bytes measured: another thread may change the string meanwhile. */
	if (arch_copy_from_user(s, src, (size_t)len)) {
		kfree(s);
		return -EFAULT;
	}
	s[len] = '\0';
	*out = s;
	return len;
}

void
pagefault_disable(void)
{
	thread_current()->pagefault_disabled++;
	barrier();
}

void
pagefault_enable(void)
{
	barrier();
	thread_current()->pagefault_disabled--;
}
