/*
 * Kite's Linux file-status layouts against Linux's own uapi headers, field
 * by field, at compile time: every field both have at the same offset with
 * the same size, and the same total size.  Compiled with -fsyntax-only by
 * a compiler that has Linux's headers for the target (fs/meson.build): the
 * host compiler for x86_64 and, with -m32, for i386 (the host's x86
 * <asm/stat.h> holds both); a port's cross compiler when its Linux headers
 * are installed (linux-libc-dev-<arch>-cross).  Kite's port header is found
 * as "asm/stat.h" through -iquote arch/<port>/include, Linux's as
 * <asm/stat.h>; -I include for <kernel/uapi_stat.h>.  The STATX_* macros
 * the two share must also be spelled alike, or the compiler complains of
 * a redefinition.
 */
#include <stddef.h>
#include <asm/stat.h>
#include <asm/statfs.h>
#include <linux/stat.h>
#include "asm/stat.h"
#include "stat_abi.h"

#define SAME_FIELD(ours, theirs, f)						\
	_Static_assert(offsetof(struct ours, f) == offsetof(struct theirs, f),	\
		       #ours "." #f ": not at the offset of Linux's " #theirs "." #f); \
	_Static_assert(sizeof(((struct ours *)0)->f) == sizeof(((struct theirs *)0)->f), \
		       #ours "." #f ": not the size of Linux's " #theirs "." #f);
#define SAME_FIELD_AS(ours, f, theirs, g)					\
	_Static_assert(offsetof(struct ours, f) == offsetof(struct theirs, g),	\
		       #ours "." #f ": not at the offset of Linux's " #theirs "." #g); \
	_Static_assert(sizeof(((struct ours *)0)->f) == sizeof(((struct theirs *)0)->g), \
		       #ours "." #f ": not the size of Linux's " #theirs "." #g);
#define SAME_SIZE(ours, theirs)							\
	_Static_assert(sizeof(struct ours) == sizeof(struct theirs),		\
		       "struct " #ours ": not the size of Linux's struct " #theirs);

#define STAT_FIELD(f)		SAME_FIELD(linux_stat, stat, f)
#define STAT_FIELD_AS(f, g)	SAME_FIELD_AS(linux_stat, f, stat, g)
#define STAT64_FIELD(f)		SAME_FIELD(linux_stat64, stat64, f)
#define OLD_STAT_FIELD(f)	SAME_FIELD(linux_old_kernel_stat, __old_kernel_stat, f)
#define STATFS_FIELD(f)		SAME_FIELD(linux_statfs, statfs, f)
#define STATFS64_FIELD(f)	SAME_FIELD(linux_statfs64, statfs64, f)
#define STATX_FIELD(f)		SAME_FIELD(linux_statx, statx, f)
#define STATX_TS_FIELD(f)	SAME_FIELD(linux_statx_timestamp, statx_timestamp, f)

#if defined(__x86_64__)
#ifndef LINUX_STAT_ABI_X86_64
#error "x86_64 compiler, but not the x86_64 layouts"
#endif
ABI_STAT_X86_64(STAT_FIELD)
ABI_STAT_X86_64_RENAMED(STAT_FIELD_AS)
#elif defined(__i386__)
#ifndef LINUX_STAT_ABI_I386
#error "i386 compiler, but not the i386 layouts"
#endif
ABI_STAT_I386(STAT_FIELD)
ABI_STAT64_I386(STAT64_FIELD)
ABI_OLD_STAT_I386(OLD_STAT_FIELD)
ABI_STATFS(STATFS64_FIELD)
SAME_SIZE(linux_stat64, stat64)
SAME_SIZE(linux_old_kernel_stat, __old_kernel_stat)
SAME_SIZE(linux_statfs64, statfs64)
#elif defined(__aarch64__)
#ifndef LINUX_STAT_ABI_GENERIC
#error "aarch64 compiler, but not the asm-generic layouts"
#endif
ABI_STAT_GENERIC(STAT_FIELD)
#else
#error "no Kite port for this target"
#endif

SAME_SIZE(linux_stat, stat)
ABI_STATFS(STATFS_FIELD)
SAME_SIZE(linux_statfs, statfs)
ABI_STATX_TIMESTAMP(STATX_TS_FIELD)
SAME_SIZE(linux_statx_timestamp, statx_timestamp)
ABI_STATX_6_1(STATX_FIELD)
SAME_SIZE(linux_statx, statx)
