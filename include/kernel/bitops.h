/*
 * Bit scans the compiler's builtins do not do cheaply everywhere.
 */
#ifndef KERNEL_BITOPS_H
#define KERNEL_BITOPS_H

#include <kernel/compiler.h>
#include <kernel/types.h>

/*
 * The index of the highest set bit of x, -1 when x is 0.  A core without
 * a count-leading-zeros instruction (ARMv6-M) would call libgcc's
 * __clzsi2, about 20 instructions with the call; three halvings and a
 * nibble table take about 10, and the scheduler does this at every pick.
 */
static __always_inline int
fls32(uint32_t x)
{
#if defined(__arm__) && !defined(__ARM_FEATURE_CLZ)
	static const int8_t nibble[16] = { -1, 0, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3 };
	int base = 0;

	if (x >> 16) {
		x >>= 16;
		base = 16;
	}
	if (x >> 8) {
		x >>= 8;
		base += 8;
	}
	if (x >> 4) {
		x >>= 4;
		base += 4;
	}
	return base + nibble[x];
#else
	return x ? 31 - __builtin_clz(x) : -1;
#endif
}

#endif
