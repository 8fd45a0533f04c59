/*
 * Metadata calls: the stat family (stat/lstat/fstat/fstatat/statx and the
 * i386 *64 forms), access, statfs, getdents64, chmod/chown and their
 * at/f variants, utimensat, and EFAULT for each pointer argument.
 */
#include "kt.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/statfs.h>
#include <sys/time.h>
#include <time.h>

static void stat_basic(void)
{
	struct stat st, st2;
	kt_write_file("f", "12345", 0644);
	CHECK_OK(stat("f", &st));
	CHECK_EQ(st.st_mode, S_IFREG | 0644);
	CHECK_EQ(st.st_size, 5);
	CHECK_EQ(st.st_nlink, 1);
	CHECK_EQ(st.st_uid, geteuid());
	CHECK_EQ(st.st_gid, getegid());
	CHECK(st.st_blksize > 0);
	CHECK(st.st_ino != 0);
	int fd = REQUIRE_OK(open("f", O_RDONLY));
	CHECK_OK(fstat(fd, &st2));
	CHECK_EQ(st2.st_ino, st.st_ino);
	CHECK_EQ(st2.st_dev, st.st_dev);
	CHECK_OK(fstatat(fd, "", &st2, AT_EMPTY_PATH));
	CHECK_EQ(st2.st_ino, st.st_ino);
	CHECK_ERR(fstatat(fd, "", &st2, 0), ENOENT);
	CHECK_ERR(fstatat(fd, "x", &st2, 0), ENOTDIR);
	close(fd);
	CHECK_ERR(fstat(fd, &st2), EBADF);
	/* Directories: nlink is 2 plus one per subdirectory. */
	CHECK_OK(mkdir("d", 0755));
	CHECK_OK(stat("d", &st));
	CHECK_EQ(st.st_mode, S_IFDIR | 0755);
	CHECK_EQ(st.st_nlink, 2);
	CHECK_OK(mkdir("d/s1", 0755));
	CHECK_OK(mkdir("d/s2", 0755));
	CHECK_OK(stat("d", &st));
	CHECK_EQ(st.st_nlink, 4);
	/* Symbolic links: lstat sees the link, stat its target. */
	CHECK_OK(symlink("f", "l"));
	CHECK_OK(lstat("l", &st));
	CHECK(S_ISLNK(st.st_mode));
	CHECK_EQ(st.st_size, 1);
	CHECK_OK(stat("l", &st2));
	CHECK(S_ISREG(st2.st_mode));
	CHECK_EQ(st2.st_size, 5);
	CHECK_OK(fstatat(AT_FDCWD, "l", &st, AT_SYMLINK_NOFOLLOW));
	CHECK(S_ISLNK(st.st_mode));
	CHECK_ERR(fstatat(AT_FDCWD, "l", &st, 0x4000000), EINVAL);	/* unknown flag */
	/* Errors of the walk. */
	CHECK_ERR(stat("missing", &st), ENOENT);
	CHECK_ERR(stat("f/x", &st), ENOTDIR);
	CHECK_ERR(stat("", &st), ENOENT);
	CHECK_OK(symlink("loop2", "loop1"));
	CHECK_OK(symlink("loop1", "loop2"));
	CHECK_ERR(stat("loop1", &st), ELOOP);
	CHECK_OK(lstat("loop1", &st));
	/* Devices. */
	CHECK_OK(stat("/dev/null", &st));
	CHECK(S_ISCHR(st.st_mode));
	CHECK_EQ(major(st.st_rdev), 1);
	CHECK_EQ(minor(st.st_rdev), 3);
	/* Times move forward on a write (from a past value set here). */
	struct timespec old[2] = {{1000000000, 0}, {1000000000, 0}};
	CHECK_OK(utimensat(AT_FDCWD, "f", old, 0));
	fd = REQUIRE_OK(open("f", O_WRONLY));
	CHECK_EQ(write(fd, "x", 1), 1);
	CHECK_OK(fstat(fd, &st));
	CHECK(st.st_mtime > 1000000000);
	CHECK(st.st_ctime >= st.st_mtime);
	close(fd);
}

