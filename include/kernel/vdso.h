/*
 * The vDSO (kernel/vdso.c, CONFIG_VDSO; docs/vdso.md): a shared object
 * built with the kernel (lib/vdso, arch/<port>/vdso), mapped into every
 * program at exec with the time data page below it, and announced in
 * the auxv (AT_SYSINFO_EHDR; i386's AT_SYSINFO too).
 */
#ifndef KERNEL_VDSO_H
#define KERNEL_VDSO_H

#include <kernel/mman.h>
#include <vdso-image.h>		/* generated: VDSO_IMAGE_SIZE, VDSO_SYM<entry point> offsets */

/*
 * At boot, after the page allocator and before the tick: the data page
 * (the time data moves there) and the text's pages.  Panics without
 * memory.
 */
void vdso_init(void);

/* The data page as the vDSO sees it ([vvar]): for tests. */
const struct vdso_time_data *vdso_data(void);

/*
 * Where exec maps the vDSO's text in mm (the data page is the page
 * below): one place, to be randomised with the rest of the layout.
 */
vaddr_t vdso_base(const struct mm *mm);

/* Map [vvar] and [vdso] into the new mm at vdso_base(); sets mm->vdso.  0 or -errno. */
int vdso_map(struct mm *mm);

/*
 * The address of an entry point (VDSO_SYM__kernel_rt_sigreturn ...) in
 * mm: where mm's vDSO was mapped, or moved by mremap, plus its offset.
 */
static inline vaddr_t
vdso_entry(const struct mm *mm, unsigned long offset)
{
	return mm->vdso + offset;
}

#endif
