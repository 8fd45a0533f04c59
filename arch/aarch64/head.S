/*
 * AArch64 entry: the arm64 Image header (so QEMU -kernel, U-Boot booti and
 * the Raspberry Pi firmware all load the same file), the drop from EL2 to
 * EL1, and the jump into C with the device tree pointer.
 *
 * Boot protocol (Linux Documentation/arch/arm64/booting.rst): x0 holds the
 * DTB's physical address, MMU off, caches may be off, DAIF masked.
 */
#include "sysregs.h"

	.section .text.head, "ax"
	.globl _start
_start:
	b	primary_entry			/* code0 */
	.long	0				/* code1 */
	.quad	_text_offset			/* image load offset from RAM base */
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

	ldr	x1, =exception_vectors
	msr	vbar_el1, x1
	ldr	x1, =boot_stack_top
	mov	sp, x1

	ldr	x1, =__bss_start
	ldr	x2, =__bss_end
2:	cmp	x1, x2
	b.hs	3f
	str	xzr, [x1], #8
	b	2b
3:
	mov	x0, x19
	mov	x1, x20
	bl	aarch64_boot			/* never returns */
	b	park

park:
	wfe
	b	park

	.section .bss.boot_stack, "aw", %nobits
	.balign 16
boot_stack:
	.space	16384
	.globl boot_stack_top
boot_stack_top:
