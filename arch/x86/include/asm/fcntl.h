/*
 * x86 (x86_64 and i386) uses Linux's generic open flags: nothing to
 * override.  This header exists so that <kernel/fcntl.h>'s
 * __has_include(<asm/fcntl.h>) finds the port's, not the build host's
 * Linux uapi header (the x86_64 GCC build uses the host compiler, whose
 * search path has /usr/include/x86_64-linux-gnu/asm/fcntl.h: its O_SYNC
 * and friends then clash with ours under -Werror).
 */
#ifndef ASM_FCNTL_H
#define ASM_FCNTL_H

#endif
