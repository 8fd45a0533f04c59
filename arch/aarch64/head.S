/*
 * AArch64 entry: the arm64 Image header (so QEMU -kernel, U-Boot booti and
 * the Raspberry Pi firmware all load the same file), the drop from EL2 to
 * EL1, the boot page tables and the MMU switch, and the jump into C at the
 * kernel's link address with the device tree's physical address; and the
 * secondary CPUs' way in (secondary_entry), which shares the drop and the
 * MMU switch.
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
#include "smp_boot.h"
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
	/*
	 * No MPIDR test here: the boot protocol enters only the boot CPU at
	 * the image's start, whatever its affinity; firmware holds the others
	 * (PSCI, spin-table) until arch_cpu_start() sends them to
	 * secondary_entry.  Guessing the boot CPU from Aff0 == 0 was wrong
	 * both ways: a CPU with Aff1 != 0 and Aff0 == 0 passed as the boot
	 * CPU, and a boot CPU with Aff0 != 0 would have parked itself.
	 */
	bl	el2_to_el1
	bl	el1_setup

	adrp	x21, _start			/* where we were loaded (MMU off: physical) */
	ldr	x22, =_start			/* where we were linked */
	sub	x22, x22, x21
	bl	build_boot_tables
	adrp	x0, boot_idmap_root
	adrp	x1, boot_kernel_root
	bl	enable_mmu
	ldr	x1, =primary_high
	br	x1

/*
 * el2_to_el1: entered at EL2, set up what EL1 needs of EL2 and return at
 * EL1 (to x30, exceptions masked); at EL1, just return.  Every CPU runs
 * it: these registers are per CPU.  Clobbers x0.
 */
el2_to_el1:
	mrs	x0, CurrentEL
	cmp	x0, #(2 << 2)
	b.ne	1f
	/* EL1 is AArch64, sees the physical counter and timer. */
	ldr	x0, =HCR_EL2_RW
	msr	hcr_el2, x0
	mrs	x0, cnthctl_el2
	orr	x0, x0, #3			/* EL1PCTEN | EL1PCEN */
	msr	cnthctl_el2, x0
	/* One virtual count on every CPU: the tick and time_ns() agree. */
	msr	cntvoff_el2, xzr
	/* A GICv3 CPU interface: let EL1 use its system registers. */
	mrs	x0, id_aa64pfr0_el1
	ubfx	x0, x0, #24, #4
	cbz	x0, 2f
	mrs	x0, ICC_SRE_EL2
	orr	x0, x0, #0xf			/* SRE | DFB | DIB | Enable */
	msr	ICC_SRE_EL2, x0
	isb
2:	ldr	x0, =SCTLR_EL1_RES1
	msr	sctlr_el1, x0
	mov	x0, #0x33ff
	msr	cptr_el2, x0			/* RES1 bits, TFP clear */
	ldr	x0, =SPSR_EL1H_MASKED
	msr	spsr_el2, x0
	msr	elr_el2, x30
	eret
1:	ret

/*
 * el1_setup: SCTLR_EL1 in a known state (MMU and caches off) and FP/SIMD
 * on (CPACR_EL1.FPEN: Debian's libfdt.a uses SIMD stores, and FP-owning
 * threads switch their registers eagerly).  Clobbers x0.
 */
el1_setup:
	ldr	x0, =SCTLR_EL1_RES1
	msr	sctlr_el1, x0
	isb
	mov	x0, #(3 << 20)
	msr	cpacr_el1, x0
	isb
	ret

#ifdef CONFIG_SMP
/*
 * A secondary CPU, sent here by PSCI CPU_ON or a spin-table release with
 * the MMU off, at EL2 or EL1, caches perhaps off.  It finds the boot slot
 * arch_cpu_start() filled for its MPIDR (arch/aarch64/smp.c), turns the
 * MMU on with the kernel's final tables (TTBR1) and the identity map
 * (TTBR0) and continues at secondary_high.  A CPU nobody asked for parks.
 */
	.globl secondary_entry
secondary_entry:
	msr	daifset, #0xf			/* as the protocols promise, to be sure */
	bl	el2_to_el1
	bl	el1_setup
	mrs	x19, mpidr_el1
	ldr	x0, =MPIDR_HWID_MASK
	and	x19, x19, x0
	orr	x19, x19, #BOOT_SLOT_VALID
	/*
	 * The slots were cleaned to the point of coherency; drop any line this
	 * CPU may still hold of them (clean and invalidate: a line another
	 * CPU wrote since must not be thrown away).
	 */
	adrp	x20, aarch64_boot_slots
	add	x20, x20, :lo12:aarch64_boot_slots
	mov	x0, x20
	mov	x1, #(BOOT_SLOT_SIZE * CONFIG_NR_CPUS)
	add	x1, x20, x1
	bl	dcache_clean_inval
	mov	x2, #CONFIG_NR_CPUS
