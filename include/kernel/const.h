/*
 * Constants shared by C and assembly: UL(x) is an unsigned long literal
 * in C and the bare number for the assembler, which knows no suffixes.
 */
#ifndef KERNEL_CONST_H
#define KERNEL_CONST_H

#ifdef __ASSEMBLER__
#define UL(x)	x
#else
#define UL(x)	x##UL
#endif

#endif
