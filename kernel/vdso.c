/*
 * The vDSO's pages and their mapping.  At boot vdso_init() copies the
 * image the build embedded (vdso_image, checked by scripts/vdso_image.py)
 * into pages of its own and gives kernel/time.c a page for its time data;
 * exec maps both into every program: [vvar], the data page, read-only
 * and never writable, with [vdso], the text, just above it (the text
 * finds the data one page below itself).  They are special mappings
 * (mm/mmap.c): every process shares the kernel's pages, fork keeps them,
 * munmap may remove them and mremap move them, as in Linux.
 *
 * The pages are written here once, before any process exists, and then
 * only the data page changes, under its sequence count (kernel/time.c).
 */
#define pr_fmt(fmt) "vdso: " fmt

#include <string.h>
#include <arch/user.h>
#include <kernel/mm.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/time.h>
#include <kernel/vdso.h>

#define VDSO_TEXT_PAGES	((VDSO_IMAGE_SIZE + PAGE_SIZE - 1) / PAGE_SIZE)

extern const char vdso_image[], vdso_image_end[];

/* Set by vdso_init(), read-only afterwards. */
static struct page *vvar_page;
static struct page *text_pages[VDSO_TEXT_PAGES];

_Static_assert(sizeof(struct vdso_time_data) <= PAGE_SIZE, "the time data fits its page");

/* mremap moved the text: signal returns and the like follow it (Linux's vdso_mremap()). */
static void
vdso_moved(struct mm *mm, vaddr_t start)
{
	mm->vdso = start;
}

/* Linux's [vvar]: read-only for good (no VM_MAYWRITE), and VM_PFNMAP for madvise. */
static const struct vm_special vvar_special = {
	.name = "[vvar]", .pages = &vvar_page, .nr_pages = 1,
	.vma_flags = 0, .no_madvise = true,
};

/* Linux's [vdso]: may be made writable (a debugger's breakpoint), then copied. */
static const struct vm_special vdso_special = {
	.name = "[vdso]", .pages = text_pages, .nr_pages = VDSO_TEXT_PAGES,
	.vma_flags = VMA_MAYWRITE | VMA_MAYEXEC, .moved = vdso_moved,
};

static struct page *
vdso_page_alloc(void)
{
	struct page *p = alloc_user_page();	/* zeroed; its reference is the kernel's: never freed */

	if (!p)
		panic("vdso: no memory for the vDSO's pages");
	return p;
}

void
vdso_init(void)
{
	size_t size = (size_t)(vdso_image_end - vdso_image);

	if (size != VDSO_IMAGE_SIZE)
		panic("vdso: the embedded image has %zu bytes, the build said %u", size,
		      (unsigned int)VDSO_IMAGE_SIZE);
	for (unsigned int i = 0; i < VDSO_TEXT_PAGES; i++) {
		size_t off = (size_t)i * PAGE_SIZE, n = MIN(size - off, (size_t)PAGE_SIZE);

		text_pages[i] = vdso_page_alloc();
		memcpy(page_address(text_pages[i]), vdso_image + off, n);
		arch_sync_icache(page_address(text_pages[i]), PAGE_SIZE);
	}
	vvar_page = vdso_page_alloc();
	time_data_attach(page_address(vvar_page));
	pr_info("%zu bytes in %u page%s, time data in [vvar]\n", size, (unsigned int)VDSO_TEXT_PAGES,
		VDSO_TEXT_PAGES == 1 ? "" : "s");
}

const struct vdso_time_data *
vdso_data(void)
{
	return page_address(vvar_page);
}

vaddr_t
vdso_base(const struct mm *mm)
{
	/*
	 * Right below mmap_base, where arm64 Linux's first mmap would put it
	 * (mmap_base is randomised: so is this); mmap searches down from
	 * under it.  Not in the gap above, which the stack's growth and
	 * guard gap own.
	 */
	return mm->mmap_base - (vaddr_t)VDSO_TEXT_PAGES * PAGE_SIZE;
}

int
vdso_map(struct mm *mm)
{
	vaddr_t base = vdso_base(mm);
	int err;

	err = mm_map_special(mm, base - PAGE_SIZE, &vvar_special, PROT_READ);
	if (!err)
		err = mm_map_special(mm, base, &vdso_special, PROT_READ | PROT_EXEC);
	if (!err)
		mm->vdso = base;
	return err;
}
