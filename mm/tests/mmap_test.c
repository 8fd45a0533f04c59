/*
 * Process address spaces without a process: the test thread takes a fresh
 * mm as its own, so the user-copy routines reach it exactly as a system
 * call would (demand paging and copy-on-write through the page-fault
 * path), and every test checks that the free page count comes back.
 */
#include <string.h>
#include <arch/mmu.h>
#include <kernel/errno.h>
#include <kernel/ktest.h>
#include <kernel/ktest_process.h>
#include <kernel/mm.h>
#include <kernel/mman.h>
#include <kernel/slab.h>
#include <kernel/thread.h>
#include <kernel/uaccess.h>
#include <kernel/vm.h>

#define BASE	0x10000000UL

struct borrow {
	struct mm *saved;
	size_t free_before;
};

static size_t
free_pages_now(void)
{
	struct mm_stats st;

	kmalloc_shrink();
	kstack_shrink();
	mm_stats(&st);
	return st.free_pages;
}

static struct mm *
begin(struct borrow *b)
{
	struct mm *mm;

	b->saved = thread_current()->mm;
	b->free_before = free_pages_now();
	mm = mm_create();
	if (mm) {
		mm->mmap_base = 0x40000000UL;
		mm->brk_start = mm->brk = 0x20000000UL;
		ktest_use_mm(mm);
	}
	return mm;
}

static void
end(struct borrow *b, struct mm *mm)
{
	ktest_use_mm(b->saved);
	mm_put(mm);
	KEXPECT_EQ(free_pages_now(), b->free_before);
}

static int
poke(uintptr_t addr, uint32_t v)
{
	return copy_to_user((void __user *)addr, &v, sizeof(v));
}

static long
peek(uintptr_t addr)
{
	uint32_t v;

	return copy_from_user(&v, (const void __user *)addr, sizeof(v)) ? -EFAULT : (long)v;
}

KTEST(mmap, anonymous_demand_zero)
{
	struct borrow b;
	struct mm *mm = begin(&b);

	KASSERT(mm);
	KEXPECT_EQ(mm_mmap(mm, BASE, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0), (long)BASE);
	KEXPECT_EQ(mm->nr_pages, 0);			/* nothing until touched */
	KEXPECT_EQ(peek(BASE + PAGE_SIZE + 8), 0);
	KEXPECT_EQ(poke(BASE + 2 * PAGE_SIZE, 0x1234), 0);
	KEXPECT_EQ(peek(BASE + 2 * PAGE_SIZE), 0x1234);
	KEXPECT_EQ(mm->nr_pages, 2);
	KEXPECT_EQ(peek(BASE + 3 * PAGE_SIZE), -EFAULT);	/* past the mapping */
	KEXPECT_EQ(peek(BASE - 4), -EFAULT);
	end(&b, mm);
}

KTEST(mmap, protections)
{
	struct borrow b;
	struct mm *mm = begin(&b);

	KASSERT(mm);
	KEXPECT_EQ(mm_mmap(mm, BASE, 2 * PAGE_SIZE, PROT_READ,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0), (long)BASE);
	KEXPECT_EQ(poke(BASE, 1), -EFAULT);		/* read-only */
	KEXPECT_EQ(peek(BASE), 0);
	KEXPECT_EQ(mm_mprotect(mm, BASE, PAGE_SIZE, PROT_READ | PROT_WRITE), 0);
	KEXPECT_EQ(poke(BASE, 7), 0);
	KEXPECT_EQ(poke(BASE + PAGE_SIZE, 7), -EFAULT);	/* the other half stayed */
	KEXPECT_EQ(mm_mprotect(mm, BASE, PAGE_SIZE, PROT_NONE), 0);
	KEXPECT_EQ(peek(BASE), -EFAULT);
	KEXPECT_EQ(mm_mprotect(mm, BASE, PAGE_SIZE, PROT_READ), 0);
	KEXPECT_EQ(peek(BASE), 7);			/* the data survived PROT_NONE */
	KEXPECT_EQ(mm_mprotect(mm, BASE + 1, PAGE_SIZE, PROT_READ), -EINVAL);
	KEXPECT_EQ(mm_mprotect(mm, BASE, 4 * PAGE_SIZE, PROT_READ), -ENOMEM);	/* a hole */
	KEXPECT_EQ(mm_mprotect(mm, BASE, PAGE_SIZE, 0x100), -EINVAL);
	end(&b, mm);
}