static void statx_call(void)
{
#ifdef SYS_statx
	struct statx stx;
	struct stat st;
	kt_write_file("f", "123", 0640);
	CHECK_OK(stat("f", &st));
	long r = syscall(SYS_statx, AT_FDCWD, "f", 0, STATX_BASIC_STATS, &stx);
	if (r == -1 && errno == ENOSYS)
		kt_skip("statx: ENOSYS (glibc falls back to fstatat)");
	CHECK_EQ(r, 0);
	CHECK((stx.stx_mask & STATX_BASIC_STATS) == STATX_BASIC_STATS);
	CHECK_EQ(stx.stx_mode, S_IFREG | 0640);
	CHECK_EQ(stx.stx_size, 3);
	CHECK_EQ(stx.stx_ino, st.st_ino);
	CHECK_EQ(stx.stx_nlink, 1);
	CHECK_EQ(stx.stx_uid, st.st_uid);
	CHECK_EQ(stx.stx_mtime.tv_sec, st.st_mtime);
	CHECK_EQ(stx.stx_mtime.tv_nsec, st.st_mtim.tv_nsec);
	CHECK_ERR(syscall(SYS_statx, AT_FDCWD, "f", 0, STATX__RESERVED, &stx), EINVAL);
	CHECK_ERR(syscall(SYS_statx, AT_FDCWD, "missing", 0, STATX_BASIC_STATS, &stx), ENOENT);
	CHECK_ERR(syscall(SYS_statx, -1, "f", 0, STATX_BASIC_STATS, &stx), EBADF);
	int fd = REQUIRE_OK(open("f", O_RDONLY));
	CHECK_OK(syscall(SYS_statx, fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stx));
	CHECK_EQ(stx.stx_ino, st.st_ino);
	close(fd);
	FOR_BAD(kt_bad_in, b)
		CHECK_ERR(syscall(SYS_statx, AT_FDCWD, b->p, 0, STATX_BASIC_STATS, &stx), EFAULT);
	FOR_BAD(kt_bad_out, b)
		CHECK_ERR(syscall(SYS_statx, AT_FDCWD, "f", 0, STATX_BASIC_STATS, b->p), EFAULT);
	END_BAD;
#else
	kt_skip("no statx on this architecture");
#endif
}

static void stat_efault(void)
{
	static char buf[512];	/* bigger than every arch's struct stat */
	kt_write_file("f", "x", 0644);
	int fd = REQUIRE_OK(open("f", O_RDONLY));
	FOR_BAD(kt_bad_in, b) {
#ifdef SYS_newfstatat
		CHECK_ERR(syscall(SYS_newfstatat, AT_FDCWD, b->p, buf, 0), EFAULT);
#endif
#ifdef SYS_fstatat64
		CHECK_ERR(syscall(SYS_fstatat64, AT_FDCWD, b->p, buf, 0), EFAULT);
#endif
#if defined(SYS_stat) && !defined(__i386__)
		CHECK_ERR(syscall(SYS_stat, b->p, buf), EFAULT);
		CHECK_ERR(syscall(SYS_lstat, b->p, buf), EFAULT);
#endif
#ifdef SYS_stat64
		CHECK_ERR(syscall(SYS_stat64, b->p, buf), EFAULT);
		CHECK_ERR(syscall(SYS_lstat64, b->p, buf), EFAULT);
#endif
	}
	FOR_BAD(kt_bad_out, b) {
#ifdef SYS_newfstatat
		CHECK_ERR(syscall(SYS_newfstatat, AT_FDCWD, "f", b->p, 0), EFAULT);
		CHECK_ERR(syscall(SYS_newfstatat, fd, "", b->p, AT_EMPTY_PATH), EFAULT);
#endif
#ifdef SYS_fstatat64
		CHECK_ERR(syscall(SYS_fstatat64, AT_FDCWD, "f", b->p, 0), EFAULT);
#endif
#if defined(SYS_stat) && !defined(__i386__)
		CHECK_ERR(syscall(SYS_stat, "f", b->p), EFAULT);
		CHECK_ERR(syscall(SYS_lstat, "f", b->p), EFAULT);
		CHECK_ERR(syscall(SYS_fstat, fd, b->p), EFAULT);
#endif
#ifdef SYS_stat64
		CHECK_ERR(syscall(SYS_stat64, "f", b->p), EFAULT);
		CHECK_ERR(syscall(SYS_lstat64, "f", b->p), EFAULT);
		CHECK_ERR(syscall(SYS_fstat64, fd, b->p), EFAULT);
#endif
#if defined(__aarch64__)
		CHECK_ERR(syscall(SYS_fstat, fd, b->p), EFAULT);
#endif
	}
	END_BAD;
	close(fd);
}

