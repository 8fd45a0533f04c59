/*
 * AArch64 half of <arch/cpu.h>: DAIF interrupt masking, barriers, the
 * counter, and the per-CPU register: TPIDR_EL1 holds this CPU's struct
 * cpu (head.S sets the boot CPU's before any C runs).
 */
#ifndef ASM_CPU_H
#define ASM_CPU_H

#include <kernel/types.h>

#define read_sysreg(r) ({						\
	uint64_t v_;							\
	__asm__ __volatile__("mrs %0, " #r : "=r"(v_));		\
	v_;								\
})
#define write_sysreg(r, v) do {						\
	uint64_t v_ = (uint64_t)(v);					\
	__asm__ __volatile__("msr " #r ", %0" :: "r"(v_));		\
} while (0)
#define isb()	__asm__ __volatile__("isb" ::: "memory")

#define mb()	__asm__ __volatile__("dsb sy" ::: "memory")
#define rmb()	__asm__ __volatile__("dsb ld" ::: "memory")
#define wmb()	__asm__ __volatile__("dsb st" ::: "memory")

/* Between CPUs of the inner shareable domain (all of them). */
#define smp_mb()	__asm__ __volatile__("dmb ish" ::: "memory")
#define smp_rmb()	__asm__ __volatile__("dmb ishld" ::: "memory")
#define smp_wmb()	__asm__ __volatile__("dmb ishst" ::: "memory")

#define DAIF_I	(1u << 7)

static inline unsigned long
arch_irq_save(void)
{
	unsigned long flags = read_sysreg(daif);

	__asm__ __volatile__("msr daifset, #2" ::: "memory");
	return flags;
}

static inline void
arch_irq_restore(unsigned long flags)
{
	write_sysreg(daif, flags);
	barrier();
}

static inline void
arch_irq_enable(void)
{
	__asm__ __volatile__("msr daifclr, #2" ::: "memory");
}

static inline void
arch_irq_disable(void)
{
	__asm__ __volatile__("msr daifset, #2" ::: "memory");
}

static inline bool
arch_irqs_enabled(void)
{
	return !(read_sysreg(daif) & DAIF_I);
}

static inline void
arch_wait_for_irq(void)
{
	__asm__ __volatile__("dsb sy; wfi" ::: "memory");
}

/* WFI wakes on a pending interrupt whatever the mask: nothing is taken. */
static inline void
arch_wait_for_irq_masked(void)
{
	__asm__ __volatile__("dsb sy; wfi" ::: "memory");
}

static inline uint64_t
arch_cycles(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

static inline void
arch_cpu_relax(void)
{
	__asm__ __volatile__("yield" ::: "memory");
}

/*
 * FEAT_RNG (<arch/cpu.h>), once arch_random_probe() has seen
 * ID_AA64ISAR0_EL1.RNDR: RNDRRS reseeds from the entropy source before it
 * answers, RNDR is the DRBG's output.  Either sets NZCV to 0b0100 when it
 * has nothing in reasonable time; the Arm ARM gives no retry policy, so
 * a few attempts, then false.  By encoding: the assembler's -mcpu has no
 * "rng".
 */
#define ARCH_HAS_RANDOM		1
#define AARCH64_RNG_RETRIES	10

extern bool aarch64_has_rng;

#define aarch64_rng_read(reg) ({					\
	unsigned long v_;						\
	int ok_;							\
	__asm__ __volatile__("mrs %0, " reg "\n\tcset %w1, ne"		\
			     : "=r"(v_), "=r"(ok_) :: "cc");		\
	*v = v_;							\
	ok_;								\
})

static inline bool
arch_get_random_seed_long(unsigned long *v)
{
	if (!aarch64_has_rng)
		return false;
	for (int i = 0; i < AARCH64_RNG_RETRIES; i++)
		if (aarch64_rng_read("s3_3_c2_c4_1"))	/* RNDRRS */
			return true;
	return false;
}

static inline bool
arch_get_random_long(unsigned long *v)
{
	if (!aarch64_has_rng)
		return false;
	for (int i = 0; i < AARCH64_RNG_RETRIES; i++)
		if (aarch64_rng_read("s3_3_c2_c4_0"))	/* RNDR */
			return true;
	return false;
}

struct cpu;

static inline struct cpu *
arch_this_cpu(void)
{
	struct cpu *c;

	__asm__ __volatile__("mrs %0, tpidr_el1" : "=r"(c) :: "memory");
	return c;
}

#endif