1:	ldr	x0, [x20, #BOOT_SLOT_HWID]
	cmp	x0, x19
	b.eq	2f
	add	x20, x20, #BOOT_SLOT_SIZE
	subs	x2, x2, #1
	b.ne	1b
3:	wfe					/* not ours to run: stay parked */
	b	3b
2:	ldr	x0, [x20, #BOOT_SLOT_TTBR0]
	ldr	x1, [x20, #BOOT_SLOT_TTBR1]
	bl	enable_mmu
	ldr	x1, =secondary_high
	br	x1
#endif

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

/*
 * dcache_by_line op: apply "dc op" to every data cache line of [x0, x1),
 * to the point of coherency, then dsb sy.  Clobbers x0, x2, x3.
 */
.macro dcache_by_line op
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4			/* DminLine: log2 of words */
	mov	x2, #4
	lsl	x2, x2, x3
	sub	x3, x2, #1
	bic	x0, x0, x3
1:	dc	\op, x0
	add	x0, x0, x2
	cmp	x0, x1
	b.lo	1b
	dsb	sy
.endm

/* Invalidate the data cache lines of [x0, x1). */
dcache_inval:
	dcache_by_line ivac
	ret

/* Clean and invalidate the data cache lines of [x0, x1). */
dcache_clean_inval:
	dcache_by_line civac
	ret

/*
 * enable_mmu: x0 TTBR0, x1 TTBR1 (physical).  MAIR, TCR (IPS from the
 * CPU's physical address size, at most 48 bits; 16-bit ASIDs when
 * implemented), the two tables, then translation and both caches on; the
 * same on every CPU.  Returns through the identity map.  Clobbers x0-x3.
 */
enable_mmu:
	msr	ttbr0_el1, x0
	msr	ttbr1_el1, x1
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
	isb
	tlbi	vmalle1				/* whatever the firmware left */
	ic	iallu
	dsb	nsh
	isb
	ldr	x0, =SCTLR_EL1_MMU_ON
	/*
	 * Privileged Access Never where the CPU has it (ARMv8.1,
	 * ID_AA64MMFR1_EL1.PAN): SPAN clear sets PSTATE.PAN on every
	 * exception to EL1, and it is set now, so the kernel's own loads and
	 * stores fault on user pages; uaccess.S reaches them with LDTR/STTR,
	 * which PAN does not stop.
	 */
	mrs	x1, S3_0_C0_C7_1		/* ID_AA64MMFR1_EL1 */
	ubfx	x1, x1, #20, #4
	cbz	x1, 1f
	bic	x0, x0, #SCTLR_EL1_SPAN
	.inst	0xd500419f			/* msr pan, #1 (ARMv8.1: not for -mcpu=cortex-a72) */
1:	msr	sctlr_el1, x0
	isb
	ret

	.ltorg

/*
 * empty_ttbr0 voff: TTBR0 := the empty table, ASID 0 (user space starts
 * empty; the identity map is not needed any more), and this CPU's TLB
 * forgets the identity map's global entries.  voff holds kimage_voffset.
 */
.macro empty_ttbr0 voff
	adrp	x0, aarch64_empty_root
	sub	x0, x0, \voff
	msr	ttbr0_el1, x0
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
.endm

	.text
primary_high:
	/* At the link address now. */
	empty_ttbr0 x22
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

#ifdef CONFIG_SMP
/*
 * A secondary CPU at the link address, x20 its boot slot (physical): the
 * slot names the stacks and the struct cpu arch_cpu_start() chose.
 */
secondary_high:
	ldr	x22, =aarch64_kimage_voffset
	ldr	x22, [x22]
	add	x20, x20, x22			/* the slot's image address */
	empty_ttbr0 x22
	ldr	x0, =exception_vectors
	msr	vbar_el1, x0
	ldr	x0, [x20, #BOOT_SLOT_STACK]
	mov	sp, x0
	ldr	x0, [x20, #BOOT_SLOT_EXC_STACK]
	msr	sp_el0, x0
	ldr	x0, [x20, #BOOT_SLOT_CPU]
	msr	tpidr_el1, x0
	mov	x29, xzr			/* the end of every backtrace */
	mov	x30, xzr
	bl	smp_secondary_main		/* never returns */
4:	wfe
	b	4b
	.ltorg
#endif

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
 * The boot stack and the boot CPU's exception stack, each above an
 * unmapped guard page (arch_mmu_init() leaves them out).  Every CPU's
 * exception stack is 16 KiB ending at a 64 KiB boundary, as a kernel-stack
 * slot's is (arch/aarch64/smp.c takes the other CPUs' from there): its
 * addresses have bit 14 set, those just below it clear, which is how
 * vectors.S tells an overflow.
 */
	.section .bss.stacks, "aw", %nobits
	.balign	65536
	.globl boot_stack_guard, boot_stack, boot_stack_top, aarch64_exception_stack_guard
	.globl aarch64_exception_stack_top
boot_stack_guard:
	.space	4096
boot_stack:
	.space	40960
boot_stack_top:
aarch64_exception_stack_guard:
	.space	4096
aarch64_exception_stack:
	.space	16384
aarch64_exception_stack_top:
