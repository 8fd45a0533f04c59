/*
 * AArch64 entry: the arm64 Image header (so QEMU -kernel, U-Boot booti and
 * the Raspberry Pi firmware all load the same file), the drop from EL2 to
 * EL1, the boot page tables and the MMU switch, and the jump into C at the
 * kernel's link address with the device tree's physical address.
 *
 * Boot protocol (Linux Documentation/arch/arm64/booting.rst): x0 holds the
 * DTB's physical address, MMU off, caches may be off, DAIF masked.  The
 * image may sit at any 2 MiB-aligned base (+ text_offset), so everything
 * before the MMU is on uses PC-relative addresses only.
 *
 * Registers kept across the early code: x19 DTB (physical), x20 entry EL,
 * x21 image physical address, x22 kimage_voffset (link minus load
 * address), x23/x24 the page-table pool, x25 DTB mapped.
 */
#include <asm/mmu.h>
#include "pgtable.h"
#include "sysregs.h"

/*
 * next_table tbl, va, shift, t1, t2: tbl = the next-level table of the
 * entry in table tbl (physical) that translates va, taking a zeroed page
 * from the pool (x23, up to x24) when the entry is empty.
 */
.macro next_table tbl, va, shift, t1, t2
	ubfx	\t1, \va, #\shift, #9
	add	\t1, \tbl, \t1, lsl #3
	ldr	\t2, [\t1]
	tbnz	\t2, #0, .Lhave\@
	cmp	x23, x24
	b.hs	boot_pool_empty
	orr	\t2, x23, #PTE_TYPE_TABLE
	str	\t2, [\t1]
	add	x23, x23, #4096
.Lhave\@:
	and	\tbl, \t2, #PTE_ADDR_MASK
.endm

	.section .text.head, "ax"
	.globl _start
_start:
	b	primary_entry			/* code0 */
	.long	0				/* code1 */
	.quad	0x200000			/* text_offset from a 2 MiB-aligned base */
	.quad	_image_size			/* effective image size incl. bss */
	.quad	0xa				/* LE, 4K pages, 2 MiB aligned anywhere */
	.quad	0, 0, 0				/* reserved */
	.ascii	"ARM\x64"			/* magic */
	.long	0				/* reserved (PE/COFF offset) */

primary_entry:
	mov	x19, x0				/* DTB */
	mrs	x20, CurrentEL
	lsr	x20, x20, #2

	/* Secondary CPUs wait here until SMP support wakes them. */
	mrs	x1, mpidr_el1
	and	x1, x1, #0xff
	cbnz	x1, park

	cmp	x20, #2
	b.ne	at_el1

	/* EL2: EL1 is AArch64, sees the physical counter and timer. */
	ldr	x1, =HCR_EL2_RW
	msr	hcr_el2, x1
	mrs	x1, cnthctl_el2
	orr	x1, x1, #3			/* EL1PCTEN | EL1PCEN */
	msr	cnthctl_el2, x1
	msr	cntvoff_el2, xzr
	/* A GICv3 CPU interface: let EL1 use its system registers. */
	mrs	x1, id_aa64pfr0_el1
	ubfx	x1, x1, #24, #4
	cbz	x1, 1f
	mrs	x1, ICC_SRE_EL2
	orr	x1, x1, #0xf			/* SRE | DFB | DIB | Enable */
	msr	ICC_SRE_EL2, x1
	isb
1:	ldr	x1, =SCTLR_EL1_RES1
	msr	sctlr_el1, x1
	mov	x1, #0x33ff
	msr	cptr_el2, x1			/* RES1 bits, TFP clear */
	ldr	x1, =SPSR_EL1H_MASKED
	msr	spsr_el2, x1
	adr	x1, at_el1
	msr	elr_el2, x1
	eret

at_el1:
	ldr	x1, =SCTLR_EL1_RES1		/* MMU and caches off, known state */
	msr	sctlr_el1, x1
	isb
	/* FP/SIMD on: Debian's libfdt.a uses SIMD stores. */
	mov	x1, #(3 << 20)
	msr	cpacr_el1, x1
	isb

	adrp	x21, _start			/* where we were loaded (MMU off: physical) */
	ldr	x22, =_start			/* where we were linked */
	sub	x22, x22, x21
	bl	build_boot_tables
	bl	enable_mmu
	ldr	x1, =primary_high
	br	x1

park:
	wfe
	b	park

/*
 * Tables for the switch, in .pgtables (zeroed here): an identity map of
 * the image in TTBR0 (the instructions right after the MMU turns on run at
 * their physical address), and in TTBR1 the image at its link address
 * (RWX for now; arch_mmu_init() makes it W^X), the image and the DTB in
 * the linear map (RAM as a whole follows in C, once the DTB says where it
 * is), and the ioremap window's level-2 and level-3 tables.  2 MiB blocks
 * throughout.
 */
