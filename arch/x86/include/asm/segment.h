/*
 * GDT layout and selectors, shared by the entry code (assembly) and
 * arch/x86/desc.c, and the data segment reload every GDT load needs.
 * The user entries are in the order SYSCALL/SYSRET wants on x86-64
 * (user data right below user code).
 */
#ifndef ASM_SEGMENT_H
#define ASM_SEGMENT_H

#define GDT_NULL		0
#define GDT_KERNEL_CODE		1
#define GDT_KERNEL_DATA		2
#define GDT_USER_CODE32		3
#define GDT_USER_DATA		4
#define GDT_USER_CODE64		5	/* x86-64 only; unused on i386 */
#define GDT_TSS			6	/* two slots on x86-64 */
#define GDT_DF_TSS		8	/* i386: the double-fault task */
#define GDT_PERCPU		9	/* i386: FS, based at this CPU's struct cpu */
#define GDT_TLS			10	/* i386: the running thread's TLS segment */
#define GDT_CPUNODE		11	/* limit = this CPU's number: the vDSO's getcpu (LSL) */
#define GDT_ENTRIES		12

#define KERNEL_CS	(GDT_KERNEL_CODE * 8)
#define KERNEL_DS	(GDT_KERNEL_DATA * 8)
#define USER_CS32	(GDT_USER_CODE32 * 8 + 3)
#define USER_DS		(GDT_USER_DATA * 8 + 3)
#define USER_CS64	(GDT_USER_CODE64 * 8 + 3)
#define TSS_SEL		(GDT_TSS * 8)
#define DF_TSS_SEL	(GDT_DF_TSS * 8)
#define PERCPU_SEL	(GDT_PERCPU * 8)
#define TLS_SEL		(GDT_TLS * 8 + 3)
#define CPUNODE_SEL	(GDT_CPUNODE * 8 + 3)

/*
 * Flat 4 GiB descriptors.  Access byte: P | DPL | S | type; flags:
 * G (4 KiB granularity) | D (32-bit) or L (64-bit code).
 */
#define SEG_CODE64_KERNEL	0x00af9a000000ffffULL
#define SEG_CODE32_KERNEL	0x00cf9a000000ffffULL
#define SEG_DATA_KERNEL		0x00cf92000000ffffULL
#define SEG_CODE64_USER		0x00affa000000ffffULL
#define SEG_CODE32_USER		0x00cffa000000ffffULL
#define SEG_DATA_USER		0x00cff2000000ffffULL

/*
 * What FS and GS hold in the kernel.  x86-64 leaves them null: their
 * bases come from MSRs, not the GDT.  i386 keeps them flat like DS.
 */
#ifdef __x86_64__
#define KERNEL_FS_GS	0
#else
#define KERNEL_FS_GS	KERNEL_DS
#endif

/*
 * FS once C runs: the per-CPU segment on i386 (asm/cpu.h); nothing on
 * x86_64, whose per-CPU base is GS's MSR.
 */
#ifdef __x86_64__
#define KERNEL_FS	0
#else
#define KERNEL_FS	PERCPU_SEL
#endif

#ifdef __ASSEMBLER__
/*
 * After LGDT, make the data segment registers use the new table (the
 * cached descriptors are the old one's).  Clobbers EAX; CS is the
 * caller's business, as a far jump or return must reload it.
 */
.macro load_data_segments
	movl	$KERNEL_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	$KERNEL_FS_GS, %eax
	movl	%eax, %fs
	movl	%eax, %gs
.endm
#endif

#endif
