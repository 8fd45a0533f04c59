/*
 * x86 processor registers: control registers, MSRs, CPUID.  Private to
 * arch/x86 and x86-only drivers.
 */
#ifndef ASM_X86_H
#define ASM_X86_H

#include <kernel/types.h>

#define CR0_PE		(1ul << 0)
#define CR0_MP		(1ul << 1)	/* WAIT/FWAIT honour TS */
#define CR0_EM		(1ul << 2)	/* no x87: FP instructions fault */
#define CR0_TS		(1ul << 3)	/* task switched: FP instructions fault */
#define CR0_NE		(1ul << 5)	/* x87 errors as #MF, not IRQ 13 */
#define CR0_WP		(1ul << 16)
#define CR0_PG		(1ul << 31)
#define CR4_PAE		(1ul << 5)
#define CR4_PGE		(1ul << 7)	/* global pages */
#define CR4_OSFXSR	(1ul << 9)	/* SSE enabled (FXSAVE state) */
#define CR4_OSXMMEXCPT	(1ul << 10)	/* SIMD FP exceptions as #XM */
#define CR4_PCIDE	(1ul << 17)	/* process-context identifiers (x86_64) */
#define CR4_OSXSAVE	(1ul << 18)	/* XSAVE and AVX enabled */
#define CR4_SMEP	(1ul << 20)	/* no kernel execution of user pages */
#define CR4_SMAP	(1ul << 21)	/* no kernel access to user pages unless EFLAGS.AC */

/* With CR4.PCIDE: CR3 bits 11:0 are the PCID; bit 63 keeps its TLB entries. */
#define CR3_PCID_MASK	0xfffull
#define CR3_NOFLUSH	(1ull << 63)

#define MSR_APIC_BASE	0x1bu
#define APIC_BASE_BSP	(1u << 8)
#define APIC_BASE_EXTD	(1u << 10)	/* x2APIC mode */
#define APIC_BASE_EN	(1u << 11)
#define MSR_X2APIC_BASE	0x800u		/* + xAPIC register offset / 16 */
#define MSR_EFER	0xc0000080u
#define MSR_FS_BASE	0xc0000100u
#define MSR_GS_BASE	0xc0000101u
#define MSR_KERNEL_GS_BASE 0xc0000102u
#define EFER_SCE	(1u << 0)
#define EFER_LME	(1u << 8)
#define EFER_LMA	(1u << 10)
#define EFER_NXE	(1u << 11)

/* CPUID feature bits we look at. */
#define CPUID_1_EDX_TSC		(1u << 4)
#define CPUID_1_EDX_MSR		(1u << 5)
#define CPUID_1_EDX_PAE		(1u << 6)
#define CPUID_1_EDX_APIC	(1u << 9)
#define CPUID_1_EDX_PGE		(1u << 13)
#define CPUID_1_EDX_FXSR	(1u << 24)
#define CPUID_1_EDX_SSE		(1u << 25)
#define CPUID_1_ECX_PCID	(1u << 17)
#define CPUID_1_ECX_X2APIC	(1u << 21)
#define CPUID_1_ECX_RDRAND	(1u << 30)
#define CPUID_1_ECX_HYPERVISOR	(1u << 31)
#define CPUID_7_EBX_SMEP	(1u << 7)
#define CPUID_7_EBX_RDSEED	(1u << 18)
#define CPUID_7_EBX_SMAP	(1u << 20)
#define CPUID_81_EDX_NX		(1u << 20)
#define CPUID_81_EDX_LM		(1u << 29)
#define CPUID_87_EDX_INVTSC	(1u << 8)

#define read_cr(n) ({							\
	unsigned long v_;						\
	__asm__ __volatile__("mov %%cr" #n ", %0" : "=r"(v_));		\
	v_;								\
})

#define write_cr(n, v) do {						\
	unsigned long w_ = (v);						\
	__asm__ __volatile__("mov %0, %%cr" #n :: "r"(w_) : "memory");	\
} while (0)

/* Drop the TLB entries for the page holding va (global ones too). */
static inline void
invlpg(uintptr_t va)
{
	__asm__ __volatile__("invlpg (%0)" :: "r"(va) : "memory");
}

static inline uint64_t
rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static inline void
wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ __volatile__("wrmsr" :: "c"(msr), "a"((uint32_t)v),
			     "d"((uint32_t)(v >> 32)));
}

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_regs
cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs r;

	__asm__ __volatile__("cpuid"
			     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			     : "a"(leaf), "c"(subleaf));
	return r;
}

/* The highest leaf of the range leaf lies in (basic or 0x80000000). */
static inline bool
cpuid_has_leaf(uint32_t leaf)
{
	return cpuid(leaf & 0x80000000u, 0).eax >= leaf;
}

/* Is a CPUID bit set?  Missing leaves read as all clear. */
static inline bool
cpu_has(uint32_t leaf, char reg, uint32_t bit)
{
	struct cpuid_regs r;

	if (!cpuid_has_leaf(leaf))
		return false;
	r = cpuid(leaf, 0);
	switch (reg) {
	case 'a': return r.eax & bit;
	case 'b': return r.ebx & bit;
	case 'c': return r.ecx & bit;
	default: return r.edx & bit;
	}
}

#endif
