/*
 * ARMv6-M half of <arch/cpu.h>: PRIMASK interrupt masking, barriers,
 * special registers, and the SysTick-based cycle counter.
 *
 * ARMv6-M has no LDREX/STREX, so every atomic section masks interrupts
 * with PRIMASK (one bit: 1 = masked).  There is one CPU.
 */
#ifndef ASM_CPU_H
#define ASM_CPU_H

#include <kernel/types.h>

/* mrs/msr of a special register (primask, ipsr, msp, psp, control). */
#define read_special(r) ({						\
	uint32_t v_;							\
	__asm__ __volatile__("mrs %0, " #r : "=r"(v_) :: "memory");	\
	v_;								\
})
#define write_special(r, v) do {					\
	uint32_t v_ = (uint32_t)(v);					\
	__asm__ __volatile__("msr " #r ", %0" :: "r"(v_) : "memory");	\
} while (0)

#define isb()	__asm__ __volatile__("isb" ::: "memory")
#define mb()	__asm__ __volatile__("dsb" ::: "memory")
#define rmb()	__asm__ __volatile__("dmb" ::: "memory")
#define wmb()	__asm__ __volatile__("dmb" ::: "memory")
/* One CPU: nothing to order against but the compiler. */
#define smp_mb()	__asm__ __volatile__("" ::: "memory")
#define smp_rmb()	smp_mb()
#define smp_wmb()	smp_mb()

#define PRIMASK_PM	(1u << 0)

static inline unsigned long
arch_irq_save(void)
{
	unsigned long flags = read_special(primask);

	__asm__ __volatile__("cpsid i" ::: "memory");
	return flags;
}

static inline void
arch_irq_restore(unsigned long flags)
{
	write_special(primask, flags);
}

static inline void
arch_irq_enable(void)
{
	__asm__ __volatile__("cpsie i" ::: "memory");
}

static inline void
arch_irq_disable(void)
{
	__asm__ __volatile__("cpsid i" ::: "memory");
}

static inline bool
arch_irqs_enabled(void)
{
	return !(read_special(primask) & PRIMASK_PM);
}

/*
 * IPSR is the active exception's number, 0 in Thread mode: interrupt
 * context without a count to keep on every entry and exit.  PendSV and
 * the faults are handlers too; none of them may sleep or switch.
 */
#define ARCH_HAS_IN_HANDLER	1

static __always_inline bool
arch_in_handler(void)
{
	return read_special(ipsr) != 0;
}

/* External interrupt n is exception 16 + n. */
static __always_inline unsigned int
arch_irq_vector_line(void)
{
	return read_special(ipsr) - 16;
}

static inline void
arch_wait_for_irq(void)
{
	__asm__ __volatile__("dsb; wfi" ::: "memory");
}

/* WFI wakes on a pending interrupt whatever the mask: nothing is taken. */
static inline void
arch_wait_for_irq_masked(void)
{
	__asm__ __volatile__("dsb; wfi" ::: "memory");
}

/*
 * The cycle counter is SysTick counting the CPU clock, extended to 64
 * bits by drivers/timer/systick.c, which installs itself here when it
 * probes.  Reads 0 before that.
 */
uint64_t armv6m_cycles(void);
void armv6m_set_cycle_counter(uint64_t (*read)(void));

static inline uint64_t
arch_cycles(void)
{
	return armv6m_cycles();
}

static inline void
arch_cpu_relax(void)
{
	__asm__ __volatile__("nop" ::: "memory");
}

#endif
