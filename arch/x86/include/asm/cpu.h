/*
 * x86 half of <arch/cpu.h>: EFLAGS.IF masking, fences, the TSC, and the
 * per-CPU register: a segment whose base is this CPU's struct cpu (GS on
 * x86_64, from MSR_GS_BASE; FS on i386, from its own GDT descriptor), so
 * one instruction loads a per-CPU word.
 */
#ifndef ASM_CPU_H
#define ASM_CPU_H

#include <kernel/types.h>

#define X86_EFLAGS_IF	(1u << 9)
#define X86_EFLAGS_AC	(1u << 18)	/* alignment check; with SMAP: user access allowed */

/*
 * Every x86-64 CPU has SSE2 and its fences; an i686 need not, and a
 * locked no-op on the stack orders everything on every x86.
 */
#ifdef __x86_64__
#define mb()	__asm__ __volatile__("mfence" ::: "memory")
#define rmb()	__asm__ __volatile__("lfence" ::: "memory")
#define wmb()	__asm__ __volatile__("sfence" ::: "memory")
#else
#define mb()	__asm__ __volatile__("lock; addl $0, 0(%%esp)" ::: "memory", "cc")
#define rmb()	mb()
#define wmb()	mb()
#endif

/* x86 orders everything but a store before a later load (TSO). */
#ifdef __x86_64__
#define smp_mb()	__asm__ __volatile__("lock; addl $0, -4(%%rsp)" ::: "memory", "cc")
#else
#define smp_mb()	__asm__ __volatile__("lock; addl $0, -4(%%esp)" ::: "memory", "cc")
#endif
#define smp_rmb()	__asm__ __volatile__("" ::: "memory")
#define smp_wmb()	__asm__ __volatile__("" ::: "memory")

static inline unsigned long
x86_read_flags(void)
{
	unsigned long flags;

	__asm__ __volatile__("pushf; pop %0" : "=r"(flags) :: "memory");
	return flags;
}

static inline unsigned long
arch_irq_save(void)
{
	unsigned long flags = x86_read_flags();

	__asm__ __volatile__("cli" ::: "memory");
	return flags;
}

static inline void
arch_irq_restore(unsigned long flags)
{
	if (flags & X86_EFLAGS_IF)
		__asm__ __volatile__("sti" ::: "memory");
	else
		__asm__ __volatile__("cli" ::: "memory");
}

static inline void
arch_irq_enable(void)
{
	__asm__ __volatile__("sti" ::: "memory");
}

static inline void
arch_irq_disable(void)
{
	__asm__ __volatile__("cli" ::: "memory");
}

static inline bool
arch_irqs_enabled(void)
{
	return (x86_read_flags() & X86_EFLAGS_IF) != 0;
}

/*
 * STI takes effect after the next instruction, so an interrupt that is
 * already pending cannot slip in between and leave HLT asleep.
 */
static inline void
arch_wait_for_irq(void)
{
	__asm__ __volatile__("sti; hlt" ::: "memory");
}

static inline uint64_t
arch_cycles(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static inline void
arch_cpu_relax(void)
{
	__asm__ __volatile__("pause" ::: "memory");
}

#ifdef __x86_64__
#define X86_PERCPU_SEG	"%%gs:"
#else
#define X86_PERCPU_SEG	"%%fs:"
#endif

/* One load, relative to this CPU's struct cpu: no interrupt splits it. */
#define ARCH_HAS_PERCPU_LOAD	1
#define arch_percpu_load_ptr(off) ({					\
	uintptr_t v_;							\
	__asm__ __volatile__("mov " X86_PERCPU_SEG "%c1, %0"		\
			     : "=r"(v_) : "i"(off) : "memory");	\
	v_;								\
})

struct cpu;

static inline struct cpu *
arch_this_cpu(void)
{
	return (struct cpu *)arch_percpu_load_ptr(0);
}

/*
 * RDSEED and RDRAND (<arch/cpu.h>), once arch_random_probe() has seen
 * them in CPUID.  Intel's DRNG guide: RDRAND fails only when the DRBG
 * is momentarily drained, so retry ten times in a tight loop and give up
 * after that (a broken unit); RDSEED runs out whenever its conditioner
 * is outpaced, so retry with PAUSE between attempts, and give up after a
 * bound rather than spin for ever.
 */
#define ARCH_HAS_RANDOM		1
#define X86_RDRAND_RETRIES	10
#define X86_RDSEED_RETRIES	100

extern bool x86_has_rdseed, x86_has_rdrand;
/* CR4.SMAP is on (cpu.c): uaccess.S brackets user accesses with STAC/CLAC. */
extern bool x86_smap;

static inline bool
arch_get_random_seed_long(unsigned long *v)
{
	bool ok;

	if (!x86_has_rdseed)
		return false;
	for (int i = 0; i < X86_RDSEED_RETRIES; i++) {
		__asm__ __volatile__("rdseed %0" : "=r"(*v), "=@ccc"(ok));
		if (ok)
			return true;
		arch_cpu_relax();
	}
	return false;
}

static inline bool
arch_get_random_long(unsigned long *v)
{
	bool ok;

	if (!x86_has_rdrand)
		return false;
	for (int i = 0; i < X86_RDRAND_RETRIES; i++) {
		__asm__ __volatile__("rdrand %0" : "=r"(*v), "=@ccc"(ok));
		if (ok)
			return true;
	}
	return false;
}

#endif
