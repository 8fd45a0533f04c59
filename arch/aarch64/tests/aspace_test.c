/*
 * User address spaces on AArch64: map/unmap/protect/query round trips,
 * ASIDs, and a mapping that one address space has and another has not.
 */
#include <string.h>
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <kernel/errno.h>
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/thread.h>
#include <kernel/trap.h>
#include <kernel/uaccess.h>
#include <kernel/vm.h>
#include "../mmu_internal.h"

uint64_t aarch64_test_load(uintptr_t addr);

#define UVA	0x0000000000400000UL

/*
 * The word at UVA, through the user-copy routines (LDTR/STTR): aspace
 * pages are user pages, which PAN keeps plain kernel loads away from.
 */
static uint64_t
uva_read(void)
{
	uint64_t v = 0;

	KEXPECT_EQ(arch_copy_from_user(&v, (const void __user *)UVA, sizeof(v)), 0);
	return v;
}

static void
uva_write(uint64_t v)
{
	KEXPECT_EQ(arch_copy_to_user((void __user *)UVA, &v, sizeof(v)), 0);
}

KTEST(aarch64, aspace_map_protect_query)
{
	struct aspace *as = aspace_create();
	struct page *p = alloc_pages(GFP_ZERO, 2);
	paddr_t base, pa;
	unsigned int flags;

	KASSERT(as != NULL && p != NULL);
	base = page_to_phys(p);
	KEXPECT_EQ(aspace_map(as, UVA, base, 4 * PAGE_SIZE, MMU_READ | MMU_WRITE), 0);
	KEXPECT_EQ(aspace_translate(as, UVA + 2 * PAGE_SIZE + 123, &pa, &flags), 0);
	KEXPECT_EQ(pa, base + 2 * PAGE_SIZE + 123);
	KEXPECT_EQ(flags, MMU_READ | MMU_WRITE | MMU_USER);
	/* Mapping over a mapped page changes nothing. */
	KEXPECT_EQ(aspace_map(as, UVA + 3 * PAGE_SIZE, base, 2 * PAGE_SIZE, MMU_READ), -EEXIST);
	KEXPECT_EQ(aspace_translate(as, UVA + 4 * PAGE_SIZE, NULL, NULL), -ENOENT);

	KEXPECT_EQ(aspace_protect(as, UVA, 2 * PAGE_SIZE, MMU_READ | MMU_EXEC), 0);
	KEXPECT_EQ(aspace_translate(as, UVA + PAGE_SIZE, &pa, &flags), 0);
	KEXPECT_EQ(pa, base + PAGE_SIZE);
	KEXPECT_EQ(flags, MMU_READ | MMU_EXEC | MMU_USER);
	KEXPECT_EQ(aspace_protect(as, UVA + 3 * PAGE_SIZE, PAGE_SIZE, MMU_READ | MMU_UNCACHED), 0);
	KEXPECT_EQ(aspace_translate(as, UVA + 3 * PAGE_SIZE, NULL, &flags), 0);
	KEXPECT_EQ(flags, MMU_READ | MMU_USER | MMU_UNCACHED);

	/* Unmap the middle; protect and unmap skip the hole. */
	KEXPECT_EQ(aspace_unmap(as, UVA + PAGE_SIZE, 2 * PAGE_SIZE), 0);
	KEXPECT_EQ(aspace_translate(as, UVA + PAGE_SIZE, NULL, NULL), -ENOENT);
	KEXPECT_EQ(aspace_translate(as, UVA + 2 * PAGE_SIZE, NULL, NULL), -ENOENT);
	KEXPECT_EQ(aspace_translate(as, UVA, NULL, NULL), 0);
	KEXPECT_EQ(aspace_protect(as, UVA, 4 * PAGE_SIZE, MMU_READ), 0);
	KEXPECT_EQ(aspace_translate(as, UVA + 3 * PAGE_SIZE, NULL, &flags), 0);
	KEXPECT_EQ(flags, MMU_READ | MMU_USER);
	KEXPECT_EQ(aspace_map(as, UVA + PAGE_SIZE, base, PAGE_SIZE, MMU_READ), 0);

	/* The top of user space, and beyond it. */
	KEXPECT_EQ(aspace_map(as, USER_TOP - PAGE_SIZE, base, PAGE_SIZE, MMU_READ), 0);
	KEXPECT_EQ(aspace_translate(as, USER_TOP - 1, &pa, NULL), 0);
	KEXPECT_EQ(pa, base + PAGE_SIZE - 1);
	KEXPECT(aspace_map(as, USER_TOP, base, PAGE_SIZE, MMU_READ) != 0);
	KEXPECT_EQ(aspace_unmap(as, 0, USER_TOP), 0);	/* all of it, holes and all */
	KEXPECT_EQ(aspace_translate(as, UVA, NULL, NULL), -ENOENT);
	KEXPECT_EQ(aspace_translate(as, USER_TOP - PAGE_SIZE, NULL, NULL), -ENOENT);

	aspace_destroy(as);
	free_pages(p, 2);
}

