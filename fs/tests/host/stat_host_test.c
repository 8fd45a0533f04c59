/*
 * fs/stat.c on the host, once per layout (fs/meson.build): x86_64's (the
 * host's own: compared field by field with the host's kernel headers and
 * byte for byte with the host kernel's answers), i386's (built with
 * KITE_STAT_ABI_I386: the EOVERFLOW and truncation rules) and asm-generic's
 * (aarch64).  The device-number encodings are checked against Linux's
 * formulas by example and against glibc's makedev().
 */
#include <stdint.h>
#include <string.h>
#include "host_test.h"

#include <kernel/errno.h>
#include <kernel/kdev_t.h>
#include <kernel/stat_conv.h>

#ifdef LINUX_STAT_ABI_X86_64
#include "stat_host_abi.h"
#else
#include "../stat_abi.h"
#endif

/* ---------------------------------------------------------------- helpers */

static struct kstat
sample_kstat(void)
{
	struct kstat k;

	memset(&k, 0, sizeof(k));
	k.mask = STATX_BASIC_STATS;
	k.mode = S_IFREG | 0644;
	k.nlink = 3;
	k.uid = 1000;
	k.gid = 100;
	k.ino = 12345;
	k.dev = MKDEV(8, 1);
	k.rdev = 0;
	k.size = 4096 + 17;
	k.blksize = 4096;
	k.blocks = 16;
	k.atime = (struct timespec64){ 1700000000, 111 };
	k.mtime = (struct timespec64){ 1700000001, 222 };
	k.ctime = (struct timespec64){ 1700000002, 333 };
	k.btime = (struct timespec64){ 1600000000, 444 };
	k.mnt_id = 42;
	return k;
}

static struct kstatfs
sample_kstatfs(void)
{
	struct kstatfs k;

	memset(&k, 0, sizeof(k));
	k.type = 0xef53;
	k.bsize = 4096;
	k.blocks = 1000000;
	k.bfree = 500000;
	k.bavail = 400000;
	k.files = 65536;
	k.ffree = 60000;
	k.fsid[0] = 0x12345678;
	k.fsid[1] = 0x9abcdef0;
	k.namelen = 255;
	k.frsize = 4096;
	k.flags = ST_VALID | ST_NOATIME;
	return k;
}

/* Fills with a pattern, so untouched bytes show. */
#define SCRIBBLE(x)	memset(&(x), 0xa5, sizeof(x))

/* ---------------------------------------------------------------- device numbers */

HOST_TEST(dev_encode_examples)
{
	/* Linux's new_encode_dev(): minor low byte, major, minor high bits. */
	CHECK(new_encode_dev(MKDEV(8, 1)) == 0x801);
	CHECK(new_encode_dev(MKDEV(1, 3)) == 0x103);
	CHECK(new_encode_dev(MKDEV(259, 0)) == 0x10300);
	CHECK(new_encode_dev(MKDEV(259, 65536)) == 0x10010300);
	CHECK(new_encode_dev(MKDEV(4095, MINORMASK)) == 0xffffffffu);
	CHECK(new_encode_dev(MKDEV(0, 256)) == 0x100000);
	CHECK(new_encode_dev(MKDEV(511, 0x12345)) == 0x1231ff45);
	CHECK(huge_encode_dev(MKDEV(259, 65536)) == 0x10010300ull);
	CHECK(new_decode_dev(0x10010300) == MKDEV(259, 65536));
	CHECK(huge_decode_dev(0x801) == MKDEV(8, 1));
	/* old_encode_dev(): 8 + 8 bits, and which numbers fit them. */
	CHECK(old_encode_dev(MKDEV(8, 1)) == 0x0801);
	CHECK(old_encode_dev(MKDEV(255, 255)) == 0xffff);
	CHECK(old_decode_dev(0x0801) == MKDEV(8, 1));
	CHECK(old_decode_dev(0xffff) == MKDEV(255, 255));
	CHECK(old_valid_dev(MKDEV(255, 255)));
	CHECK(!old_valid_dev(MKDEV(256, 0)));
	CHECK(!old_valid_dev(MKDEV(0, 256)));
	CHECK(!old_valid_dev(MKDEV(259, 65536)));
	/* Truncated as Linux truncates: (259 << 8 | 0) & 0xffff. */
	CHECK(old_encode_dev(MKDEV(259, 0)) == 0x0300);
}

