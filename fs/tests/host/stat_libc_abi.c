/*
 * The host C library's side of the stat tests: struct dirent64, the mode,
 * DT_* and ST_* constants, and makedev() (glibc's own implementation of
 * Linux's device-number encoding), for stat_host_test.c.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include "stat_host_abi.h"

#define DIRENT64_ENTRY(f)	ABI_FIELD_ENTRY(struct dirent64, f)

static const struct abi_field dirent64_fields[] = { ABI_DIRENT64(DIRENT64_ENTRY) };
const struct abi_layout libc_abi_dirent64 = ABI_LAYOUT_INIT(struct dirent64, dirent64_fields);
const unsigned long libc_dirent64_name_offset = offsetof(struct dirent64, d_name);

const struct abi_const libc_abi_consts[] = { ABI_CONSTS_LIBC(ABI_CONST_ENTRY) };
const unsigned int libc_abi_nconsts = sizeof(libc_abi_consts) / sizeof(libc_abi_consts[0]);

unsigned long long
libc_makedev(unsigned int major, unsigned int minor)
{
	return makedev(major, minor);
}

unsigned int
libc_major(unsigned long long dev)
{
	return major(dev);
}

unsigned int
libc_minor(unsigned long long dev)
{
	return minor(dev);
}
