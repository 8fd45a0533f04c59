/*
 * The real-mode trampoline that starts a CPU (trampoline.S), shared with
 * smp.c, which copies it to TRAMPOLINE_PAGES reserved pages below 1 MiB
 * and fills the mailbox at TR_DATA before each start; also read by the
 * kernel-side landing in {32,64}/head.S.  Offsets are from the page.
 *
 * The pages: the code and mailbox, then the temporary page tables (a
 * root that identity-maps the first 2 MiB, where the code runs, and
 * shares the kernel half; the tables below it).
 */
#ifndef ARCH_X86_TRAMPOLINE_H
#define ARCH_X86_TRAMPOLINE_H

#define TRAMPOLINE_PAGES	4

#define TR_DATA			0xf00
#define TR_ENTRY		(TR_DATA + 0x00)	/* u64: the kernel-side landing */
#define TR_KERNEL_CR3		(TR_DATA + 0x08)	/* u64: the kernel's own root */
#define TR_STACK		(TR_DATA + 0x10)	/* u64: the idle thread's stack top */
#define TR_PGD			(TR_DATA + 0x18)	/* u32: the temporary root */
#define TR_CR0			(TR_DATA + 0x1c)	/* u32: as the boot CPU's */
#define TR_CR4			(TR_DATA + 0x20)	/* u32: the same without PCIDE */
#define TR_EFER			(TR_DATA + 0x24)	/* u32: EFER's low half; 0: none */
#define TR_CPU			(TR_DATA + 0x28)	/* u32: logical CPU number */
#define TR_APIC_ID		(TR_DATA + 0x2c)	/* u32: the only CPU to go on */
#define TR_JUMP32		(TR_DATA + 0x30)	/* far pointer: u32 offset, u16 CS */
#define TR_JUMP64		(TR_DATA + 0x38)
#define TR_GDTR			(TR_DATA + 0x42)	/* u16 limit, u32 base */
#define TR_GDT			(TR_DATA + 0x48)	/* the four descriptors below */
#define TR_DATA_END		(TR_GDT + 4 * 8)

#define TR_CS32			0x08
#define TR_DS			0x10
#define TR_CS64			0x18

#define TR_MSR_EFER		0xc0000080
#define TR_CR0_PE		0x1

#endif
