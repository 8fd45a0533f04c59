/*
 * The ports' user-copy routines (arch/<port>/uaccess.S) at their edges:
 * every length up to 64 and around the word and block sizes, every
 * alignment of both sides, copies across a page boundary, and faults in
 * the middle of a copy, which must return exactly the bytes not copied
 * (<kernel/uaccess.h>).  The test thread borrows a fresh address space
 * as mmap_test.c does: two read-write pages with nothing mapped after.
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

#define BASE	0x10000000UL
#define END	(BASE + 2 * PAGE_SIZE)		/* the first unmapped byte */
#define MAXN	(2 * 64 + 24)			/* longest copy of the sweeps */
#define GUARD	0x5a

struct uspace {
	struct mm *saved, *mm;
};

static bool
uspace_begin(struct uspace *u)
{
	u->saved = thread_current()->mm;
	u->mm = mm_create();
	if (!u->mm)
		return false;
	u->mm->mmap_base = 0x40000000UL;
	ktest_use_mm(u->mm);
	return mm_mmap(u->mm, BASE, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0) == (long)BASE;
}

static void
uspace_end(struct uspace *u)
{
	ktest_use_mm(u->saved);
	if (u->mm)
		mm_put(u->mm);
}

/* Lengths worth trying: all up to 64, then around 8-byte words and 64-byte blocks. */
static const size_t long_lengths[] = { 71, 72, 73, 120, 127, 128, 129, 135, 136, 137, MAXN };

static size_t
length_at(unsigned int i)
{
	return i <= 64 ? i : long_lengths[i - 65];
}

#define NLENGTHS	(65 + sizeof(long_lengths) / sizeof(long_lengths[0]))

static unsigned char
pattern(size_t i, size_t seed)
{
	return (unsigned char)(i * 13 + seed * 7 + 1);
}

/* Round trips at every length and alignment, across the boundary between the two pages. */
static void
sweep_round_trips(void)
{
	static unsigned char src[MAXN + 8], dst[MAXN + 24];

	for (unsigned int li = 0; li < NLENGTHS; li++) {
		size_t n = length_at(li);

		for (size_t ua = 0; ua < 8; ua++) {
			/* Starts just before the page boundary, so longer copies cross it. */
			uintptr_t uaddr = BASE + PAGE_SIZE - 40 + ua;

			for (size_t ka = 0; ka < 8; ka++) {
				unsigned char back[MAXN + 16];
				bool ok = true;

				for (size_t i = 0; i < n; i++)
					src[ka + i] = pattern(i, n + ua + ka);
				/* Guards around the user bytes, set through the kernel's view. */
				memset(back, GUARD, sizeof(back));
				KASSERT(copy_to_user((void __user *)(uaddr - 8), back, 8) == 0);
				KASSERT(copy_to_user((void __user *)(uaddr + n), back, 8) == 0);
				ok &= copy_to_user_partial((void __user *)uaddr, src + ka, n) == 0;
				memset(dst, GUARD, sizeof(dst));
				ok &= copy_from_user_partial(dst + 8 + ka, (const void __user *)uaddr,
							     n) == 0;
				ok &= memcmp(dst + 8 + ka, src + ka, n) == 0;
				for (size_t i = 0; i < 8 + ka; i++)
					ok &= dst[i] == GUARD;
				for (size_t i = 8 + ka + n; i < sizeof(dst); i++)
					ok &= dst[i] == GUARD;
				/* The user guards are intact. */
				KASSERT(copy_from_user(back, (const void __user *)(uaddr - 8), 8) == 0);
				KASSERT(copy_from_user(back + 8, (const void __user *)(uaddr + n), 8) == 0);
				for (size_t i = 0; i < 16; i++)
					ok &= back[i] == GUARD;
				/* Clearing zeroes exactly the n bytes. */
				ok &= clear_user((void __user *)uaddr, n) == 0;
				KASSERT(copy_from_user(back, (const void __user *)(uaddr - 8), n + 16) == 0);
				for (size_t i = 0; i < n + 16; i++)
					ok &= back[i] == (i < 8 || i >= n + 8 ? GUARD : 0);
				if (!ok) {
					ktest_fail(__FILE__, __LINE__, "n %zu user +%zu kernel +%zu", n, ua, ka);
					return;
				}
			}
		}
	}
}

KTEST(uaccess, every_length_and_alignment)
{
	struct uspace u;

	if (uspace_begin(&u))
		sweep_round_trips();
	else
		ktest_fail(__FILE__, __LINE__, "no address space");
	uspace_end(&u);
}

/*
 * Copies that run into the unmapped page after END: k bytes fit before
 * it, and each routine must report n - k not done, having done the k.
 */
KTEST(uaccess, fault_returns_exact_remainder)
{
	static unsigned char src[MAXN + 8], dst[MAXN + 8];
	struct uspace u;
	bool ok = true;

	if (!uspace_begin(&u)) {
		ktest_fail(__FILE__, __LINE__, "no address space");
		uspace_end(&u);
		return;
	}
	for (size_t k = 0; k <= 72 && ok; k++) {
		for (unsigned int li = 1; li < NLENGTHS && ok; li++) {
			size_t n = length_at(li);
			uintptr_t uaddr = END - k;

			if (n <= k)
				continue;
			for (size_t ka = 0; ka < 8 && ok; ka++) {
				for (size_t i = 0; i < n; i++)
					src[ka + i] = pattern(i, k + n + ka);
				ok &= copy_to_user_partial((void __user *)uaddr, src + ka, n) == n - k;
				memset(dst, GUARD, sizeof(dst));
				ok &= copy_from_user_partial(dst + ka, (const void __user *)uaddr, n) ==
				      n - k;
				ok &= memcmp(dst + ka, src + ka, k) == 0;
				ok &= arch_clear_user((void __user *)uaddr, n) == n - k;
				if (k) {
					memset(dst, GUARD, k);
					ok &= copy_from_user_partial(dst, (const void __user *)uaddr, k) == 0;
					for (size_t i = 0; i < k; i++)
						ok &= dst[i] == 0;
				}
				if (!ok)
					ktest_fail(__FILE__, __LINE__, "k %zu n %zu kernel +%zu", k, n, ka);
			}
		}
	}
	/* A copy of a whole page and more, running off the end after 4000 bytes. */
	{
		static unsigned char big[PAGE_SIZE + 200];

		for (size_t i = 0; i < sizeof(big); i++)
			big[i] = pattern(i, 3);
		KEXPECT_EQ(copy_to_user_partial((void __user *)(END - 4000), big, sizeof(big)),
			   sizeof(big) - 4000);
		memset(big, 0, sizeof(big));
		KEXPECT_EQ(copy_from_user_partial(big, (const void __user *)(END - 4000), sizeof(big)),
			   sizeof(big) - 4000);
		for (size_t i = 0; i < 4000; i++)
			ok &= big[i] == pattern(i, 3);
		KEXPECT(ok);
		KEXPECT_EQ(copy_to_user((void __user *)(END - 4000), big, sizeof(big)), -EFAULT);
	}
	uspace_end(&u);
}
