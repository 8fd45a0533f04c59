/*
 * The host's kernel-ABI layouts (<asm/stat.h>, <asm/statfs.h>,
 * <linux/stat.h>: x86_64) and system calls, for stat_host_test.c.  Only
 * the host's kernel headers here (glibc's <fcntl.h> or <sys/stat.h> would
 * bring its own struct stat), and none of Kite's: <kernel/stat.h> spells
 * the STATX_* bits differently from <linux/stat.h>.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <asm/stat.h>
#include <asm/statfs.h>
#include <linux/fcntl.h>
#include <linux/stat.h>
#include "stat_host_abi.h"

#define STAT_ENTRY(f)		ABI_FIELD_ENTRY(struct stat, f)
#define STAT_ENTRY_AS(f, g)	ABI_FIELD_ENTRY(struct stat, g)
#define STATFS_ENTRY(f)		ABI_FIELD_ENTRY(struct statfs, f)
#define STATX_ENTRY(f)		ABI_FIELD_ENTRY(struct statx, f)
#define STATX_TS_ENTRY(f)	ABI_FIELD_ENTRY(struct statx_timestamp, f)

static const struct abi_field stat_fields[] = {
	ABI_STAT_X86_64(STAT_ENTRY) ABI_STAT_X86_64_RENAMED(STAT_ENTRY_AS)
};
static const struct abi_field statfs_fields[] = { ABI_STATFS(STATFS_ENTRY) };
static const struct abi_field statx_fields[] = { ABI_STATX_6_1(STATX_ENTRY) };
static const struct abi_field statx_ts_fields[] = { ABI_STATX_TIMESTAMP(STATX_TS_ENTRY) };

const struct abi_layout linux_abi_stat = ABI_LAYOUT_INIT(struct stat, stat_fields);
const struct abi_layout linux_abi_statfs = ABI_LAYOUT_INIT(struct statfs, statfs_fields);
const struct abi_layout linux_abi_statx = ABI_LAYOUT_INIT(struct statx, statx_fields);
const struct abi_layout linux_abi_statx_timestamp =
	ABI_LAYOUT_INIT(struct statx_timestamp, statx_ts_fields);

const struct abi_const linux_abi_consts[] = { ABI_CONSTS_UAPI(ABI_CONST_ENTRY) };
const unsigned int linux_abi_nconsts = sizeof(linux_abi_consts) / sizeof(linux_abi_consts[0]);

static long
ret(long r)
{
	return r < 0 ? -errno : r;
}

long
host_newfstatat(const char *path, int flags, void *stat_buf)
{
	return ret(syscall(SYS_newfstatat, AT_FDCWD, path, (struct stat *)stat_buf, flags));
}

long
host_statx(const char *path, int flags, unsigned int mask, void *statx_buf)
{
	return ret(syscall(SYS_statx, AT_FDCWD, path, flags, mask, (struct statx *)statx_buf));
}

long
host_statfs(const char *path, void *statfs_buf)
{
	return ret(syscall(SYS_statfs, path, (struct statfs *)statfs_buf));
}

int
host_at_symlink_nofollow(void)
{
	return AT_SYMLINK_NOFOLLOW;
}
