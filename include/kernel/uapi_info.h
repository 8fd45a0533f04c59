/*
 * The Linux layouts of the system-information calls (kernel/sys_info.c):
 * struct new_utsname (uname), old_utsname and oldold_utsname (i386's
 * olduname and oldolduname), struct sysinfo.  Their fields are char
 * arrays and the port's long, so one definition serves every port; the
 * sizes and offsets are pinned below with Linux's numbers, and
 * kernel/tests/info_abi_check.c compares them field by field with the
 * real uapi headers where a compiler has them.
 */
#ifndef KERNEL_UAPI_INFO_H
#define KERNEL_UAPI_INFO_H

#include <stddef.h>
#include <stdint.h>

#define LINUX_NEW_UTS_LEN	64
#define LINUX_OLD_UTS_LEN	8

struct linux_new_utsname {
	char sysname[LINUX_NEW_UTS_LEN + 1];
	char nodename[LINUX_NEW_UTS_LEN + 1];
	char release[LINUX_NEW_UTS_LEN + 1];
	char version[LINUX_NEW_UTS_LEN + 1];
	char machine[LINUX_NEW_UTS_LEN + 1];
	char domainname[LINUX_NEW_UTS_LEN + 1];
};
_Static_assert(sizeof(struct linux_new_utsname) == 390, "new_utsname is not 390 bytes");

/* i386 olduname (109): no domainname. */
struct linux_old_utsname {
	char sysname[LINUX_NEW_UTS_LEN + 1];
	char nodename[LINUX_NEW_UTS_LEN + 1];
	char release[LINUX_NEW_UTS_LEN + 1];
	char version[LINUX_NEW_UTS_LEN + 1];
	char machine[LINUX_NEW_UTS_LEN + 1];
};
_Static_assert(sizeof(struct linux_old_utsname) == 325, "old_utsname is not 325 bytes");

/* i386 oldolduname (59): 8 characters and a NUL per field. */
struct linux_oldold_utsname {
	char sysname[LINUX_OLD_UTS_LEN + 1];
	char nodename[LINUX_OLD_UTS_LEN + 1];
	char release[LINUX_OLD_UTS_LEN + 1];
	char version[LINUX_OLD_UTS_LEN + 1];
	char machine[LINUX_OLD_UTS_LEN + 1];
};
_Static_assert(sizeof(struct linux_oldold_utsname) == 45, "oldold_utsname is not 45 bytes");

#define LINUX_SI_LOAD_SHIFT	16	/* loads[] are fixed point with 16 fraction bits */

/* struct sysinfo: 112 bytes on the 64-bit ports, 64 on i386. */
struct linux_sysinfo {
	long uptime;			/* seconds since boot */
	unsigned long loads[3];		/* 1, 5 and 15 minutes */
	unsigned long totalram;
	unsigned long freeram;
	unsigned long sharedram;
	unsigned long bufferram;
	unsigned long totalswap;
	unsigned long freeswap;
	uint16_t procs;
	uint16_t pad;
	unsigned long totalhigh;
	unsigned long freehigh;
	uint32_t mem_unit;		/* bytes per unit of the memory fields */
#if __SIZEOF_LONG__ == 4
	char _f[8];			/* libc5's padding: 20 - 2 * sizeof(long) - 4 */
#endif
};

#if __SIZEOF_LONG__ == 8
_Static_assert(offsetof(struct linux_sysinfo, procs) == 80, "sysinfo.procs is not at 80");
_Static_assert(offsetof(struct linux_sysinfo, totalhigh) == 88, "sysinfo.totalhigh is not at 88");
_Static_assert(offsetof(struct linux_sysinfo, mem_unit) == 104, "sysinfo.mem_unit is not at 104");
_Static_assert(sizeof(struct linux_sysinfo) == 112, "sysinfo is not 112 bytes");
#else
_Static_assert(offsetof(struct linux_sysinfo, procs) == 40, "sysinfo.procs is not at 40");
_Static_assert(offsetof(struct linux_sysinfo, totalhigh) == 44, "sysinfo.totalhigh is not at 44");
_Static_assert(offsetof(struct linux_sysinfo, mem_unit) == 52, "sysinfo.mem_unit is not at 52");
_Static_assert(sizeof(struct linux_sysinfo) == 64, "sysinfo is not 64 bytes");
#endif

#endif