static void access_calls(void)
{
	kt_write_file("r", "", 0444);
	kt_write_file("x", "", 0755);
	CHECK_OK(access("r", F_OK));
	CHECK_OK(access("r", R_OK));
	CHECK_OK(access("x", R_OK | W_OK | X_OK));
	CHECK_ERR(access("missing", F_OK), ENOENT);
	CHECK_ERR(access("r", 8), EINVAL);
	CHECK_OK(faccessat(AT_FDCWD, "r", R_OK, 0));
	if (kt_is_root()) {
		CHECK_OK(access("r", W_OK));		/* root may write anything */
		CHECK_ERR(access("r", X_OK), EACCES);	/* but exec needs an x bit */
		pid_t pid = kt_fork();
		if (pid == 0) {
			kt_drop_privileges();
			CHECK_ERR(access("r", W_OK), EACCES);
			CHECK_OK(access("r", R_OK));
			CHECK_OK(access("x", X_OK));
			CHECK_ERR(access("x", W_OK), EACCES);
			_exit(kt_failures != 0);
		}
		CHECK_EQ(kt_wait_exit(pid), 0);
	}
	FOR_BAD(kt_bad_in, b) {
#ifdef SYS_access
		CHECK_ERR(syscall(SYS_access, b->p, F_OK), EFAULT);
#endif
		CHECK_ERR(syscall(SYS_faccessat, AT_FDCWD, b->p, F_OK), EFAULT);
	}
	END_BAD;
}

static void statfs_calls(void)
{
	struct statfs sf;
	CHECK_OK(statfs("/", &sf));
	CHECK(sf.f_bsize > 0);
	CHECK_OK(statfs(".", &sf));
	int fd = REQUIRE_OK(open(".", O_RDONLY));
	CHECK_OK(fstatfs(fd, &sf));
	CHECK_ERR(statfs("missing", &sf), ENOENT);
	CHECK_ERR(fstatfs(-1, &sf), EBADF);
	FOR_BAD(kt_bad_in, b)
		CHECK_ERR(syscall(SYS_statfs, b->p, &sf), EFAULT);
	FOR_BAD(kt_bad_out, b) {
#ifdef SYS_statfs64
		CHECK_ERR(syscall(SYS_statfs64, "/", sizeof(struct statfs64), b->p), EFAULT);
		CHECK_ERR(syscall(SYS_fstatfs64, fd, sizeof(struct statfs64), b->p), EFAULT);
#else
		CHECK_ERR(syscall(SYS_statfs, "/", b->p), EFAULT);
		CHECK_ERR(syscall(SYS_fstatfs, fd, b->p), EFAULT);
#endif
	}
	END_BAD;
	close(fd);
}

