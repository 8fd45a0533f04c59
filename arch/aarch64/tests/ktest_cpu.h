/* CPU choices the AArch64 SMP tests share (pinning is thread_pin()). */
#ifndef AARCH64_TESTS_KTEST_CPU_H
#define AARCH64_TESTS_KTEST_CPU_H

#include <kernel/cpu.h>

/* The highest-numbered online CPU (a secondary one when there is any). */
static inline unsigned int
ktest_last_cpu(void)
{
	cpumask_t online = cpus_online();

	return online ? 8 * sizeof(online) - 1 - (unsigned int)__builtin_clzl(online) : 0;
}

#endif
