/*
 * Thread-local storage for x86 user programs: arch_prctl's FS base on
 * x86-64, set_thread_area's TLS descriptor on i386 (one GDT slot,
 * GDT_TLS, loaded with the thread at every switch: thread.c).
 */
#include <arch/user.h>
#include <asm/segment.h>
#include <kernel/errno.h>
#include <kernel/syscall.h>
#include <kernel/thread.h>
#include <kernel/uaccess.h>

#ifdef __x86_64__
#define ARCH_SET_GS	0x1001
#define ARCH_SET_FS	0x1002
#define ARCH_GET_FS	0x1003
#define ARCH_GET_GS	0x1004

SYSCALL_DEFINE2(arch_prctl, int, code, unsigned long, addr)
{
	struct thread *me = thread_current();

	switch (code) {
	case ARCH_SET_FS:
		if (addr >= USER_TOP)
			return -EPERM;
		arch_set_tls(me, addr);
		return 0;
	case ARCH_GET_FS:
		return put_user(me->arch.tls, (unsigned long __user *)addr);
	case ARCH_GET_GS:
		return put_user(0UL, (unsigned long __user *)addr);
	case ARCH_SET_GS:
		/* The user GS base is always 0 here (the entry code relies on it). */
		return addr ? -EPERM : 0;
	default:
		return -EINVAL;
	}
}

int
arch_clone_tls(struct thread *t, uintptr_t tls)
{
	arch_set_tls(t, tls);		/* the FS base itself */
	return 0;
}
#else
/* struct user_desc (asm/ldt.h) */
struct user_desc {
	uint32_t entry_number;
	uint32_t base_addr;
	uint32_t limit;
	uint32_t seg_32bit : 1;
	uint32_t contents : 2;
	uint32_t read_exec_only : 1;
	uint32_t limit_in_pages : 1;
	uint32_t seg_not_present : 1;
	uint32_t useable : 1;
};

/* "Empty" as Linux's LDT_empty(): clearing the slot. */
static bool
desc_empty(const struct user_desc *u)
{
	return (!u->base_addr && !u->limit && !u->contents && u->read_exec_only &&
		!u->seg_32bit && !u->limit_in_pages && u->seg_not_present && !u->useable) ||
	       (!u->base_addr && !u->limit && !u->contents && !u->read_exec_only &&
		!u->seg_32bit && !u->limit_in_pages && !u->seg_not_present && !u->useable);
}

/* The GS base a descriptor asks for: 0 or -EINVAL (u->entry_number already checked). */
static int
desc_base(const struct user_desc *u, uintptr_t *base)
{
	if (desc_empty(u)) {
		*base = 0;
		return 0;
	}
	/* A flat data segment at base: what glibc asks for (32-bit, 4 GiB in pages). */
	if (u->contents != 0 || u->seg_not_present)
		return -EINVAL;
	*base = u->base_addr;
	return 0;
}

SYSCALL_DEFINE1(set_thread_area, struct user_desc __user *, uinfo)
{
	struct user_desc u;
	uintptr_t base;
	int err;

	if (copy_from_user(&u, uinfo, sizeof(u)))
		return -EFAULT;
	if (u.entry_number == (uint32_t)-1) {
		u.entry_number = GDT_TLS;
		if (put_user(u.entry_number, &uinfo->entry_number))
			return -EFAULT;
	} else if (u.entry_number != GDT_TLS) {
		return -EINVAL;		/* one TLS slot (Linux has three) */
	}
	err = desc_base(&u, &base);
	if (!err)
		arch_set_tls(thread_current(), base);
	return err;
}

/* i386's clone(CLONE_SETTLS) passes a struct user_desc, as set_thread_area. */
int
arch_clone_tls(struct thread *t, uintptr_t tls)
{
	struct user_desc u;
	uintptr_t base;
	int err;

	if (copy_from_user(&u, (const void __user *)tls, sizeof(u)))
		return -EFAULT;
	if (u.entry_number != GDT_TLS)
		return -EINVAL;
	err = desc_base(&u, &base);
	if (!err)
		arch_set_tls(t, base);
	return err;
}

SYSCALL_DEFINE1(get_thread_area, struct user_desc __user *, uinfo)
{
	struct user_desc u = { 0 };
	uint32_t entry;

	if (get_user(entry, &uinfo->entry_number))
		return -EFAULT;
	if (entry != GDT_TLS)
		return -EINVAL;
	u.entry_number = entry;
	u.base_addr = (uint32_t)thread_current()->arch.tls;
	u.limit = 0xfffff;
	u.seg_32bit = 1;
	u.limit_in_pages = 1;
	u.useable = 1;
	u.read_exec_only = !u.base_addr;
	u.seg_not_present = !u.base_addr;
	return copy_to_user(uinfo, &u, sizeof(u));
}
#endif