HOST_TEST(dev_encode_roundtrip)
{
	static const unsigned int majors[] = { 0, 1, 7, 8, 255, 256, 259, 1000, 4095 };
	static const unsigned int minors[] = { 0, 1, 255, 256, 4095, 65535, 65536, 0xabcde, MINORMASK };

	for (size_t i = 0; i < sizeof(majors) / sizeof(majors[0]); i++) {
		for (size_t j = 0; j < sizeof(minors) / sizeof(minors[0]); j++) {
			dev_t d = MKDEV(majors[i], minors[j]);
			uint32_t enc = new_encode_dev(d);

			CHECK(MAJOR(d) == majors[i] && MINOR(d) == minors[j]);
			CHECK(new_decode_dev(enc) == d);
#ifdef LINUX_STAT_ABI_X86_64
			/* glibc's makedev() agrees wherever 32 bits hold the number. */
			CHECK(libc_makedev(majors[i], minors[j]) == enc);
			CHECK(libc_major(enc) == majors[i]);
			CHECK(libc_minor(enc) == minors[j]);
#endif
			if (majors[i] < 256 && minors[j] < 256) {
				CHECK(old_valid_dev(d));
				CHECK(old_decode_dev(old_encode_dev(d)) == d);
			} else {
				CHECK(!old_valid_dev(d));
			}
		}
	}
}

/* ---------------------------------------------------------------- statx, dirent */

HOST_TEST(statx_fill_fields)
{
	struct kstat k = sample_kstat();
	struct linux_statx x;

	k.mask = STATX_BASIC_STATS | STATX_BTIME | STATX_MNT_ID;
	k.dev = MKDEV(259, 65536);
	k.rdev = MKDEV(4095, MINORMASK);
	k.ino = 0x123456789abcull;
	k.size = 0x7123456789ll;
	k.blocks = 0x1000000001ull;
	k.uid = 70000;
	k.gid = (uid_t)-1;
	SCRIBBLE(x);
	statx_fill(&k, STATX_BASIC_STATS, &x);
	CHECK(x.stx_mask == (STATX_BASIC_STATS | STATX_BTIME | STATX_MNT_ID));
	CHECK(x.stx_blksize == 4096);
	CHECK(x.stx_attributes == 0 && x.stx_attributes_mask == 0);
	CHECK(x.stx_nlink == 3);
	CHECK(x.stx_uid == 70000);
	CHECK(x.stx_gid == LINUX_OVERFLOWGID);	/* from_kgid_munged(-1) */
	CHECK(x.stx_mode == (S_IFREG | 0644));
	CHECK(x.__spare0[0] == 0);
	CHECK(x.stx_ino == 0x123456789abcull);
	CHECK(x.stx_size == 0x7123456789ull);
	CHECK(x.stx_blocks == 0x1000000001ull);
	CHECK(x.stx_atime.tv_sec == 1700000000 && x.stx_atime.tv_nsec == 111 &&
	      x.stx_atime.__reserved == 0);
	CHECK(x.stx_mtime.tv_sec == 1700000001 && x.stx_mtime.tv_nsec == 222);
	CHECK(x.stx_ctime.tv_sec == 1700000002 && x.stx_ctime.tv_nsec == 333);
	CHECK(x.stx_btime.tv_sec == 1600000000 && x.stx_btime.tv_nsec == 444);
	CHECK(x.stx_dev_major == 259 && x.stx_dev_minor == 65536);
	CHECK(x.stx_rdev_major == 4095 && x.stx_rdev_minor == MINORMASK);
	CHECK(x.stx_mnt_id == 42);
	CHECK(x.stx_dio_mem_align == 0 && x.stx_dio_offset_align == 0 && x.stx_subvol == 0);
	CHECK(x.stx_atomic_write_unit_min == 0 && x.stx_atomic_write_unit_max == 0 &&
	      x.stx_atomic_write_segments_max == 0 && x.stx_dio_read_offset_align == 0 &&
	      x.stx_atomic_write_unit_max_opt == 0 && x.__spare2[0] == 0);
	for (int i = 0; i < 8; i++)
		CHECK(x.__spare3[i] == 0);
}