KTEST(mmap, placement_rules)
{
	struct borrow b;
	struct mm *mm = begin(&b);
	long a, c;

	KASSERT(mm);
	a = mm_mmap(mm, 0, 5000, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
	KEXPECT_OP(a, <, 0x40000000UL);
	KEXPECT_EQ(a & (PAGE_SIZE - 1), 0);
	c = mm_mmap(mm, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
	KEXPECT_OP(c, <, a);					/* top down */
	KEXPECT_EQ(mm_mmap(mm, (uintptr_t)a, PAGE_SIZE, PROT_READ,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, NULL, 0), -EEXIST);
	KEXPECT_EQ(mm_mmap(mm, BASE + 1, PAGE_SIZE, PROT_READ,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0), -EINVAL);
	KEXPECT_EQ(mm_mmap(mm, 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0), -EINVAL);
	KEXPECT_EQ(mm_mmap(mm, 0, PAGE_SIZE, PROT_READ, MAP_ANONYMOUS, NULL, 0), -EINVAL);
	KEXPECT_EQ(mm_mmap(mm, 0x1000, PAGE_SIZE, PROT_READ,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0), -EPERM);
	KEXPECT_EQ(mm_mmap(mm, 0, USER_TOP, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0),
		   -ENOMEM);
	/* MAP_FIXED over an existing mapping replaces it (and its pages). */
	KEXPECT_EQ(poke((uintptr_t)a, 5), -EFAULT);
	KEXPECT_EQ(mm_mmap(mm, (uintptr_t)a, PAGE_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0), a);
	KEXPECT_EQ(poke((uintptr_t)a, 5), 0);
	KEXPECT_EQ(mm_munmap(mm, (uintptr_t)a, 2 * PAGE_SIZE), 0);
	KEXPECT_EQ(peek((uintptr_t)a), -EFAULT);
	KEXPECT_EQ(mm_munmap(mm, (uintptr_t)a + 1, PAGE_SIZE), -EINVAL);
	KEXPECT_EQ(mm_munmap(mm, (uintptr_t)a, 0), -EINVAL);
	end(&b, mm);
}

KTEST(mmap, munmap_splits)
{
	struct borrow b;
	struct mm *mm = begin(&b);

	KASSERT(mm);
	KEXPECT_EQ(mm_mmap(mm, BASE, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0), (long)BASE);
	for (int i = 0; i < 4; i++)
		KEXPECT_EQ(poke(BASE + i * PAGE_SIZE, 100 + i), 0);
	KEXPECT_EQ(mm_munmap(mm, BASE + PAGE_SIZE, PAGE_SIZE), 0);
	KEXPECT_EQ(peek(BASE), 100);
	KEXPECT_EQ(peek(BASE + PAGE_SIZE), -EFAULT);
	KEXPECT_EQ(peek(BASE + 2 * PAGE_SIZE), 102);
	KEXPECT_EQ(mm->nr_pages, 3);
	end(&b, mm);
}

KTEST(mmap, brk_grows_and_shrinks)
{
	struct borrow b;
	struct mm *mm = begin(&b);
	vaddr_t start;

	KASSERT(mm);
	start = mm->brk;
	KEXPECT_EQ(mm_brk(mm, 0), (long)start);		/* a query */
	KEXPECT_EQ(mm_brk(mm, start + 10000), (long)(start + 10000));
	KEXPECT_EQ(poke(start + 9996, 3), 0);
	KEXPECT_EQ(peek(start + 12288), -EFAULT);	/* beyond the page of the break */
	KEXPECT_EQ(mm_brk(mm, start + 100), (long)(start + 100));
	KEXPECT_EQ(peek(start + 9996), -EFAULT);		/* released */
	KEXPECT_EQ(mm_brk(mm, start - PAGE_SIZE), (long)(start + 100));	/* below the start */
	/* A mapping in the way stops the heap. */
	KEXPECT_EQ(mm_mmap(mm, start + 2 * PAGE_SIZE, PAGE_SIZE, PROT_READ,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0), (long)(start + 2 * PAGE_SIZE));
	KEXPECT_EQ(mm_brk(mm, start + 5 * PAGE_SIZE), (long)(start + 100));
	end(&b, mm);
}

KTEST(mmap, fork_is_copy_on_write)
{
	struct borrow b;
	struct mm *mm = begin(&b), *child;
	size_t before;

	KASSERT(mm);
	KEXPECT_EQ(mm_mmap(mm, BASE, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0), (long)BASE);
	KEXPECT_EQ(poke(BASE, 11), 0);
	KEXPECT_EQ(poke(BASE + PAGE_SIZE, 22), 0);
	before = free_pages_now();
	child = mm_fork(mm);
	KASSERT(child);
	/* No user page was copied: only the child's tables and VMAs cost memory. */
	KEXPECT_OP(before - free_pages_now(), <=, 16);
	KEXPECT_EQ(child->nr_pages, 2);
	/* The parent writes: it gets a copy, the child keeps the old value. */
	KEXPECT_EQ(poke(BASE, 12), 0);
	ktest_use_mm(child);
	KEXPECT_EQ(peek(BASE), 11);
	KEXPECT_EQ(poke(BASE + PAGE_SIZE, 33), 0);	/* now the child copies */
	ktest_use_mm(mm);
	KEXPECT_EQ(peek(BASE), 12);
	KEXPECT_EQ(peek(BASE + PAGE_SIZE), 22);
	mm_put(child);
	/* The last holder writes without copying. */
	KEXPECT_EQ(poke(BASE + PAGE_SIZE, 44), 0);
	KEXPECT_EQ(peek(BASE + PAGE_SIZE), 44);
	end(&b, mm);
}

KTEST(mmap, mremap_moves_and_grows)
{
	struct borrow b;
	struct mm *mm = begin(&b);
	long n;

	KASSERT(mm);
	KEXPECT_EQ(mm_mmap(mm, BASE, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0), (long)BASE);
	KEXPECT_EQ(poke(BASE + PAGE_SIZE, 77), 0);
	/* Room after it: grows in place. */
	KEXPECT_EQ(mm_mremap(mm, BASE, 2 * PAGE_SIZE, 4 * PAGE_SIZE, 0, 0), (long)BASE);
	KEXPECT_EQ(poke(BASE + 3 * PAGE_SIZE, 1), 0);
	/* Blocked: moves only with MREMAP_MAYMOVE, taking the data along. */
	KEXPECT_EQ(mm_mmap(mm, BASE + 4 * PAGE_SIZE, PAGE_SIZE, PROT_READ,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0), (long)(BASE + 4 * PAGE_SIZE));
	KEXPECT_EQ(mm_mremap(mm, BASE, 4 * PAGE_SIZE, 8 * PAGE_SIZE, 0, 0), -ENOMEM);
	n = mm_mremap(mm, BASE, 4 * PAGE_SIZE, 8 * PAGE_SIZE, MREMAP_MAYMOVE, 0);
	KEXPECT_OP(n, >, 0);
	KEXPECT_EQ(peek((uintptr_t)n + PAGE_SIZE), 77);
	KEXPECT_EQ(peek(BASE + PAGE_SIZE), -EFAULT);
	/* Shrinking keeps the start. */
	KEXPECT_EQ(mm_mremap(mm, (uintptr_t)n, 8 * PAGE_SIZE, PAGE_SIZE, 0, 0), n);
	KEXPECT_EQ(peek((uintptr_t)n + PAGE_SIZE), -EFAULT);
	KEXPECT_EQ(mm_mremap(mm, BASE + 100 * PAGE_SIZE, PAGE_SIZE, 2 * PAGE_SIZE, 0, 0), -EFAULT);
	KEXPECT_EQ(mm_mremap(mm, (uintptr_t)n, PAGE_SIZE, 0, 0, 0), -EINVAL);
	end(&b, mm);
}

KTEST(mmap, madvise_dontneed_zeroes)
{
	struct borrow b;
	struct mm *mm = begin(&b);

	KASSERT(mm);
	KEXPECT_EQ(mm_mmap(mm, BASE, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0), (long)BASE);
	KEXPECT_EQ(poke(BASE, 9), 0);
	KEXPECT_EQ(mm_madvise(mm, BASE, PAGE_SIZE, MADV_DONTNEED), 0);
	KEXPECT_EQ(mm->nr_pages, 0);
	KEXPECT_EQ(peek(BASE), 0);
	KEXPECT_EQ(mm_madvise(mm, BASE, 4 * PAGE_SIZE, MADV_DONTNEED), -ENOMEM);
	KEXPECT_EQ(mm_madvise(mm, BASE, PAGE_SIZE, 1000), -EINVAL);
	end(&b, mm);
}

KTEST(mmap, user_copies_refuse_kernel_addresses)
{
	struct borrow b;
	struct mm *mm = begin(&b);
	char buf[8];

	KASSERT(mm);
	KEXPECT_EQ(copy_from_user(buf, (const void __user *)(uintptr_t)&b, sizeof(buf)), -EFAULT);
	KEXPECT_EQ(copy_to_user((void __user *)(USER_TOP - 4), buf, 8), -EFAULT);
	KEXPECT_EQ(strncpy_from_user(buf, (const char __user *)0, sizeof(buf)), -EFAULT);
	KEXPECT_EQ(mm_mmap(mm, BASE, PAGE_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0), (long)BASE);
	/* A string running into the end of the mapping. */
	memset(buf, 'x', sizeof(buf));
	KEXPECT_EQ(copy_to_user((void __user *)(BASE + PAGE_SIZE - 8), buf, 8), 0);
	KEXPECT_EQ(strncpy_from_user(buf, (const char __user *)(BASE + PAGE_SIZE - 8), 8),
		   -ENAMETOOLONG);
	{
		char big[32];

		KEXPECT_EQ(strncpy_from_user(big, (const char __user *)(BASE + PAGE_SIZE - 8),
					     sizeof(big)), -EFAULT);
		/* A partial copy stops exactly at the end of the mapping. */
		KEXPECT_EQ(copy_from_user_partial(big, (const void __user *)(BASE + PAGE_SIZE - 8),
						  sizeof(big)), sizeof(big) - 8);
	}
	end(&b, mm);
}

KTEST(mmap, stack_grows_but_not_into_the_guard_gap)
{
	struct borrow b;
	struct mm *mm = begin(&b);
	vaddr_t top = 0x30000000UL, low = top - 4 * PAGE_SIZE;
	long hint;

	KASSERT(mm);
	/* A stack of four pages (MAP_GROWSDOWN), mmap_base far above. */
	KEXPECT_EQ(mm_mmap(mm, low, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_GROWSDOWN, NULL, 0), (long)low);
	/* A touch below grows it, with the pages between. */
	KEXPECT_EQ(poke(low - 3 * PAGE_SIZE, 5), 0);
	KEXPECT_EQ(peek(low - 3 * PAGE_SIZE), 5);
	KEXPECT_EQ(peek(low - PAGE_SIZE), 0);
	/* No hint is taken inside the gap below it ... */
	hint = mm_mmap(mm, low - 8 * PAGE_SIZE, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		       NULL, 0);
	KEXPECT_OP(hint, >, 0);
	KEXPECT((vaddr_t)hint + PAGE_SIZE <= low - 3 * PAGE_SIZE - STACK_GUARD_GAP ||
		(vaddr_t)hint >= top);
	/* ... but MAP_FIXED goes there, and then the stack stops a gap above it. */
	KEXPECT_EQ(mm_mmap(mm, low - 3 * PAGE_SIZE - STACK_GUARD_GAP - PAGE_SIZE, PAGE_SIZE,
			   PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0),
		   (long)(low - 3 * PAGE_SIZE - STACK_GUARD_GAP - PAGE_SIZE));
	KEXPECT_EQ(poke(low - 4 * PAGE_SIZE, 1), -EFAULT);
	KEXPECT_EQ(peek(low - 3 * PAGE_SIZE), 5);
	end(&b, mm);
}

KTEST(mmap, layout_randomised_unless_disabled)
{
	struct mm *a = mm_create(), *c = mm_create();
	int saved = randomize_va_space;
	vaddr_t s1, m1;
	bool differ = false;

	KASSERT(a && c);
	randomize_va_space = 2;
	mm_layout_init(a, 8UL << 20);
	s1 = a->stack_top;
	m1 = a->mmap_base;
	KEXPECT_OP(s1, <=, USER_TOP - PAGE_SIZE);
	KEXPECT_EQ(s1 & (PAGE_SIZE - 1), 0);
	KEXPECT_OP(m1, <=, USER_TOP - PAGE_SIZE - (128UL << 20));	/* at least 128 MiB below */
	KEXPECT_OP(m1, <, s1);
	/* Three more draws: all equal to the first is a 2^-57 chance at worst (i386). */
	for (int i = 0; i < 3; i++) {
		mm_layout_init(c, 8UL << 20);
		differ |= c->stack_top != s1 || c->mmap_base != m1;
	}
	KEXPECT(differ);
	/* ADDR_NO_RANDOMIZE, or randomize_va_space 0 (norandmaps): Linux's fixed layout. */
	a->personality = ADDR_NO_RANDOMIZE;
	mm_layout_init(a, 8UL << 20);
	KEXPECT_EQ(a->stack_top, USER_TOP - PAGE_SIZE);
	KEXPECT_EQ(a->mmap_base, USER_TOP - PAGE_SIZE - (128UL << 20));
	KEXPECT_EQ(mm_stack_align_rnd(a), 0);
	KEXPECT_EQ(mm_pie_base(a, 0x40000000UL), 0x40000000UL);
	randomize_va_space = 0;
	mm_layout_init(c, 64UL << 20);
	KEXPECT_EQ(c->stack_top, USER_TOP - PAGE_SIZE);
	KEXPECT_EQ(c->mmap_base, USER_TOP - PAGE_SIZE - (128UL << 20));	/* 64 MiB + gap < 128 MiB */
	c->brk_start = c->brk = 0x20000000UL;
	mm_randomize_brk(c);
	KEXPECT_EQ(c->brk_start, 0x20000000UL);
	randomize_va_space = saved;
	mm_put(a);
	mm_put(c);
}
