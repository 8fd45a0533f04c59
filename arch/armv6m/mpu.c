/*
 * The MPU as a stack guard (CONFIG_ARMV6M_MPU_STACK_GUARD): one region,
 * number 0, covers 32 no-access bytes just below the running thread's
 * stack; switch.S loads each thread's pair of RBAR/RASR values as it
 * switches to it.  Everything else is reached through the default memory
 * map (PRIVDEFENA: the kernel runs privileged throughout).
 *
 * The register layout is PMSAv7's, which ARMv6-M's optional MPU shares.
 * ARMv7-M takes a 32-byte region as it is.  ARMv6-M's smallest region
 * is 256 bytes, so there the guard is a 256-byte region with seven of
 * its eight 32-byte subregions disabled.  (QEMU 10 caches the background
 * map for a whole 1 KiB page after an access to a disabled subregion, so
 * the first form is also the one its Cortex-M3 enforces.)  MPU_CTRL.HFNMIENA stays 0: the HardFault
 * handler, and the hardware stacking its entry does for a thread that
 * just hit its guard, run with the MPU off, so the fault is reported
 * instead of locking the core up.
 */
#include <arch/thread.h>
#include <kernel/mmio.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include "armv6m.h"

#define MPU_TYPE		0xe000ed90
#define MPU_CTRL		0xe000ed94
#define MPU_RNR			0xe000ed98
#define MPU_RBAR		0xe000ed9c
#define MPU_RASR		0xe000eda0

#define MPU_CTRL_ENABLE		(1u << 0)
#define MPU_CTRL_PRIVDEFENA	(1u << 2)
#define MPU_RBAR_VALID		(1u << 4)
#define MPU_RASR_ENABLE		(1u << 0)
#define MPU_RASR_SIZE(bytes)	((uint32_t)(__builtin_ctz(bytes) - 1) << 1)
#define MPU_RASR_SIZE_MASK	(0x1fu << 1)
#define MPU_RASR_SRD(bits)	((uint32_t)(bits) << 8)
#define MPU_RASR_XN		(1u << 28)	/* AP (26:24) 0: no access */

#define REGION_SIZE		256u

void
armv6m_mpu_init(void)
{
	unsigned int regions = (mmio_read32(MPU_TYPE) >> 8) & 0xff;

	/* The board's configuration promised an MPU: a core without is a wrong build. */
	if (regions == 0)
		panic("CONFIG_ARMV6M_MPU_STACK_GUARD, but this core has no MPU");
	mmio_write32(MPU_RNR, 0);		/* switch.S writes RBAR without VALID for "none" */
	mmio_write32(MPU_RASR, 0);
	mmio_write32(MPU_CTRL, MPU_CTRL_PRIVDEFENA | MPU_CTRL_ENABLE);
	__asm__ __volatile__("dsb; isb" ::: "memory");
	pr_info("MPU: %u regions; a %u-byte guard below each thread's stack\n", regions,
		ARMV6M_GUARD_SIZE);
}

/*
 * Going down (arch_poweroff()): the guard has nothing left to protect,
 * and the code that ends the run may be on a stack that ran into it (a
 * stack-overflow panic) with its semihosting block there, which QEMU
 * reads through the MPU.
 */
void
armv6m_mpu_guard_off(void)
{
	mmio_write32(MPU_RNR, 0);
	mmio_write32(MPU_RASR, 0);
	__asm__ __volatile__("dsb; isb" ::: "memory");
}

void
arch_thread_stack_guard(struct arch_thread *t, uintptr_t lo, uintptr_t hi)
{
	uintptr_t guard = (hi - ARMV6M_GUARD_SIZE) & ~(uintptr_t)(ARMV6M_GUARD_SIZE - 1);
	unsigned int sub = (guard % REGION_SIZE) / ARMV6M_GUARD_SIZE;

	if (guard < lo)
		panic("stack guard area %#lx-%#lx too small", (unsigned long)lo, (unsigned long)hi);
	if (armv6m_core_is_v7m) {
		t->mpu_rbar = (uint32_t)guard | MPU_RBAR_VALID | 0;
		t->mpu_rasr = MPU_RASR_XN | MPU_RASR_SIZE(ARMV6M_GUARD_SIZE) | MPU_RASR_ENABLE;
	} else {
		t->mpu_rbar = (uint32_t)(guard & ~(uintptr_t)(REGION_SIZE - 1)) | MPU_RBAR_VALID | 0;
		t->mpu_rasr = MPU_RASR_XN | MPU_RASR_SRD(~(1u << sub) & 0xff) |
			      MPU_RASR_SIZE(REGION_SIZE) | MPU_RASR_ENABLE;
	}
}

/* The guard t has while it runs, [*lo, *lo + size); false if none. */
bool
armv6m_stack_guard_of(const struct arch_thread *t, uintptr_t *lo)
{
	unsigned int srd = (t->mpu_rasr >> 8) & 0xff;

	if (!(t->mpu_rasr & MPU_RASR_ENABLE))
		return false;
	if ((t->mpu_rasr & MPU_RASR_SIZE_MASK) == MPU_RASR_SIZE(ARMV6M_GUARD_SIZE))
		*lo = t->mpu_rbar & ~(uintptr_t)(ARMV6M_GUARD_SIZE - 1);
	else
		*lo = (t->mpu_rbar & ~(REGION_SIZE - 1)) +
		      (uintptr_t)__builtin_ctz(~srd & 0xff) * ARMV6M_GUARD_SIZE;
	return true;
}
