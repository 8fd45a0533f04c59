/* The SysTick clock check shared by the ARMv6-M board tests (systick_check.c). */
#ifndef ARMV6M_TESTS_SYSTICK_CHECK_H
#define ARMV6M_TESTS_SYSTICK_CHECK_H

#include <stdint.h>

/* A board timer counting the CPU clock (or a divided copy of it). */
struct systick_reference {
	const char *name;
	uint32_t cpu_hz;		/* the CPU clock the board table gives */
	void (*start)(void);		/* from 0, not to wrap within a second */
	uint64_t (*read_cycles)(void);	/* since start, in CPU cycles */
	void (*stop)(void);
};

/* KEXPECTs SysTick never backwards, never ahead, and (undisturbed) not behind. */
void systick_check_against(const struct systick_reference *r);

#endif
