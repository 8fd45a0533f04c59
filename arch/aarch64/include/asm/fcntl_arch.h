/*
 * aarch64's open flags where Linux's arm64 numbers differ from the
 * generic ones (arch/arm64/include/uapi/asm/fcntl.h).
 */
#ifndef ASM_FCNTL_ARCH_H
#define ASM_FCNTL_ARCH_H

#define O_DIRECTORY	00040000
#define O_NOFOLLOW	00100000
#define O_DIRECT	00200000
#define O_LARGEFILE	00400000

#endif