HOST_TEST(statx_fill_mask)
{
	struct kstat k = sample_kstat();
	struct linux_statx x;

	/* Only the basic stats known: no btime, no mount id, not even asked. */
	k.mask = STATX_BASIC_STATS | 0x40000000u;
	SCRIBBLE(x);
	statx_fill(&k, STATX_BASIC_STATS | STATX_BTIME | STATX_MNT_ID, &x);
	CHECK(x.stx_mask == STATX_BASIC_STATS);
	CHECK(x.stx_btime.tv_sec == 0 && x.stx_btime.tv_nsec == 0);
	CHECK(x.stx_mnt_id == 0);
	/* A basic field not marked valid still carries its value (Linux's cp_statx). */
	k.mask = STATX_BASIC_STATS & ~STATX_ATIME;
	statx_fill(&k, STATX_TYPE, &x);
	CHECK(x.stx_mask == (STATX_BASIC_STATS & ~STATX_ATIME));
	CHECK(x.stx_atime.tv_sec == 1700000000);
	/* More than asked for, as Linux answers. */
	k.mask = STATX_BASIC_STATS | STATX_BTIME;
	statx_fill(&k, STATX_TYPE, &x);
	CHECK(x.stx_mask == (STATX_BASIC_STATS | STATX_BTIME));
	CHECK(x.stx_btime.tv_sec == 1600000000);
}

HOST_TEST(dirent64_and_dt)
{
	CHECK(offsetof(struct linux_dirent64, d_name) == 19);
	CHECK(linux_dirent64_reclen(0) == 24);
	CHECK(linux_dirent64_reclen(1) == 24);
	CHECK(linux_dirent64_reclen(4) == 24);
	CHECK(linux_dirent64_reclen(5) == 32);
	CHECK(linux_dirent64_reclen(255) == 280);
	CHECK(linux_dt_type(S_IFREG | 0755) == DT_REG);
	CHECK(linux_dt_type(S_IFDIR | 01777) == DT_DIR);
	CHECK(linux_dt_type(S_IFLNK | 0777) == DT_LNK);
	CHECK(linux_dt_type(S_IFCHR) == DT_CHR);
	CHECK(linux_dt_type(S_IFBLK) == DT_BLK);
	CHECK(linux_dt_type(S_IFIFO) == DT_FIFO);
	CHECK(linux_dt_type(S_IFSOCK) == DT_SOCK);
	CHECK(linux_dt_type(0) == DT_UNKNOWN);
}

/* ---------------------------------------------------------------- 64-bit layouts */

#if defined(LINUX_STAT_ABI_X86_64) || defined(LINUX_STAT_ABI_GENERIC)

HOST_TEST(stat64bit_fields)
{
	struct kstat k = sample_kstat();
	struct linux_stat st, want;

	k.dev = MKDEV(259, 65536);
	k.rdev = MKDEV(511, 0x12345);
	k.ino = 0x123456789abcull;
	k.size = 0x7123456789ll;
	k.blocks = 0x1000000001ull;
	k.nlink = 0x80000000u;		/* more than 16 or 31 bits: no EOVERFLOW */
	k.uid = 0x7fffffff;
	k.gid = (gid_t)-1;
	k.atime.tv_sec = -5;		/* before 1970 */
	SCRIBBLE(st);
	CHECK(stat_to_linux(&k, &st) == 0);
	memset(&want, 0, sizeof(want));
	want.st_dev = 0x10010300;
	want.st_ino = 0x123456789abcull;
	want.st_nlink = 0x80000000u;
	want.st_mode = S_IFREG | 0644;
	want.st_uid = 0x7fffffff;
	want.st_gid = LINUX_OVERFLOWGID;
	want.st_rdev = 0x1231ff45;
	want.st_size = 0x7123456789ll;
	want.st_blksize = 4096;
	want.st_blocks = 0x1000000001ll;
	want.st_atime = (uint64_t)-5;
	want.st_atime_nsec = 111;
	want.st_mtime = 1700000001;
	want.st_mtime_nsec = 222;
	want.st_ctime = 1700000002;
	want.st_ctime_nsec = 333;
	CHECK(memcmp(&st, &want, sizeof(st)) == 0);	/* padding included */
	CHECK((int64_t)st.st_atime == -5);
}

