/* AArch64 system register values and encodings shared by C and assembly. */
#ifndef AARCH64_SYSREGS_H
#define AARCH64_SYSREGS_H

#ifdef __ASSEMBLER__
#define SR_UL(x)		x
#else
#define SR_UL(x)		x##UL
#endif

#define HCR_EL2_RW		(SR_UL(1) << 31)
/* RES1 bits of SCTLR_EL1 (ARMv8.0): 29, 28, 23, 22, 20, 11. */
#define SCTLR_EL1_RES1		0x30d00800
/* Bit 23 of the RES1 set is SPAN since ARMv8.1: clear, exceptions set PSTATE.PAN. */
#define SCTLR_EL1_SPAN		(1 << 23)
/* PSTATE.PAN in an SPSR. */
#define SPSR_PAN		(1u << 22)
/* EL1h with D, A, I, F masked. */
#define SPSR_EL1H_MASKED	0x3c5

/* SCTLR_EL1 controls the kernel turns on with the MMU. */
#define SCTLR_EL1_M		(1 << 0)	/* stage 1 translation */
#define SCTLR_EL1_C		(1 << 2)	/* data caches */
#define SCTLR_EL1_SA		(1 << 3)	/* SP alignment check, EL1 */
#define SCTLR_EL1_SA0		(1 << 4)	/* SP alignment check, EL0 */
#define SCTLR_EL1_I		(1 << 12)	/* instruction caches */
#define SCTLR_EL1_DZE		(1 << 14)	/* EL0 may DC ZVA (glibc's memset) */
#define SCTLR_EL1_UCT		(1 << 15)	/* EL0 may read CTR_EL0 (cache line sizes) */
#define SCTLR_EL1_nTWI		(1 << 16)	/* EL0's WFI does not trap */
#define SCTLR_EL1_nTWE		(1 << 18)	/* EL0's WFE does not trap */
#define SCTLR_EL1_UCI		(1 << 26)	/* EL0 may clean caches (JITs, __clear_cache) */
#define SCTLR_EL1_MMU_ON	(SCTLR_EL1_RES1 | SCTLR_EL1_M | SCTLR_EL1_C | \
				 SCTLR_EL1_SA | SCTLR_EL1_SA0 | SCTLR_EL1_I | \
				 SCTLR_EL1_DZE | SCTLR_EL1_UCT | SCTLR_EL1_nTWI | SCTLR_EL1_nTWE | \
				 SCTLR_EL1_UCI)

/*
 * MAIR_EL1 attribute slots (the AttrIndx of a descriptor): 0 normal
 * write-back cacheable, 1 Device-nGnRE, 2 normal non-cacheable.
 */
#define MT_NORMAL		0
#define MT_DEVICE		1
#define MT_NORMAL_NC		2
#define MAIR_EL1_VALUE		0x4404ff

/*
 * TCR_EL1: 48-bit VA in both halves (T0SZ = T1SZ = 16), 4 KiB granules,
 * table walks write-back cacheable and inner shareable.  head.S adds IPS
 * (the CPU's physical address size) and AS (16-bit ASIDs when present).
 */
#define TCR_EL1_BASE		((16 << 0) | (1 << 8) | (1 << 10) | (3 << 12) | (0 << 14) | \
				 (16 << 16) | (1 << 24) | (1 << 26) | (3 << 28) | \
				 (SR_UL(2) << 30))
#define TCR_EL1_IPS_SHIFT	32
#define TCR_EL1_AS		(SR_UL(1) << 36)

/* GICv3 CPU interface registers by encoding, for any assembler. */
#define ICC_SRE_EL2		S3_4_C12_C9_5
#define ICC_SRE_EL1		S3_0_C12_C12_5
#define ICC_PMR_EL1		S3_0_C4_C6_0
#define ICC_IAR1_EL1		S3_0_C12_C12_0
#define ICC_EOIR1_EL1		S3_0_C12_C12_1
#define ICC_IGRPEN1_EL1		S3_0_C12_C12_7
#define ICC_CTLR_EL1		S3_0_C12_C12_4
#define ICC_BPR1_EL1		S3_0_C12_C12_3

#endif