struct dirent64_raw {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static int read_dir(int fd, size_t bufsize, char names[][64], unsigned char *types, int max)
{
	char buf[4096];
	int n = 0;
	for (;;) {
		long r = syscall(SYS_getdents64, fd, buf, bufsize);
		if (r < 0) {
			KT_FAIL("getdents64: %s", kt_errname(errno));
			return -1;
		}
		if (r == 0)
			return n;
		for (long off = 0; off < r;) {
			struct dirent64_raw *d = (void *)(buf + off);
			CHECK(d->d_reclen % 8 == 0);
			CHECK(d->d_reclen >= offsetof(struct dirent64_raw, d_name) + strlen(d->d_name) + 1);
			CHECK(d->d_ino != 0);
			if (n < max) {
				snprintf(names[n], 64, "%s", d->d_name);
				types[n] = d->d_type;
			}
			n++;
			off += d->d_reclen;
		}
	}
}

static void getdents(void)
{
	enum { N = 60 };
	char name[64];
	CHECK_OK(mkdir("d", 0755));
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "d/file-with-a-longish-name-%02d", i);
		kt_write_file(name, "", 0644);
	}
	CHECK_OK(mkdir("d/sub", 0755));
	CHECK_OK(symlink("x", "d/link"));
	int fd = REQUIRE_OK(open("d", O_RDONLY | O_DIRECTORY));
	static char names[N + 10][64];
	unsigned char types[N + 10];
	/* A small buffer: many calls, each entry exactly once. */
	int n = read_dir(fd, 200, names, types, N + 10);
	CHECK_EQ(n, N + 4);
	int seen[N] = {0}, dot = 0, dotdot = 0, sub = 0, link = 0;
	for (int i = 0; i < n && i < N + 10; i++) {
		int k;
		if (sscanf(names[i], "file-with-a-longish-name-%d", &k) == 1 && k >= 0 && k < N) {
			seen[k]++;
			CHECK_EQ(types[i], DT_REG);
		} else if (!strcmp(names[i], ".")) {
			dot++;
			CHECK_EQ(types[i], DT_DIR);
		} else if (!strcmp(names[i], "..")) {
			dotdot++;
			CHECK_EQ(types[i], DT_DIR);
		} else if (!strcmp(names[i], "sub")) {
			sub++;
			CHECK_EQ(types[i], DT_DIR);
		} else if (!strcmp(names[i], "link")) {
			link++;
			CHECK_EQ(types[i], DT_LNK);
		} else {
			KT_FAIL("unexpected entry %s", names[i]);
		}
	}
	for (int i = 0; i < N; i++)
		if (seen[i] != 1)
			KT_FAIL("entry %d seen %d times", i, seen[i]);
	CHECK(dot == 1 && dotdot == 1 && sub == 1 && link == 1);
	/* At the end: 0.  Rewound: everything again, minus what was removed. */
	char buf[4096];
	CHECK_EQ(syscall(SYS_getdents64, fd, buf, sizeof(buf)), 0);
	CHECK_OK(unlink("d/file-with-a-longish-name-07"));
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(read_dir(fd, sizeof(buf), names, types, N + 10), N + 3);
	/* A buffer too small for one entry. */
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	CHECK_ERR(syscall(SYS_getdents64, fd, buf, 8), EINVAL);
	FOR_BAD(kt_bad_out, b) {
		CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
		CHECK_ERR(syscall(SYS_getdents64, fd, b->p, 4096), EFAULT);
	}
	END_BAD;
	close(fd);
	kt_write_file("f", "", 0644);
	fd = REQUIRE_OK(open("f", O_RDONLY));
	CHECK_ERR(syscall(SYS_getdents64, fd, buf, sizeof(buf)), ENOTDIR);
	close(fd);
	CHECK_ERR(syscall(SYS_getdents64, -1, buf, sizeof(buf)), EBADF);
	/* An empty directory lists . and .. only. */
	CHECK_OK(mkdir("e", 0700));
	fd = REQUIRE_OK(open("e", O_RDONLY | O_DIRECTORY));
	CHECK_EQ(read_dir(fd, sizeof(buf), names, types, N + 10), 2);
	close(fd);
}