HOST_TEST(statfs64bit_fields)
{
	struct kstatfs k = sample_kstatfs();
	struct linux_statfs sf, want;

	k.blocks = 0x123456789ull;
	k.files = (uint64_t)-1;
	k.ffree = 0x100000000ull;
	SCRIBBLE(sf);
	CHECK(statfs_to_linux(&k, &sf) == 0);
	memset(&want, 0, sizeof(want));
	want.f_type = 0xef53;
	want.f_bsize = 4096;
	want.f_blocks = 0x123456789ll;
	want.f_bfree = 500000;
	want.f_bavail = 400000;
	want.f_files = -1;
	want.f_ffree = 0x100000000ll;
	want.f_fsid.val[0] = 0x12345678;
	want.f_fsid.val[1] = (int32_t)0x9abcdef0;
	want.f_namelen = 255;
	want.f_frsize = 4096;
	want.f_flags = ST_VALID | ST_NOATIME;
	CHECK(memcmp(&sf, &want, sizeof(sf)) == 0);
}

#endif

/* ---------------------------------------------------------------- i386 */

#ifdef LINUX_STAT_ABI_I386

HOST_TEST(i386_stat_fields)
{
	struct kstat k = sample_kstat();
	struct linux_stat st, want;

	k.dev = MKDEV(259, 65536);	/* 32-bit st_dev: new_encode_dev(), no EOVERFLOW */
	k.rdev = MKDEV(4095, MINORMASK);
	k.ino = 0xffffffffull;
	k.size = LINUX_MAX_NON_LFS;
	k.nlink = 65535;
	k.uid = 65535;
	k.gid = 65536;			/* 16 bits: overflowgid */
	k.blocks = 0x200000007ull;	/* truncated, as Linux */
	k.atime.tv_sec = 0x100000005ll;	/* truncated */
	k.mtime.tv_sec = -1;
	SCRIBBLE(st);
	CHECK(stat_to_linux(&k, &st) == 0);
	memset(&want, 0, sizeof(want));
	want.st_dev = 0x10010300;
	want.st_ino = 0xffffffffu;
	want.st_mode = S_IFREG | 0644;
	want.st_nlink = 65535;
	want.st_uid = 65535;
	want.st_gid = LINUX_OVERFLOWGID;
	want.st_rdev = 0xffffffffu;
	want.st_size = 0x7fffffff;
	want.st_blksize = 4096;
	want.st_blocks = 7;
	want.st_atime = 5;
	want.st_atime_nsec = 111;
	want.st_mtime = 0xffffffffu;
	want.st_mtime_nsec = 222;
	want.st_ctime = 1700000002;
	want.st_ctime_nsec = 333;
	CHECK(memcmp(&st, &want, sizeof(st)) == 0);

	k.uid = (uid_t)-1;
	CHECK(stat_to_linux(&k, &st) == 0);
	CHECK(st.st_uid == LINUX_OVERFLOWUID);
	k.uid = 0x10000;
	CHECK(stat_to_linux(&k, &st) == 0);
	CHECK(st.st_uid == LINUX_OVERFLOWUID);
}

HOST_TEST(i386_stat_eoverflow)
{
	struct kstat k = sample_kstat();
	struct linux_stat st;

	k.ino = 0x100000000ull;		/* 2^32 */
	CHECK(stat_to_linux(&k, &st) == -EOVERFLOW);
	k.ino = 0x123456789abcull;
	CHECK(stat_to_linux(&k, &st) == -EOVERFLOW);
	k = sample_kstat();
	k.size = (loff_t)LINUX_MAX_NON_LFS + 1;	/* 2^31 */
	CHECK(stat_to_linux(&k, &st) == -EOVERFLOW);
	k.size = 0x100000000ll;
	CHECK(stat_to_linux(&k, &st) == -EOVERFLOW);
	k = sample_kstat();
	k.nlink = 65536;
	CHECK(stat_to_linux(&k, &st) == -EOVERFLOW);
	/* Not overflows: large devices, block counts, times, 16-bit ids. */
	k = sample_kstat();
	k.dev = MKDEV(4095, MINORMASK);
	k.blocks = 1ull << 40;
	k.ctime.tv_sec = 1ll << 40;
	k.uid = 1u << 20;
	CHECK(stat_to_linux(&k, &st) == 0);
}

HOST_TEST(i386_stat64_fields)
{
	struct kstat k = sample_kstat();
	struct linux_stat64 st, want;

	k.dev = MKDEV(259, 65536);
	k.rdev = MKDEV(1, 3);
	k.ino = 0x1200000003ull;	/* __st_ino: the low 32 bits */
	k.size = 0x7123456789ll;
	k.blocks = 0x1000000001ull;
	k.nlink = 70000;
	k.uid = 70000;			/* 32-bit ids */
	k.gid = (gid_t)-1;
	k.atime.tv_sec = 0x100000005ll;
	SCRIBBLE(st);
	CHECK(stat64_to_linux(&k, &st) == 0);
	memset(&want, 0, sizeof(want));
	want.st_dev = 0x10010300;
	want.__st_ino = 3;
	want.st_mode = S_IFREG | 0644;
	want.st_nlink = 70000;
	want.st_uid = 70000;
	want.st_gid = LINUX_OVERFLOWGID;
	want.st_rdev = 0x103;
	want.st_size = 0x7123456789ll;
	want.st_blksize = 4096;
	want.st_blocks = 0x1000000001ull;
	want.st_atime = 5;
	want.st_atime_nsec = 111;
	want.st_mtime = 1700000001;
	want.st_mtime_nsec = 222;
	want.st_ctime = 1700000002;
	want.st_ctime_nsec = 333;
	want.st_ino = 0x1200000003ull;
	CHECK(memcmp(&st, &want, sizeof(st)) == 0);
}

HOST_TEST(i386_old_stat)
{
	struct kstat k = sample_kstat();
	struct linux_old_kernel_stat st, want;

	k.rdev = MKDEV(4, 64);
	k.ino = 65535;
	k.nlink = 65535;
	k.uid = 65536;
	SCRIBBLE(st);
	CHECK(old_stat_to_linux(&k, &st) == 0);
	memset(&want, 0, sizeof(want));
	want.st_dev = 0x0801;
	want.st_ino = 65535;
	want.st_mode = S_IFREG | 0644;
	want.st_nlink = 65535;
	want.st_uid = LINUX_OVERFLOWUID;
	want.st_gid = 100;
	want.st_rdev = 0x0440;
	want.st_size = 4096 + 17;
	want.st_atime = 1700000000;
	want.st_mtime = 1700000001;
	want.st_ctime = 1700000002;
	CHECK(memcmp(&st, &want, sizeof(st)) == 0);

	/* Devices past 8 + 8 bits are truncated, not refused (cp_old_stat()). */
	k.dev = MKDEV(259, 1);
	CHECK(old_stat_to_linux(&k, &st) == 0);
	CHECK(st.st_dev == 0x0301);

	k = sample_kstat();
	k.ino = 65536;
	CHECK(old_stat_to_linux(&k, &st) == -EOVERFLOW);
	k = sample_kstat();
	k.nlink = 65536;
	CHECK(old_stat_to_linux(&k, &st) == -EOVERFLOW);
	k = sample_kstat();
	k.size = (loff_t)LINUX_MAX_NON_LFS + 1;
	CHECK(old_stat_to_linux(&k, &st) == -EOVERFLOW);
}

HOST_TEST(i386_statfs)
{
	struct kstatfs k = sample_kstatfs();
	struct linux_statfs sf, want;

	k.blocks = 0xffffffffull;
	k.files = (uint64_t)-1;		/* "not known" fits */
	k.ffree = (uint64_t)-1;
	SCRIBBLE(sf);
	CHECK(statfs_to_linux(&k, &sf) == 0);
	memset(&want, 0, sizeof(want));
	want.f_type = 0xef53;
	want.f_bsize = 4096;
	want.f_blocks = 0xffffffffu;
	want.f_bfree = 500000;
	want.f_bavail = 400000;
	want.f_files = 0xffffffffu;
	want.f_ffree = 0xffffffffu;
	want.f_fsid.val[0] = 0x12345678;
	want.f_fsid.val[1] = (int32_t)0x9abcdef0;
	want.f_namelen = 255;
	want.f_frsize = 4096;
	want.f_flags = ST_VALID | ST_NOATIME;
	CHECK(memcmp(&sf, &want, sizeof(sf)) == 0);

	k = sample_kstatfs();
	k.blocks = 0x100000000ull;
	CHECK(statfs_to_linux(&k, &sf) == -EOVERFLOW);
	k = sample_kstatfs();
	k.bfree = 0x100000000ull;
	CHECK(statfs_to_linux(&k, &sf) == -EOVERFLOW);
	k = sample_kstatfs();
	k.bavail = 0x100000000ull;
	CHECK(statfs_to_linux(&k, &sf) == -EOVERFLOW);
	k = sample_kstatfs();
	k.files = 0x100000000ull;
	CHECK(statfs_to_linux(&k, &sf) == -EOVERFLOW);
	k = sample_kstatfs();
	k.ffree = 0xfffffffffffffffeull;	/* not -1 */
	CHECK(statfs_to_linux(&k, &sf) == -EOVERFLOW);
	if (sizeof(k.bsize) > 4) {		/* the host's long: Linux checks it too */
		k = sample_kstatfs();
		k.frsize = (unsigned long)0x100000000ull;
		CHECK(statfs_to_linux(&k, &sf) == -EOVERFLOW);
	}
}

HOST_TEST(i386_statfs64)
{
	struct kstatfs k = sample_kstatfs();
	struct linux_statfs64 sf, want;

	k.blocks = 0x123456789ull;
	k.bfree = 0x100000000ull;
	k.files = (uint64_t)-1;
	SCRIBBLE(sf);
	CHECK(statfs64_to_linux(&k, &sf) == 0);
	memset(&want, 0, sizeof(want));
	want.f_type = 0xef53;
	want.f_bsize = 4096;
	want.f_blocks = 0x123456789ull;
	want.f_bfree = 0x100000000ull;
	want.f_bavail = 400000;
	want.f_files = (uint64_t)-1;
	want.f_ffree = 60000;
	want.f_fsid.val[0] = 0x12345678;
	want.f_fsid.val[1] = (int32_t)0x9abcdef0;
	want.f_namelen = 255;
	want.f_frsize = 4096;
	want.f_flags = ST_VALID | ST_NOATIME;
	CHECK(memcmp(&sf, &want, sizeof(sf)) == 0);
	CHECK(sizeof(sf) == 84);
}

#endif	/* LINUX_STAT_ABI_I386 */

/* ---------------------------------------------------------------- x86_64 against the host */

#ifdef LINUX_STAT_ABI_X86_64

static void
compare_layout(const struct abi_layout *ours, const struct abi_layout *linux_)
{
	if (ours->size != linux_->size) {
		printf("# %s is %lu bytes, Linux's %s %lu\n", ours->name, ours->size,
		       linux_->name, linux_->size);
		CHECK(ours->size == linux_->size);
	}
	CHECK(ours->nfields == linux_->nfields);
	for (unsigned int i = 0; i < ours->nfields && i < linux_->nfields; i++) {
		const struct abi_field *a = &ours->fields[i], *b = &linux_->fields[i];

		CHECK_STREQ(a->name, b->name);
		if (a->offset != b->offset || a->size != b->size) {
			printf("# %s.%s at %lu (%lu bytes), Linux's at %lu (%lu bytes)\n",
			       ours->name, a->name, a->offset, a->size, b->offset, b->size);
			CHECK(a->offset == b->offset && a->size == b->size);
		}
	}
}

static void
compare_consts(const struct abi_const *ours, const struct abi_const *theirs, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		CHECK_STREQ(ours[i].name, theirs[i].name);
		if (ours[i].value != theirs[i].value) {
			printf("# %s is %#llx here, %#llx on the host\n", ours[i].name,
			       (unsigned long long)ours[i].value, (unsigned long long)theirs[i].value);
			CHECK(ours[i].value == theirs[i].value);
		}
	}
}

#define STAT_ENTRY(f)		ABI_FIELD_ENTRY(struct linux_stat, f)
#define STAT_ENTRY_AS(f, g)	ABI_FIELD_ENTRY_AS(struct linux_stat, f, #g)
#define STATFS_ENTRY(f)		ABI_FIELD_ENTRY(struct linux_statfs, f)
#define STATX_ENTRY(f)		ABI_FIELD_ENTRY(struct linux_statx, f)
#define STATX_TS_ENTRY(f)	ABI_FIELD_ENTRY(struct linux_statx_timestamp, f)
#define DIRENT64_ENTRY(f)	ABI_FIELD_ENTRY(struct linux_dirent64, f)

