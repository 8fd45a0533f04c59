/*
 * Where a new program's pieces go (Linux's fs/binfmt_elf.c, mm/util.c and
 * arch mmap code): the stack top one page below the end of user space
 * less a random offset, mmap_base below the stack's reservation (at least
 * 128 MiB, RLIMIT_STACK plus the stack's random range and guard gap) less
 * a random offset, a static PIE at ET_DYN_BASE plus one, the heap's start
 * moved up by one, and the initial stack pointer by a few random bytes.
 * The ranges are Linux's defaults per port:
 *
 *                 stack      mmap (bits)   brk      stack pointer
 *   x86_64        16 GiB     28            32 MiB   < 8 KiB
 *   i386          8 MiB      8             32 MiB   < 8 KiB
 *   aarch64       1 GiB      18            1 GiB    < 1 page
 *
 * randomize_va_space (/proc/sys/kernel/randomize_va_space): 0 none
 * ("norandmaps" on the command line), 1 all but the heap, 2 everything
 * (the default); a process with ADDR_NO_RANDOMIZE in its personality
 * (setarch -R) gets none.  Offsets come from the kernel's CRNG.
 */
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/random.h>

#include "mm_internal.h"

#if defined(__x86_64__)
#define MMAP_RND_BITS	28
#define STACK_RND_MASK	0x3fffffUL	/* pages */
#define BRK_RND_RANGE	0x02000000UL
#define SP_RND_RANGE	8192UL
#elif defined(__i386__)
#define MMAP_RND_BITS	8
#define STACK_RND_MASK	0x7ffUL
#define BRK_RND_RANGE	0x02000000UL
#define SP_RND_RANGE	8192UL
#else
#define MMAP_RND_BITS	18
#define STACK_RND_MASK	0x3ffffUL
#define BRK_RND_RANGE	0x40000000UL
#define SP_RND_RANGE	PAGE_SIZE
#endif

/* The top of the main stack: one page below the end of user space, as x86-64 needs. */
#define STACK_TOP_MAX	(USER_TOP - PAGE_SIZE)
/* Linux's setup_arg_pages(): the stack starts 128 KiB below the arguments. */
#define STACK_EXPAND	(128UL << 10)

int randomize_va_space = 2;		/* read unlocked: a word */

static int
va_randomize(void)
{
	static bool checked;		/* the command line is read once */

	if (!READ_ONCE(checked)) {
		if (cmdline_has("norandmaps"))
			WRITE_ONCE(randomize_va_space, 0);
		WRITE_ONCE(checked, true);
	}
	return READ_ONCE(randomize_va_space);
}

bool
mm_randomizing(const struct mm *mm)
{
	return va_randomize() && !(mm && (READ_ONCE(mm->personality) & ADDR_NO_RANDOMIZE));
}

static vaddr_t
rnd_pages(unsigned long mask)
{
	return (vaddr_t)(get_random_u64() & mask) << PAGE_SHIFT;
}

void
mm_layout_init(struct mm *mm, uint64_t rlimit_stack)
{
	bool rnd = mm_randomizing(mm);
	uint64_t gap = rlimit_stack, pad = STACK_GUARD_GAP;
	const uint64_t gap_min = 128ULL << 20, gap_max = (uint64_t)USER_TOP / 6 * 5;

	mm->stack_top = STACK_TOP_MAX - (rnd ? rnd_pages(STACK_RND_MASK) : 0);
	if (rnd)
		pad += (uint64_t)STACK_RND_MASK << PAGE_SHIFT;
	if (gap + pad > gap)
		gap += pad;
	if (gap < gap_min)
		gap = gap_min;
	else if (gap > gap_max)
		gap = gap_max;
	mm->mmap_base = (STACK_TOP_MAX - (vaddr_t)gap -
			 (rnd ? rnd_pages((1UL << MMAP_RND_BITS) - 1) : 0)) & PAGE_MASK;
}

int
mm_setup_stack(struct mm *mm, size_t need, bool exec, uint64_t rlimit_stack)
{
	vaddr_t top = mm->stack_top & PAGE_MASK;
	size_t size = page_up(need) + STACK_EXPAND, limit = page_up(need);
	struct vma *v;
	long addr;

	if (rlimit_stack != ~(uint64_t)0 && (rlimit_stack & PAGE_MASK) > limit)
		limit = (size_t)(rlimit_stack & PAGE_MASK);
	else if (rlimit_stack == ~(uint64_t)0)
		limit = size;
	if (size > limit)
		size = limit;
	if (size > top - MMAP_MIN_ADDR)
		return -ENOMEM;
	addr = mm_mmap(mm, top - size, size, PROT_READ | PROT_WRITE | (exec ? PROT_EXEC : 0),
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_GROWSDOWN, NULL, 0);
	if (IS_ERR_VALUE(addr))
		return (int)addr;
	mutex_lock(&mm->lock);
	v = vma_lookup(mm, top - 1);
	if (v)
		v->flags |= VMA_STACK;
	mutex_unlock(&mm->lock);
	return 0;
}

void
mm_randomize_brk(struct mm *mm)
{
	vaddr_t start = page_up(mm->brk_start);

	if (!mm_randomizing(mm) || va_randomize() < 2 || start > USER_TOP - BRK_RND_RANGE)
		return;
	start += (vaddr_t)(get_random_u64() % (BRK_RND_RANGE >> PAGE_SHIFT)) << PAGE_SHIFT;
	mm->brk_start = mm->brk = start;
}

vaddr_t
mm_pie_base(struct mm *mm, vaddr_t et_dyn_base)
{
	if (!mm_randomizing(mm))
		return et_dyn_base;
	return et_dyn_base + rnd_pages((1UL << MMAP_RND_BITS) - 1);
}

uint64_t
mm_stack_align_rnd(struct mm *mm)
{
	return mm_randomizing(mm) ? get_random_u64() % SP_RND_RANGE : 0;
}