static void chmod_chown(void)
{
	struct stat st;
	kt_write_file("f", "", 0644);
	CHECK_OK(chmod("f", 0751));
	CHECK_OK(stat("f", &st));
	CHECK_EQ(st.st_mode, S_IFREG | 0751);
	CHECK_OK(chmod("f", 07777));
	CHECK_OK(stat("f", &st));
	CHECK_EQ(st.st_mode, S_IFREG | 07777);
	int fd = REQUIRE_OK(open("f", O_RDONLY));
	CHECK_OK(fchmod(fd, 0600));
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_mode, S_IFREG | 0600);
	CHECK_OK(fchmodat(AT_FDCWD, "f", 0640, 0));
	CHECK_OK(stat("f", &st));
	CHECK_EQ(st.st_mode & 07777, 0640);
	CHECK_ERR(chmod("missing", 0644), ENOENT);
	CHECK_ERR(fchmod(-1, 0644), EBADF);
	/* chmod through a symlink changes the target. */
	CHECK_OK(symlink("f", "l"));
	CHECK_OK(chmod("l", 0604));
	CHECK_OK(stat("f", &st));
	CHECK_EQ(st.st_mode & 07777, 0604);
	if (!kt_is_root()) {
		close(fd);
		kt_skip("chown needs root");
	}
	CHECK_OK(chown("f", 1234, 5678));
	CHECK_OK(stat("f", &st));
	CHECK_EQ(st.st_uid, 1234);
	CHECK_EQ(st.st_gid, 5678);
	CHECK_OK(fchown(fd, -1, 42));		/* -1: unchanged */
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_uid, 1234);
	CHECK_EQ(st.st_gid, 42);
	CHECK_OK(lchown("l", 7, 8));		/* the link itself */
	CHECK_OK(lstat("l", &st));
	CHECK_EQ(st.st_uid, 7);
	CHECK_OK(stat("l", &st));
	CHECK_EQ(st.st_uid, 1234);
	CHECK_OK(fchownat(AT_FDCWD, "l", 9, 9, AT_SYMLINK_NOFOLLOW));
	CHECK_OK(lstat("l", &st));
	CHECK_EQ(st.st_uid, 9);
	CHECK_ERR(fchownat(AT_FDCWD, "l", 9, 9, 0x8000000), EINVAL);
	/* A change of owner clears set-user-ID and set-group-ID, even root's. */
	CHECK_OK(chmod("f", 06755));
	CHECK_OK(chown("f", 0, 0));
	CHECK_OK(stat("f", &st));
	CHECK_EQ(st.st_mode & 07777, 0755);
	close(fd);
	/* Unprivileged: only the owner may chmod, nobody may give files away. */
	kt_write_file("mine", "", 0644);
	CHECK_OK(chown("mine", kt_unpriv_uid(), kt_unpriv_uid()));
	pid_t pid = kt_fork();
	if (pid == 0) {
		kt_drop_privileges();
		CHECK_ERR(chmod("f", 0777), EPERM);
		CHECK_OK(chmod("mine", 0600));
		CHECK_ERR(chown("mine", 0, -1), EPERM);
		CHECK_ERR(chown("f", getuid(), -1), EPERM);
		CHECK_OK(chown("mine", -1, -1));
		_exit(kt_failures != 0);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
}

static void chmod_chown_efault(void)
{
	FOR_BAD(kt_bad_in, b) {
#ifdef SYS_chmod
		CHECK_ERR(syscall(SYS_chmod, b->p, 0644), EFAULT);
#endif
		CHECK_ERR(syscall(SYS_fchmodat, AT_FDCWD, b->p, 0644), EFAULT);
		CHECK_ERR(syscall(SYS_fchownat, AT_FDCWD, b->p, -1, -1, 0), EFAULT);
#ifdef SYS_chown32
		CHECK_ERR(syscall(SYS_chown32, b->p, -1, -1), EFAULT);
		CHECK_ERR(syscall(SYS_lchown32, b->p, -1, -1), EFAULT);
#elif defined(SYS_chown)
		CHECK_ERR(syscall(SYS_chown, b->p, -1, -1), EFAULT);
		CHECK_ERR(syscall(SYS_lchown, b->p, -1, -1), EFAULT);
#endif
	}
	END_BAD;
}

