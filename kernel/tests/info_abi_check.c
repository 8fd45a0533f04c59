/*
 * Kite's uname and sysinfo layouts (<kernel/uapi_info.h>) against Linux's
 * own uapi headers, field by field, at compile time: offsets, sizes and
 * the total size.  Compiled with -fsyntax-only wherever a compiler has
 * Linux's headers for the target, as fs/tests/stat_abi_check.c is
 * (fs/meson.build runs both): the host compiler for x86_64 and, with
 * -m32, i386; a port's cross compiler with linux-libc-dev-<arch>-cross.
 */
#include <stddef.h>
#include <linux/sysinfo.h>
#include <linux/utsname.h>
#include <kernel/uapi_info.h>

#define SAME_FIELD(ours, theirs, f)						\
	_Static_assert(offsetof(struct ours, f) == offsetof(struct theirs, f),	\
		       #ours "." #f ": not at the offset of Linux's " #theirs "." #f); \
	_Static_assert(sizeof(((struct ours *)0)->f) == sizeof(((struct theirs *)0)->f), \
		       #ours "." #f ": not the size of Linux's " #theirs "." #f);
#define SAME_SIZE(ours, theirs)							\
	_Static_assert(sizeof(struct ours) == sizeof(struct theirs),		\
		       "struct " #ours ": not the size of Linux's struct " #theirs);

#define UTS_FIELDS(X, ours, theirs)						\
	X(ours, theirs, sysname) X(ours, theirs, nodename) X(ours, theirs, release) \
	X(ours, theirs, version) X(ours, theirs, machine)

UTS_FIELDS(SAME_FIELD, linux_new_utsname, new_utsname)
SAME_FIELD(linux_new_utsname, new_utsname, domainname)
SAME_SIZE(linux_new_utsname, new_utsname)
UTS_FIELDS(SAME_FIELD, linux_old_utsname, old_utsname)
SAME_SIZE(linux_old_utsname, old_utsname)
UTS_FIELDS(SAME_FIELD, linux_oldold_utsname, oldold_utsname)
SAME_SIZE(linux_oldold_utsname, oldold_utsname)
_Static_assert(LINUX_NEW_UTS_LEN == __NEW_UTS_LEN && LINUX_OLD_UTS_LEN == __OLD_UTS_LEN,
	       "utsname field lengths differ from Linux's");

#define SYSINFO_FIELD(f)	SAME_FIELD(linux_sysinfo, sysinfo, f)
SYSINFO_FIELD(uptime)
SYSINFO_FIELD(loads)
SYSINFO_FIELD(totalram)
SYSINFO_FIELD(freeram)
SYSINFO_FIELD(sharedram)
SYSINFO_FIELD(bufferram)
SYSINFO_FIELD(totalswap)
SYSINFO_FIELD(freeswap)
SYSINFO_FIELD(procs)
SYSINFO_FIELD(pad)
SYSINFO_FIELD(totalhigh)
SYSINFO_FIELD(freehigh)
SYSINFO_FIELD(mem_unit)
#if __SIZEOF_LONG__ == 4
SYSINFO_FIELD(_f)
#endif
SAME_SIZE(linux_sysinfo, sysinfo)
_Static_assert(LINUX_SI_LOAD_SHIFT == SI_LOAD_SHIFT, "SI_LOAD_SHIFT differs from Linux's");