KTEST(aarch64, aspaces_are_isolated)
{
	struct aspace *a = aspace_create(), *b = aspace_create();
	uint64_t *pa_ = page_alloc_addr(GFP_ZERO, 0), *pb = page_alloc_addr(GFP_ZERO, 0);
	struct mm_stats before, after;
	struct trap_report r;
	unsigned int asid_a, asid_b;

	KASSERT(a && b && pa_ && pb);
	thread_pin();			/* TTBR0 is this CPU's */
	pa_[0] = 0xaaaa;
	pb[0] = 0xbbbb;
	KEXPECT_EQ(aspace_map(a, UVA, virt_to_phys(pa_), PAGE_SIZE, MMU_READ | MMU_WRITE), 0);
	KEXPECT_EQ(aspace_map(b, UVA, virt_to_phys(pb), PAGE_SIZE, MMU_READ | MMU_WRITE), 0);

	aspace_switch(a);
	asid_a = mmu_current_asid();
	KEXPECT_EQ(uva_read(), 0xaaaa);
	aspace_switch(b);
	asid_b = mmu_current_asid();
	KEXPECT_EQ(uva_read(), 0xbbbb);
	KEXPECT(asid_a != 0 && asid_b != 0 && asid_a != asid_b);

	/* Gone from b (its TLB entry too); a still has its own. */
	KEXPECT_EQ(aspace_unmap(b, UVA, PAGE_SIZE), 0);
	trap_expect(TRAP_DATA_ABORT);
	aarch64_test_load(UVA);
	KEXPECT(trap_expect_end(&r));
	KEXPECT(strstr(r.detail, "translation fault") != NULL);
	aspace_switch(a);
	KEXPECT_EQ(mmu_current_asid(), asid_a);		/* kept across switches */
	KEXPECT_EQ(uva_read(), 0xaaaa);
	uva_write(0xa0a0);
	KEXPECT_EQ(pa_[0], 0xa0a0);

	/* No user address space: nothing below USER_TOP. */
	aspace_switch(kernel_aspace());
	KEXPECT_EQ(mmu_current_asid(), 0);
	trap_expect(TRAP_DATA_ABORT);
	aarch64_test_load(UVA);
	KEXPECT(trap_expect_end(NULL));

	/* Destroying frees every table: four levels each. */
	mm_stats(&before);
	aspace_destroy(a);
	aspace_destroy(b);
	mm_stats(&after);
	KEXPECT_OP(after.free_pages, >=, before.free_pages + 8);
	page_free_addr(pa_, 0);
	page_free_addr(pb, 0);
	thread_unpin();
}

/*
 * Five address spaces over three ASIDs: every switch past the third rolls
 * the generation over, and each still sees only its own page.
 */
KTEST(aarch64, asid_rollover)
{
	enum { N = 5 };
	struct aspace *as[N];
	uint64_t *page[N];

	thread_pin();			/* TTBR0 is this CPU's */
	mmu_asid_limit(4);
	for (int i = 0; i < N; i++) {
		as[i] = aspace_create();
		page[i] = page_alloc_addr(GFP_ZERO, 0);
		KASSERT(as[i] && page[i]);
		page[i][0] = 100 + i;
		KEXPECT_EQ(aspace_map(as[i], UVA, virt_to_phys(page[i]), PAGE_SIZE, MMU_READ), 0);
	}
	for (int round = 0; round < 3; round++)
		for (int i = 0; i < N; i++) {
			aspace_switch(as[i]);
			KEXPECT_OP(mmu_current_asid(), >=, 1);
			KEXPECT_OP(mmu_current_asid(), <=, 3);
			KEXPECT_EQ(uva_read(), 100 + i);
		}
	/* Two in turn share the generation: both keep their ASIDs. */
	aspace_switch(as[0]);
	unsigned int a0 = mmu_current_asid();
	aspace_switch(as[1]);
	KEXPECT(mmu_current_asid() != a0);
	aspace_switch(as[0]);
	KEXPECT_EQ(mmu_current_asid(), a0);
	aspace_switch(kernel_aspace());
	for (int i = 0; i < N; i++) {
		aspace_destroy(as[i]);
		page_free_addr(page[i], 0);
	}
	mmu_asid_limit(0);
	thread_unpin();
}

