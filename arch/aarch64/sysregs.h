/* AArch64 system register values and encodings shared by C and assembly. */
#ifndef AARCH64_SYSREGS_H
#define AARCH64_SYSREGS_H

#define HCR_EL2_RW		(1 << 31)
/* RES1 bits of SCTLR_EL1 (ARMv8.0): 29, 28, 23, 22, 20, 11. */
#define SCTLR_EL1_RES1		0x30d00800
/* EL1h with D, A, I, F masked. */
#define SPSR_EL1H_MASKED	0x3c5

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