build_boot_tables:
	mov	x28, x30
	adrp	x26, __pgtables_start
	adrp	x27, __pgtables_end
	/* Stores with the MMU off bypass the caches: drop stale lines first. */
	mov	x0, x26
	mov	x1, x27
	bl	dcache_inval
	mov	x0, x26
1:	stp	xzr, xzr, [x0], #16
	cmp	x0, x27
	b.lo	1b
	adrp	x23, boot_pt_pool
	adrp	x24, boot_pt_pool_end

	adrp	x0, boot_idmap_root
	mov	x1, x21
	mov	x2, x21
	ldr	x3, =_image_size
	ldr	x4, =PROT_KERNEL_RWX
	bl	map_2m

	adrp	x0, boot_kernel_root
	ldr	x1, =_start
	mov	x2, x21
	ldr	x3, =_image_size
	ldr	x4, =PROT_KERNEL_RWX
	bl	map_2m

	adrp	x0, boot_kernel_root
	ldr	x1, =LINEAR_MAP_BASE
	add	x1, x1, x21
	mov	x2, x21
	ldr	x3, =_image_size
	ldr	x4, =PROT_KERNEL_RW
	bl	map_2m

	/*
	 * The DTB, if x0 could be one (C reports it otherwise): as many blocks
	 * as its header's totalsize needs, at most the protocol's 2 MiB.
	 */
	mov	x25, #0
	cbz	x19, 3f
	tst	x19, #7
	b.ne	3f
	bl	pa_limit
	cmp	x19, x0
	b.hs	3f
	mov	x3, #64				/* no valid header: C reads the magic */
	ldr	w1, [x19]
	ldr	w2, =0xedfe0dd0			/* FDT magic, big-endian in memory */
	cmp	w1, w2
	b.ne	2f
	ldr	w3, [x19, #4]
	rev	w3, w3
	mov	x4, #BLOCK_2M
	cmp	x3, x4
	csel	x3, x3, x4, ls
2:	adrp	x0, boot_kernel_root
	ldr	x1, =LINEAR_MAP_BASE
	add	x1, x1, x19
	mov	x2, x19
	ldr	x4, =PROT_KERNEL_RW
	bl	map_2m
	mov	x25, #1
3:
	/* The ioremap window: its level-2 table and every level-3 table. */
	adrp	x6, boot_kernel_root
	ldr	x1, =IOREMAP_BASE
	next_table x6, x1, 39, x7, x8
	ubfx	x7, x1, #30, #9
	adrp	x8, ioremap_l2
	orr	x9, x8, #PTE_TYPE_TABLE
	str	x9, [x6, x7, lsl #3]
	ubfx	x7, x1, #21, #9
	adrp	x9, ioremap_l3
	mov	x10, #(IOREMAP_SIZE / BLOCK_2M)
4:	orr	x11, x9, #PTE_TYPE_TABLE
	str	x11, [x8, x7, lsl #3]
	add	x7, x7, #1
	add	x9, x9, #4096
	subs	x10, x10, #1
	b.ne	4b

	/* What we wrote is in memory; make sure no stale line hides it. */
	dmb	sy
	mov	x0, x26
	mov	x1, x27
	bl	dcache_inval
	dsb	sy
	mov	x30, x28
	ret

/*
 * map_2m: x0 level-0 table, x1 virtual address, x2 physical address,
 * x3 size, x4 attributes.  Maps [x1, x1 + x3) rounded out to 2 MiB
 * blocks.  Clobbers x0-x9.
 */
map_2m:
	mov	x9, #BLOCK_2M
	sub	x8, x9, #1
	add	x5, x1, x3
	add	x5, x5, x8
	bic	x5, x5, x8
	bic	x1, x1, x8
	bic	x2, x2, x8
1:	cmp	x1, x5
	b.hs	2f
	mov	x6, x0
	next_table x6, x1, 39, x7, x8
	next_table x6, x1, 30, x7, x8
	ubfx	x7, x1, #21, #9
	orr	x8, x2, x4
	orr	x8, x8, #PTE_TYPE_BLOCK
	str	x8, [x6, x7, lsl #3]
	add	x1, x1, x9
	add	x2, x2, x9
	b	1b
2:	ret

/*
 * The pool holds more pages than the worst case needs (every mapping
 * straddling a level-0 and a level-1 boundary), so this cannot happen;
 * there is no console yet to say so.
 */
boot_pool_empty:
	wfe
	b	boot_pool_empty

/* x0 = first physical address this CPU cannot reach or we do not map. */
pa_limit:
	mrs	x0, id_aa64mmfr0_el1
	and	x0, x0, #0xf
	adr	x1, parange_bits
	ldrb	w0, [x1, x0]
	mov	x1, #1
	lsl	x0, x1, x0
	ldr	x1, =LINEAR_MAP_PHYS_END
	cmp	x0, x1
	csel	x0, x0, x1, ls
	ret

parange_bits:
	.byte	32, 36, 40, 42, 44, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48
	.balign	4

/* Invalidate the data cache lines of [x0, x1) to the point of coherency. */
dcache_inval:
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4			/* DminLine: log2 of words */
	mov	x2, #4
	lsl	x2, x2, x3
	sub	x3, x2, #1
	bic	x0, x0, x3
1:	dc	ivac, x0
	add	x0, x0, x2
	cmp	x0, x1
	b.lo	1b
	dsb	sy
	ret

/*
 * MAIR, TCR (IPS from the CPU's physical address size, at most 48 bits;
 * 16-bit ASIDs when implemented), the two tables, then translation and
 * both caches on.  Returns through the identity map.
 */
enable_mmu:
	ldr	x0, =MAIR_EL1_VALUE
	msr	mair_el1, x0
	mrs	x1, id_aa64mmfr0_el1
	and	x2, x1, #0xf
	mov	x3, #5
	cmp	x2, x3
	csel	x2, x2, x3, ls
	ldr	x0, =TCR_EL1_BASE
	orr	x0, x0, x2, lsl #TCR_EL1_IPS_SHIFT
	ubfx	x2, x1, #4, #4
	cmp	x2, #2
	b.ne	1f
	orr	x0, x0, #TCR_EL1_AS
1:	msr	tcr_el1, x0
	adrp	x0, boot_idmap_root
	msr	ttbr0_el1, x0
	adrp	x0, boot_kernel_root
	msr	ttbr1_el1, x0
	isb
	tlbi	vmalle1
	ic	iallu
	dsb	nsh
	isb
	ldr	x0, =SCTLR_EL1_MMU_ON
	msr	sctlr_el1, x0
	isb
	ret

	.ltorg

	.text
primary_high:
	/* At the link address now; user space (TTBR0) starts empty. */
	adrp	x0, aarch64_empty_root
	sub	x0, x0, x22
	msr	ttbr0_el1, x0
	isb
	tlbi	vmalle1
	dsb	nsh
	isb

	ldr	x1, =exception_vectors
	msr	vbar_el1, x1

	ldr	x1, =__bss_start
	ldr	x2, =__bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:
	ldr	x1, =boot_stack_top
	mov	sp, x1
	/* SP_EL0 is the exception stack while the kernel runs (vectors.S). */
	ldr	x1, =aarch64_exception_stack_top
	msr	sp_el0, x1
	/* The per-CPU register: the boot CPU is cpus[0] (<kernel/cpu.h>). */
	ldr	x1, =cpus
	msr	tpidr_el1, x1

	ldr	x1, =aarch64_kimage_voffset
	str	x22, [x1]
	adrp	x2, boot_idmap_root
	sub	x2, x2, x22
	ldr	x1, =aarch64_boot_idmap
	str	x2, [x1]

	mov	x0, x19
	mov	x1, x20
	mov	x2, x25
	bl	aarch64_boot			/* never returns */
3:	wfe
	b	3b

	.data
	.balign	8
	.globl aarch64_kimage_voffset, aarch64_boot_idmap
aarch64_kimage_voffset:
	.quad	0
aarch64_boot_idmap:				/* the identity map's level-0 table */
	.quad	0

/*
 * Boot page tables: level-0 tables for the identity map and the kernel
 * half, the empty table TTBR0 holds when no user space is active, the pool
 * of intermediate tables, and the ioremap window's tables (fixed, so
 * ioremap() works before the page allocator).
 */
	.section .pgtables, "aw", %nobits
	.balign	4096
	.globl boot_kernel_root, aarch64_empty_root, ioremap_l2, ioremap_l3
boot_idmap_root:
	.space	4096
boot_kernel_root:
	.space	4096
aarch64_empty_root:
	.space	4096
boot_pt_pool:
	.space	BOOT_PT_POOL_PAGES * 4096
boot_pt_pool_end:
ioremap_l2:
	.space	4096
ioremap_l3:
	.space	(IOREMAP_SIZE / BLOCK_2M) * 4096

/*
 * The boot stack and the exception stack, each above an unmapped guard
 * page (arch_mmu_init() leaves them out).  The exception stack is 16 KiB
 * at a 32 KiB boundary: vectors.S tells an overflow of it by bit 14.
 */
	.section .bss.stacks, "aw", %nobits
	.balign	32768
	.globl boot_stack_guard, boot_stack_top, aarch64_exception_stack_guard
	.globl aarch64_exception_stack_top
boot_stack_guard:
	.space	4096
boot_stack:
	.space	24576
boot_stack_top:
aarch64_exception_stack_guard:
	.space	4096
aarch64_exception_stack:
	.space	16384
aarch64_exception_stack_top:
