/*
 * armstub: a tiny EL3 firmware that boots the kernel the way the Raspberry
 * Pi firmware's armstub does, to test spin-table bring-up under QEMU
 * (-machine virt,gic-version=2,secure=on,virtualization=on -bios
 * armstub.bin: every CPU starts here, at EL3, at address 0, MMU off).
 *
 * Each CPU: EL3 set up for a non-secure AArch64 EL2 below it (SCR_EL3), no
 * FP traps, its banked GICv2 registers in group 1 (non-secure) with both
 * groups enabled and a priority mask the non-secure side may lower.  CPU 0
 * also puts every shared interrupt in group 1, then enters the kernel at
 * KERNEL_ENTRY, at EL2h with DAIF masked and x0 = the DTB.  The others
 * wait (wfe) until their spin-table word, SPIN_TABLE + 8 * Aff0, holds an
 * address, and enter it the same way with x0 = 0.
 *
 * An SMC from below is a PSCI call: VERSION (1.0), FEATURES, SYSTEM_OFF
 * and SYSTEM_RESET, both of which end QEMU through semihosting with status
 * 0 (as -no-reboot does for a reset); anything else is NOT_SUPPORTED.
 *
 * The kernel and the DTB are put in RAM by QEMU's generic loader; the DT
 * must name SPIN_TABLE's words as cpu-release-addr and keep the page out
 * of the allocator (/memreserve/).  No stack, no RAM but that page.
 */
#define GICD_BASE		0x08000000
#define GICC_BASE		0x08010000
#define GICD_CTLR		0x000
#define GICD_TYPER		0x004
#define GICD_IGROUPR		0x080
#define GICC_CTLR		0x000
#define GICC_PMR		0x004

#define KERNEL_ENTRY		0x40200000
#define DTB_ADDR		0x48000000
#define SPIN_TABLE		0x40100000	/* one 64-bit word per CPU */
#define EXIT_BLOCK		(SPIN_TABLE + 0x800)	/* semihosting SYS_EXIT's */

/* SCR_EL3: NS, RES1 (5:4), HCE (HVC enabled), RW (EL2 is AArch64). */
#define SCR_EL3_VALUE		((1 << 0) | (3 << 4) | (1 << 8) | (1 << 10))
/* SCTLR_EL2 RES1 bits, MMU and caches off. */
#define SCTLR_EL2_RES1		0x30c50830
/* SPSR_EL3 for the kernel: EL2h, D, A, I, F masked. */
#define SPSR_EL2H_MASKED	0x3c9

#define PSCI_VERSION		0x84000000
#define PSCI_SYSTEM_OFF		0x84000008
#define PSCI_SYSTEM_RESET	0x84000009
#define PSCI_FEATURES		0x8400000a
#define PSCI_NOT_SUPPORTED	-1

#define SEMIHOSTING_SYS_EXIT	0x18
#define ADP_STOPPED_APP_EXIT	0x20026

	.text
	.globl _start
_start:
	adr	x0, el3_vectors
	msr	vbar_el3, x0
	mov	x0, #SCR_EL3_VALUE
	msr	scr_el3, x0
	msr	cptr_el3, xzr			/* FP/SIMD untrapped below */
	ldr	x0, =SCTLR_EL2_RES1
	msr	sctlr_el2, x0
	isb

	mrs	x6, mpidr_el1
	and	x6, x6, #0xff			/* this CPU's number */
	ldr	x1, =GICD_BASE
	cbnz	x6, 2f
	/* CPU 0: every shared interrupt in group 1, both groups on. */
	ldr	w3, [x1, #GICD_TYPER]
	and	w3, w3, #0x1f			/* ITLinesNumber: SPI registers */
	add	x5, x1, #(GICD_IGROUPR + 4)
	mov	w4, #-1
1:	cbz	w3, 3f
	str	w4, [x5], #4
	sub	w3, w3, #1
	b	1b
3:	mov	w4, #3
	str	w4, [x1, #GICD_CTLR]
	/* Every CPU: its SGIs and PPIs, and its CPU interface. */
2:	mov	w4, #-1
	str	w4, [x1, #GICD_IGROUPR]
	ldr	x1, =GICC_BASE
	mov	w4, #3				/* EnableGrp0 | EnableGrp1 */
	str	w4, [x1, #GICC_CTLR]
	mov	w4, #0xff			/* >= 0x80: non-secure may set it */
	str	w4, [x1, #GICC_PMR]

	cbnz	x6, wait_release
	ldr	x0, =DTB_ADDR
	ldr	x4, =KERNEL_ENTRY
	b	enter_el2

wait_release:
	ldr	x5, =SPIN_TABLE
	add	x5, x5, x6, lsl #3
1:	ldr	x4, [x5]			/* MMU off: straight from memory */
	cbnz	x4, 2f
	wfe
	b	1b
2:	mov	x0, #0

/* x0 for the kernel, x4 where it starts. */
enter_el2:
	mov	x1, #0
	mov	x2, #0
	mov	x3, #0
	msr	elr_el3, x4
	mov	x4, #SPSR_EL2H_MASKED
	msr	spsr_el3, x4
	eret

/* ---------------------------------------------------------------- PSCI */

/* SMC from EL2 or EL1 (AArch64): w0 the function, x1 its argument. */
psci:
	mrs	x9, esr_el3
	lsr	x9, x9, #26
	cmp	x9, #0x17			/* EC: SMC from AArch64 */
	b.ne	hang
	ldr	w9, =PSCI_VERSION
	cmp	w0, w9
	b.ne	1f
	mov	x0, #0x10000			/* 1.0 */
	eret
1:	ldr	w9, =PSCI_FEATURES
	cmp	w0, w9
	b.ne	2f
	mov	x0, #PSCI_NOT_SUPPORTED
	ldr	w9, =PSCI_VERSION
	cmp	w1, w9
	ldr	w9, =PSCI_SYSTEM_OFF
	ccmp	w1, w9, #4, ne			/* Z stays set if VERSION matched */
	ldr	w9, =PSCI_SYSTEM_RESET
	ccmp	w1, w9, #4, ne
	ldr	w9, =PSCI_FEATURES
	ccmp	w1, w9, #4, ne
	csel	x0, xzr, x0, eq
	eret
2:	ldr	w9, =PSCI_SYSTEM_OFF
	cmp	w0, w9
	ldr	w9, =PSCI_SYSTEM_RESET
	ccmp	w0, w9, #4, ne
	b.eq	exit_qemu
	mov	x0, #PSCI_NOT_SUPPORTED
	eret

/* Semihosting SYS_EXIT, AArch64 form: x1 -> { reason, exit status }. */
exit_qemu:
	ldr	x1, =EXIT_BLOCK
	ldr	x2, =ADP_STOPPED_APP_EXIT
	stp	x2, xzr, [x1]
	mov	w0, #SEMIHOSTING_SYS_EXIT
	hlt	#0xf000
hang:
	wfe
	b	hang

	.ltorg

/* EL3 vectors: only an SMC from a lower EL is expected. */
.macro vector target
	.balign	0x80
	b	\target
.endm
	.balign	0x800
el3_vectors:
	.rept	8
	vector	hang			/* current EL */
	.endr
	vector	psci			/* lower EL, AArch64: synchronous */
	.rept	7
	vector	hang
	.endr