/*
 * Review bug (e): a rollover must not flush the TLB while TTBR0 still
 * holds an ASID the new generation may hand to another address space: a
 * table walk after the flush (hardware may walk speculatively at any
 * time) refills entries under that ASID, and the next owner of the number
 * sees the old address space's pages.  The hook makes the walk happen
 * (QEMU never walks speculatively) and QEMU keeps its TLB when TTBR0's
 * ASID does not change, so a stale entry shows.
 */
static void
walk_user_space(void)
{
	trap_expect(TRAP_DATA_ABORT);
	aarch64_test_load(UVA);		/* faults when TTBR0 is the empty table */
	trap_expect_end(NULL);
}

KTEST(aarch64, asid_rollover_flush_leaves_no_stale_entry)
{
	enum { N = 3 };
	struct aspace *as[N];
	uint64_t *page[N];

	thread_pin();			/* TTBR0 is this CPU's */
	mmu_asid_limit(3);		/* ASIDs 1 and 2 */
	for (int i = 0; i < N; i++) {
		as[i] = aspace_create();
		page[i] = page_alloc_addr(GFP_ZERO, 0);
		KASSERT(as[i] && page[i]);
		page[i][0] = 200 + i;
		KEXPECT_EQ(aspace_map(as[i], UVA, virt_to_phys(page[i]), PAGE_SIZE, MMU_READ), 0);
	}
	/*
	 * With two ASIDs each switch to the third space rolls over.  Going
	 * back to a space before a rollover leaves its ASID in TTBR0 across
	 * the flush, and an allocator that starts again from the lowest free
	 * number gives that very ASID to the next space (before the fix, this
	 * order fails whichever number comes first).
	 */
	static const int order[] = { 0, 1, 2, 2, 0, 2, 1 };

	mmu_asid_flush_hook = walk_user_space;
	for (int round = 0; round < 3; round++)
		for (size_t k = 0; k < ARRAY_SIZE(order); k++) {
			aspace_switch(as[order[k]]);
			KEXPECT_EQ(uva_read(), 200 + order[k]);
		}
	mmu_asid_flush_hook = NULL;
	aspace_switch(kernel_aspace());
	for (int i = 0; i < N; i++) {
		aspace_destroy(as[i]);
		page_free_addr(page[i], 0);
	}
	mmu_asid_limit(0);
	thread_unpin();
}

/*
 * PAN (ARMv8.1; QEMU's -cpu max): a plain kernel load from a user page
 * faults, named as PAN's, while the user-copy routines' LDTR/STTR work.
 */
KTEST(aarch64, pan_keeps_kernel_out_of_user_pages)
{
	struct aspace *as;
	uint64_t *page;
	struct trap_report r;

	if (!((read_sysreg(S3_0_C0_C7_1) >> 20) & 0xf))	/* ID_AA64MMFR1_EL1.PAN */
		KTEST_SKIP("this CPU has no PAN");
	as = aspace_create();
	page = page_alloc_addr(GFP_ZERO, 0);
	KASSERT(as && page);
	page[0] = 0x5a5a;
	KEXPECT_EQ(aspace_map(as, UVA, virt_to_phys(page), PAGE_SIZE, MMU_READ | MMU_WRITE), 0);
	thread_pin();			/* TTBR0 is this CPU's */
	aspace_switch(as);
	KEXPECT_EQ(uva_read(), 0x5a5a);
	uva_write(0xa5a5);
	KEXPECT_EQ(page[0], 0xa5a5);
	trap_expect(TRAP_DATA_ABORT);
	KEXPECT_EQ(aarch64_test_load(UVA), UVA);	/* faulted: x0 still the address */
	KEXPECT(trap_expect_end(&r));
	KEXPECT(r.detail && strstr(r.detail, "PAN") != NULL);
	aspace_switch(kernel_aspace());
	thread_unpin();
	aspace_destroy(as);
	page_free_addr(page, 0);
}