HOST_TEST(x86_64_layouts_match_host_headers)
{
	static const struct abi_field stat_fields[] = {
		ABI_STAT_X86_64(STAT_ENTRY) ABI_STAT_X86_64_RENAMED(STAT_ENTRY_AS)
	};
	static const struct abi_field statfs_fields[] = { ABI_STATFS(STATFS_ENTRY) };
	static const struct abi_field statx_fields[] = { ABI_STATX_6_1(STATX_ENTRY) };
	static const struct abi_field statx_ts_fields[] = { ABI_STATX_TIMESTAMP(STATX_TS_ENTRY) };
	static const struct abi_field dirent64_fields[] = { ABI_DIRENT64(DIRENT64_ENTRY) };
	const struct abi_layout stat = ABI_LAYOUT_INIT(struct linux_stat, stat_fields);
	const struct abi_layout statfs = ABI_LAYOUT_INIT(struct linux_statfs, statfs_fields);
	const struct abi_layout statx = ABI_LAYOUT_INIT(struct linux_statx, statx_fields);
	const struct abi_layout statx_ts =
		ABI_LAYOUT_INIT(struct linux_statx_timestamp, statx_ts_fields);
	struct abi_layout dirent64 = ABI_LAYOUT_INIT(struct linux_dirent64, dirent64_fields);

	compare_layout(&stat, &linux_abi_stat);
	compare_layout(&statfs, &linux_abi_statfs);
	compare_layout(&statx, &linux_abi_statx);
	compare_layout(&statx_ts, &linux_abi_statx_timestamp);
	/* glibc's dirent64 has a fixed d_name[256]: compare all but the size. */
	dirent64.size = libc_abi_dirent64.size;
	compare_layout(&dirent64, &libc_abi_dirent64);
	CHECK(offsetof(struct linux_dirent64, d_name) == libc_dirent64_name_offset);
	CHECK(sizeof(struct linux_stat) == 144);
	CHECK(sizeof(struct linux_statfs) == 120);
	CHECK(sizeof(struct linux_statx) == 256);
}

HOST_TEST(x86_64_constants_match_host)
{
	static const struct abi_const uapi[] = { ABI_CONSTS_UAPI(ABI_CONST_ENTRY) };
	static const struct abi_const libc[] = { ABI_CONSTS_LIBC(ABI_CONST_ENTRY) };

	CHECK(sizeof(uapi) / sizeof(uapi[0]) == linux_abi_nconsts);
	CHECK(sizeof(libc) / sizeof(libc[0]) == libc_abi_nconsts);
	compare_consts(uapi, linux_abi_consts, linux_abi_nconsts);
	compare_consts(libc, libc_abi_consts, libc_abi_nconsts);
}

/* A struct kstat as the VFS would fill it, from the host kernel's statx. */
static struct kstat
kstat_from_statx(const struct linux_statx *x)
{
	struct kstat k;

	memset(&k, 0, sizeof(k));
	k.mask = x->stx_mask;
	k.mode = x->stx_mode;
	k.nlink = x->stx_nlink;
	k.uid = x->stx_uid;
	k.gid = x->stx_gid;
	k.ino = x->stx_ino;
	k.dev = MKDEV(x->stx_dev_major, x->stx_dev_minor);
	k.rdev = MKDEV(x->stx_rdev_major, x->stx_rdev_minor);
	k.size = (loff_t)x->stx_size;
	k.blksize = x->stx_blksize;
	k.blocks = x->stx_blocks;
	k.atime = (struct timespec64){ x->stx_atime.tv_sec, x->stx_atime.tv_nsec };
	k.mtime = (struct timespec64){ x->stx_mtime.tv_sec, x->stx_mtime.tv_nsec };
	k.ctime = (struct timespec64){ x->stx_ctime.tv_sec, x->stx_ctime.tv_nsec };
	k.btime = (struct timespec64){ x->stx_btime.tv_sec, x->stx_btime.tv_nsec };
	k.mnt_id = x->stx_mnt_id;
	return k;
}

/*
 * The host kernel's newfstatat and statx of the same file, read until two
 * statx answers agree around the newfstatat one; 1 when done, 0 to skip.
 */
static int
host_both(const char *path, int flags, struct linux_stat *st, struct linux_statx *x)
{
	const unsigned int mask = STATX_BASIC_STATS | STATX_BTIME | STATX_MNT_ID;

	for (int tries = 0; tries < 5; tries++) {
		struct linux_statx again;
		long r1 = host_statx(path, flags, mask, x);
		long r2 = host_newfstatat(path, flags, st);
		long r3 = host_statx(path, flags, mask, &again);

		if (r1 < 0 || r2 < 0 || r3 < 0) {
			printf("# %s: the host says %ld/%ld/%ld, skipped\n", path, r1, r2, r3);
			return 0;
		}
		if (memcmp(x, &again, sizeof(again)) == 0)
			return 1;
	}
	printf("# %s keeps changing, skipped\n", path);
	return 0;
}