static void utimensat_calls(void)
{
	struct stat st;
	struct timespec before, after;
	kt_write_file("f", "", 0644);
	struct timespec t[2] = {{1234567890, 123456789}, {1111111111, 999999999}};
	CHECK_OK(utimensat(AT_FDCWD, "f", t, 0));
	CHECK_OK(stat("f", &st));
	CHECK_EQ(st.st_atim.tv_sec, 1234567890);
	CHECK_EQ(st.st_atim.tv_nsec, 123456789);
	CHECK_EQ(st.st_mtim.tv_sec, 1111111111);
	CHECK_EQ(st.st_mtim.tv_nsec, 999999999);
	/* UTIME_OMIT keeps, UTIME_NOW takes the current time. */
	struct timespec t2[2] = {{0, UTIME_OMIT}, {0, UTIME_NOW}};
	REQUIRE_OK(clock_gettime(CLOCK_REALTIME, &before));
	CHECK_OK(utimensat(AT_FDCWD, "f", t2, 0));
	REQUIRE_OK(clock_gettime(CLOCK_REALTIME, &after));
	CHECK_OK(stat("f", &st));
	CHECK_EQ(st.st_atim.tv_sec, 1234567890);
	/* File times are coarser than the clock on Linux: compare seconds. */
	CHECK(st.st_mtim.tv_sec >= before.tv_sec - 1 && st.st_mtim.tv_sec <= after.tv_sec);
	/* NULL times: both now. */
	CHECK_OK(utimensat(AT_FDCWD, "f", NULL, 0));
	CHECK_OK(stat("f", &st));
	CHECK(st.st_atim.tv_sec >= before.tv_sec - 1);
	/* By descriptor (path NULL: futimens). */
	int fd = REQUIRE_OK(open("f", O_RDONLY));
	CHECK_OK(futimens(fd, t));
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_mtim.tv_sec, 1111111111);
	/* Symlinks: AT_SYMLINK_NOFOLLOW sets the link's own times. */
	CHECK_OK(symlink("f", "l"));
	struct timespec t3[2] = {{5, 0}, {6, 0}};
	CHECK_OK(utimensat(AT_FDCWD, "l", t3, AT_SYMLINK_NOFOLLOW));
	CHECK_OK(lstat("l", &st));
	CHECK_EQ(st.st_mtim.tv_sec, 6);
	CHECK_OK(stat("l", &st));
	CHECK_EQ(st.st_mtim.tv_sec, 1111111111);
	/* Errors. */
	struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
	CHECK_ERR(utimensat(AT_FDCWD, "f", bad, 0), EINVAL);
	bad[0].tv_nsec = -1;
	CHECK_ERR(utimensat(AT_FDCWD, "f", bad, 0), EINVAL);
	CHECK_ERR(utimensat(AT_FDCWD, "f", t, 0x10000000), EINVAL);
	CHECK_ERR(utimensat(AT_FDCWD, "missing", t, 0), ENOENT);
	CHECK_ERR(futimens(-1, t), EBADF);
	/* Not the owner: "now" needs write access, explicit times ownership. */
	if (kt_is_root()) {
		kt_write_file("other", "", 0666);
		kt_write_file("locked", "", 0644);
		pid_t pid = kt_fork();
		if (pid == 0) {
			kt_drop_privileges();
			CHECK_OK(utimensat(AT_FDCWD, "other", NULL, 0));
			CHECK_ERR(utimensat(AT_FDCWD, "other", t, 0), EPERM);
			CHECK_ERR(utimensat(AT_FDCWD, "locked", NULL, 0), EACCES);
			_exit(kt_failures != 0);
		}
		CHECK_EQ(kt_wait_exit(pid), 0);
	}
	/* Raw calls (time64 on i386): bad path, bad times. */
#ifdef SYS_utimensat_time64
	long nr = SYS_utimensat_time64;
	struct { int64_t sec; int64_t nsec; } raw[2] = {{1, 0}, {2, 0}};
#else
	long nr = SYS_utimensat;
	struct timespec *raw = t;
#endif
	FOR_BAD(kt_bad_in, b) {
		CHECK_ERR(syscall(nr, AT_FDCWD, b->p, raw, 0), EFAULT);
		CHECK_ERR(syscall(nr, AT_FDCWD, "f", b->p, 0), EFAULT);
		CHECK_ERR(syscall(nr, fd, NULL, b->p, 0), EFAULT);
	}
	END_BAD;
	close(fd);
}

KT_TABLE(stat) = {
	{"stat.basic", stat_basic},
	{"stat.statx", statx_call},
	{"stat.efault", stat_efault},
	{"stat.access", access_calls},
	{"stat.statfs", statfs_calls},
	{"stat.getdents64", getdents},
	{"stat.chmod_chown", chmod_chown},
	{"stat.chmod_chown_efault", chmod_chown_efault},
	{"stat.utimensat", utimensat_calls},
	{NULL, NULL},
};
