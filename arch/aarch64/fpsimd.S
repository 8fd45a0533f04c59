/*
 * C-callable FP/SIMD save and load (fpsimd.c):
 *   void aarch64_fpsimd_save(struct arch_fpsimd *st)
 *   void aarch64_fpsimd_load(const struct arch_fpsimd *st)
 */
#include "fpsimd_macros.h"

	.text
	.globl aarch64_fpsimd_save
	.type aarch64_fpsimd_save, %function
aarch64_fpsimd_save:
	fpsimd_save x0, 1
	ret
	.size aarch64_fpsimd_save, . - aarch64_fpsimd_save

	.globl aarch64_fpsimd_load
	.type aarch64_fpsimd_load, %function
aarch64_fpsimd_load:
	fpsimd_load x0, 1
	ret
	.size aarch64_fpsimd_load, . - aarch64_fpsimd_load