static const struct {
	const char *path;
	int nofollow;
} host_files[] = {
	{ "/", 0 },
	{ "/dev/null", 0 },		/* a character device: rdev 1:3 */
	{ "/proc/self/exe", 0 },	/* this test: a regular file */
	{ "/proc/self", 1 },		/* a symbolic link, on procfs */
	{ "/proc", 0 },
	{ "/tmp", 0 },
};

HOST_TEST(x86_64_stat_matches_host_kernel)
{
	unsigned int done = 0;

	for (size_t i = 0; i < sizeof(host_files) / sizeof(host_files[0]); i++) {
		int flags = host_files[i].nofollow ? host_at_symlink_nofollow() : 0;
		struct linux_stat host, ours;
		struct linux_statx x;
		struct kstat k;

		if (!host_both(host_files[i].path, flags, &host, &x))
			continue;
		k = kstat_from_statx(&x);
		SCRIBBLE(ours);
		CHECK(stat_to_linux(&k, &ours) == 0);
		if (memcmp(&ours, &host, sizeof(ours)) != 0) {
			printf("# %s: struct stat differs from the host kernel's\n",
			       host_files[i].path);
			CHECK(memcmp(&ours, &host, sizeof(ours)) == 0);
		}
		done++;
	}
	printf("# %u of %zu files compared\n", done, sizeof(host_files) / sizeof(host_files[0]));
}

HOST_TEST(x86_64_statx_matches_host_kernel)
{
	const uint32_t known = STATX_BASIC_STATS | STATX_BTIME | STATX_MNT_ID;

	for (size_t i = 0; i < sizeof(host_files) / sizeof(host_files[0]); i++) {
		int flags = host_files[i].nofollow ? host_at_symlink_nofollow() : 0;
		struct linux_stat st;
		struct linux_statx host, ours, want;
		struct kstat k;

		if (!host_both(host_files[i].path, flags, &st, &host))
			continue;
		k = kstat_from_statx(&host);
		SCRIBBLE(ours);
		statx_fill(&k, known, &ours);
		/* The host's answer less what Kite does not report. */
		want = host;
		want.stx_mask &= known;
		want.stx_attributes = 0;
		want.stx_attributes_mask = 0;
		if (!(want.stx_mask & STATX_BTIME))
			memset(&want.stx_btime, 0, sizeof(want.stx_btime));
		if (!(want.stx_mask & STATX_MNT_ID))
			want.stx_mnt_id = 0;
		memset((char *)&want + offsetof(struct linux_statx, stx_dio_mem_align), 0,
		       sizeof(want) - offsetof(struct linux_statx, stx_dio_mem_align));
		if (memcmp(&ours, &want, sizeof(ours)) != 0) {
			printf("# %s: struct statx differs from the host kernel's\n",
			       host_files[i].path);
			CHECK(memcmp(&ours, &want, sizeof(ours)) == 0);
		}
	}
}

HOST_TEST(x86_64_statfs_matches_host_kernel)
{
	for (size_t i = 0; i < sizeof(host_files) / sizeof(host_files[0]); i++) {
		struct linux_statfs host, ours;
		struct kstatfs k;
		long r = host_statfs(host_files[i].path, &host);

		if (r < 0) {
			printf("# statfs %s: %ld, skipped\n", host_files[i].path, r);
			continue;
		}
		memset(&k, 0, sizeof(k));
		k.type = (unsigned long)host.f_type;
		k.bsize = (unsigned long)host.f_bsize;
		k.blocks = (uint64_t)host.f_blocks;
		k.bfree = (uint64_t)host.f_bfree;
		k.bavail = (uint64_t)host.f_bavail;
		k.files = (uint64_t)host.f_files;
		k.ffree = (uint64_t)host.f_ffree;
		k.fsid[0] = (uint32_t)host.f_fsid.val[0];
		k.fsid[1] = (uint32_t)host.f_fsid.val[1];
		k.namelen = (unsigned long)host.f_namelen;
		k.frsize = (unsigned long)host.f_frsize;
		k.flags = (unsigned long)host.f_flags;
		SCRIBBLE(ours);
		CHECK(statfs_to_linux(&k, &ours) == 0);
		CHECK(memcmp(&ours, &host, sizeof(ours)) == 0);
	}
}

#endif	/* LINUX_STAT_ABI_X86_64 */
