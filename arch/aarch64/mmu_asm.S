/*
 * Moving TTBR1 to new tables without break-before-make trouble: the
 * switch runs from the identity map (TTBR0), so no TLB entry of the old
 * kernel tables can meet one of the new (2 MiB blocks become pages).
 */
	.text

/* void aarch64_replace_ttbr1(paddr_t root, paddr_t idmap, uint64_t voffset) */
	.globl aarch64_replace_ttbr1
	.type aarch64_replace_ttbr1, %function
aarch64_replace_ttbr1:
	mrs	x3, daif
	msr	daifset, #0xf
	mrs	x4, ttbr0_el1
	msr	ttbr0_el1, x1
	isb
	adr	x5, 1f
	sub	x5, x5, x2			/* the physical alias of 1: */
	ldr	x6, =2f
	br	x5
1:	msr	ttbr1_el1, x0			/* nothing here touches TTBR1's half */
	isb
	tlbi	vmalle1is
	dsb	ish
	isb
	br	x6
2:	msr	ttbr0_el1, x4
	isb
	tlbi	vmalle1is
	dsb	ish
	isb
	msr	daif, x3
	ret
	.size aarch64_replace_ttbr1, . - aarch64_replace_ttbr1
	.ltorg
