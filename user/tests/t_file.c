/*
 * File calls: open/openat/creat flags and errors, read/write, pread/pwrite,
 * readv/writev/preadv/pwritev, lseek (and i386 _llseek), truncate, and
 * EFAULT for each of their pointer arguments.
 */
#include "kt.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>

static void open_flags(void)
{
	struct stat st;
	CHECK_ERR(open("missing", O_RDONLY), ENOENT);
	CHECK_ERR(open("", O_RDONLY), ENOENT);
	umask(022);
	int fd = REQUIRE_OK(open("f", O_RDWR | O_CREAT | O_EXCL, 0666));
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_mode, S_IFREG | 0644);
	CHECK_EQ(st.st_size, 0);
	CHECK_EQ(st.st_uid, geteuid());
	CHECK_EQ(write(fd, "hello", 5), 5);
	CHECK_OK(close(fd));
	CHECK_ERR(open("f", O_RDWR | O_CREAT | O_EXCL, 0666), EEXIST);
	/* O_CREAT without O_EXCL opens the existing file, mode unchanged. */
	fd = CHECK_OK(open("f", O_RDONLY | O_CREAT, 0600));
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_mode & 07777, 0644);
	CHECK_EQ(st.st_size, 5);
	/* Access modes. */
	char c;
	CHECK_ERR(write(fd, "x", 1), EBADF);
	close(fd);
	fd = CHECK_OK(open("f", O_WRONLY));
	CHECK_ERR(read(fd, &c, 1), EBADF);
	close(fd);
	/* O_TRUNC. */
	fd = CHECK_OK(open("f", O_WRONLY | O_TRUNC));
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_size, 0);
	close(fd);
	/* O_APPEND: every write goes to the end, whatever the offset. */
	kt_write_file("a", "0123", 0644);
	fd = CHECK_OK(open("a", O_RDWR | O_APPEND));
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(write(fd, "45", 2), 2);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 6);
	/* Linux quirk: pwrite on an O_APPEND file appends too. */
	CHECK_EQ(pwrite(fd, "6", 1, 0), 1);
	char buf[16] = {0};
	CHECK_EQ(pread(fd, buf, sizeof(buf), 0), 7);
	CHECK_STR(buf, "0123456");
	close(fd);
	/* Directories. */
	CHECK_OK(mkdir("d", 0755));
	CHECK_ERR(open("d", O_WRONLY), EISDIR);
	CHECK_ERR(open("d", O_RDWR), EISDIR);
	CHECK_ERR(open("d", O_RDONLY | O_CREAT, 0644), EISDIR);
	fd = CHECK_OK(open("d", O_RDONLY | O_DIRECTORY));
	CHECK_ERR(read(fd, buf, 1), EISDIR);
	close(fd);
	CHECK_ERR(open("a", O_RDONLY | O_DIRECTORY), ENOTDIR);
	CHECK_ERR(open("a/x", O_RDONLY), ENOTDIR);
	CHECK_ERR(open("a/", O_RDONLY), ENOTDIR);
	CHECK_ERR(open("new/", O_RDWR | O_CREAT, 0644), EISDIR);
	CHECK_ERR(open("nodir/x", O_RDWR | O_CREAT, 0644), ENOENT);
	/* Names: 255 bytes are fine, 256 are not. */
	char name[300];
	memset(name, 'n', 255);
	name[255] = 0;
	fd = CHECK_OK(open(name, O_WRONLY | O_CREAT, 0644));
	close(fd);
	memset(name, 'n', 256);
	name[256] = 0;
	CHECK_ERR(open(name, O_WRONLY | O_CREAT, 0644), ENAMETOOLONG);
	CHECK_ERR(open(name, O_RDONLY), ENAMETOOLONG);
	/* Symbolic links. */
	CHECK_OK(symlink("a", "link"));
	CHECK_OK(symlink("dangling-target", "dangling"));
	CHECK_OK(symlink("loop2", "loop1"));
	CHECK_OK(symlink("loop1", "loop2"));
	CHECK_ERR(open("link", O_RDONLY | O_NOFOLLOW), ELOOP);
	CHECK_ERR(open("loop1", O_RDONLY), ELOOP);
	CHECK_ERR(open("dangling", O_RDONLY), ENOENT);
	CHECK_ERR(open("dangling", O_RDWR | O_CREAT | O_EXCL, 0644), EEXIST);
	fd = CHECK_OK(open("dangling", O_RDWR | O_CREAT, 0644));  /* creates the target */
	close(fd);
	CHECK_OK(access("dangling-target", F_OK));
	fd = CHECK_OK(open("link", O_RDONLY));
	CHECK_EQ(read(fd, buf, 4), 4);
	close(fd);
	/* O_CLOEXEC. */
	fd = CHECK_OK(open("a", O_RDONLY | O_CLOEXEC));
	CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	close(fd);
	fd = CHECK_OK(open("a", O_RDONLY));
	CHECK_EQ(fcntl(fd, F_GETFD), 0);
	close(fd);
}

static void open_lowest_fd(void)
{
	int a = REQUIRE_OK(open(".", O_RDONLY));
	int b = REQUIRE_OK(open(".", O_RDONLY));
	int c = REQUIRE_OK(open(".", O_RDONLY));
	CHECK_EQ(b, a + 1);
	CHECK_EQ(c, a + 2);
	close(b);
	CHECK_EQ(open(".", O_RDONLY), b);
	close(a);
	close(b);
	CHECK_EQ(open(".", O_RDONLY), a);
}

static void openat_dirfd(void)
{
	CHECK_OK(mkdir("sub", 0755));
	kt_write_file("sub/f", "sub", 0644);
	kt_write_file("file", "x", 0644);
	int dfd = REQUIRE_OK(open("sub", O_RDONLY | O_DIRECTORY));
	int fd = CHECK_OK(openat(dfd, "f", O_RDONLY));
	char buf[8] = {0};
	CHECK_EQ(read(fd, buf, sizeof(buf)), 3);
	CHECK_STR(buf, "sub");
	close(fd);
	fd = CHECK_OK(openat(AT_FDCWD, "sub/f", O_RDONLY));
	close(fd);
	/* An absolute path ignores dirfd, even a bad one. */
	char cwd[4096], abs[4200];
	REQUIRE(getcwd(cwd, sizeof(cwd)));
	snprintf(abs, sizeof(abs), "%s/sub/f", cwd);
	fd = CHECK_OK(openat(12345, abs, O_RDONLY));
	close(fd);
	CHECK_ERR(openat(12345, "f", O_RDONLY), EBADF);
	CHECK_ERR(openat(-5, "f", O_RDONLY), EBADF);
	int ffd = REQUIRE_OK(open("file", O_RDONLY));
	CHECK_ERR(openat(ffd, "f", O_RDONLY), ENOTDIR);
	close(ffd);
	fd = CHECK_OK(openat(dfd, "new", O_WRONLY | O_CREAT | O_EXCL, 0600));
	close(fd);
	CHECK_OK(access("sub/new", F_OK));
	close(dfd);
#ifdef SYS_creat
	fd = CHECK_OK(syscall(SYS_creat, "created", 0640));
	struct stat st;
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_mode, S_IFREG | 0640);
	CHECK_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_WRONLY);
	close(fd);
#endif
}

static void open_permissions(void)
{
	kt_write_file("secret", "s", 0600);
	kt_write_file("readable", "r", 0644);
	CHECK_OK(mkdir("closed", 0700));
	kt_write_file("closed/f", "f", 0644);
	if (!kt_is_root())
		kt_skip("needs root to own files an unprivileged user cannot open");
	pid_t pid = kt_fork();
	if (pid == 0) {
		kt_drop_privileges();
		CHECK_ERR(open("secret", O_RDONLY), EACCES);
		CHECK_ERR(open("readable", O_WRONLY), EACCES);
		int fd = CHECK_OK(open("readable", O_RDONLY));
		close(fd);
		CHECK_ERR(open("closed/f", O_RDONLY), EACCES);
		CHECK_ERR(open("closed/new", O_WRONLY | O_CREAT, 0644), EACCES);
		_exit(kt_failures != 0);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
}

/* A path that runs from a readable page into an unreadable one. */
static const char *unterminated_path(void)
{
	char *p = mmap(NULL, 2 * KT_PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(p != MAP_FAILED);
	REQUIRE_OK(mprotect(p + KT_PAGE, KT_PAGE, PROT_NONE));
	memset(p, 'a', KT_PAGE);
	return p + KT_PAGE - 16;
}

static void open_efault(void)
{
	FOR_BAD(kt_bad_in, b) {
		CHECK_ERR(syscall(SYS_openat, AT_FDCWD, b->p, O_RDONLY), EFAULT);
		CHECK_ERR(syscall(SYS_openat, AT_FDCWD, b->p, O_WRONLY | O_CREAT, 0644), EFAULT);
#ifdef SYS_open
		CHECK_ERR(syscall(SYS_open, b->p, O_RDONLY), EFAULT);
#endif
#ifdef SYS_creat
		CHECK_ERR(syscall(SYS_creat, b->p, 0644), EFAULT);
#endif
	}
	END_BAD;
	CHECK_ERR(syscall(SYS_openat, AT_FDCWD, unterminated_path(), O_RDONLY), EFAULT);
}

static void read_write(void)
{
	int fd = REQUIRE_OK(open("f", O_RDWR | O_CREAT, 0644));
	char buf[64];
	CHECK_EQ(read(fd, buf, sizeof(buf)), 0);		/* empty file: EOF */
	CHECK_EQ(write(fd, "abcdef", 6), 6);
	CHECK_EQ(write(fd, "", 0), 0);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 6);
	CHECK_EQ(read(fd, buf, sizeof(buf)), 0);		/* at EOF */
	CHECK_EQ(lseek(fd, 1, SEEK_SET), 1);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(read(fd, buf, 3), 3);
	CHECK_STR(buf, "bcd");
	CHECK_EQ(read(fd, buf, sizeof(buf)), 2);		/* short read at the end */
	/* pread/pwrite leave the offset alone. */
	off_t pos = lseek(fd, 0, SEEK_CUR);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(pread(fd, buf, 2, 4), 2);
	CHECK_STR(buf, "ef");
	CHECK_EQ(pwrite(fd, "XY", 2, 1), 2);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), pos);
	CHECK_EQ(pread(fd, buf, 6, 0), 6);
	CHECK(memcmp(buf, "aXYdef", 6) == 0);
	CHECK_ERR(pread(fd, buf, 1, -1), EINVAL);
	CHECK_ERR(pwrite(fd, buf, 1, -1), EINVAL);
	/* Writing past the end leaves a hole that reads as zeros. */
	CHECK_EQ(pwrite(fd, "Z", 1, 10000), 1);
	char big[10001];
	CHECK_EQ(pread(fd, big, sizeof(big), 0), 10001);
	int zeros = 1;
	for (int i = 6; i < 10000; i++)
		zeros &= big[i] == 0;
	CHECK(zeros);
	CHECK_EQ(big[10000], 'Z');
	/* A large transfer in one call. */
	static char pattern[300000], back[300000];
	for (size_t i = 0; i < sizeof(pattern); i++)
		pattern[i] = (char)(i * 7 + i / 4096);
	CHECK_EQ(pwrite(fd, pattern, sizeof(pattern), 5000), (long)sizeof(pattern));
	CHECK_EQ(pread(fd, back, sizeof(back), 5000), (long)sizeof(back));
	CHECK(memcmp(pattern, back, sizeof(back)) == 0);
	close(fd);
	/* Bad descriptors. */
	CHECK_ERR(read(fd, buf, 1), EBADF);
	CHECK_ERR(write(fd, buf, 1), EBADF);
	CHECK_ERR(read(-1, buf, 1), EBADF);
	CHECK_ERR(write(1000000, buf, 1), EBADF);
	CHECK_ERR(pread(-1, buf, 1, 0), EBADF);
	/* Pipes cannot seek. */
	int p[2];
	REQUIRE_OK(pipe(p));
	CHECK_ERR(lseek(p[0], 0, SEEK_SET), ESPIPE);
	CHECK_ERR(pread(p[0], buf, 1, 0), ESPIPE);
	CHECK_ERR(pwrite(p[1], buf, 1, 0), ESPIPE);
	/* /dev/null and /dev/zero. */
	int null = CHECK_OK(open("/dev/null", O_RDWR));
	CHECK_EQ(write(null, "abc", 3), 3);
	CHECK_EQ(read(null, buf, sizeof(buf)), 0);
	close(null);
	int zero = CHECK_OK(open("/dev/zero", O_RDONLY));
	memset(buf, 1, sizeof(buf));
	CHECK_EQ(read(zero, buf, sizeof(buf)), (long)sizeof(buf));
	CHECK(buf[0] == 0 && buf[63] == 0);
	close(zero);
}

static void readv_writev(void)
{
	int fd = REQUIRE_OK(open("f", O_RDWR | O_CREAT, 0644));
	char a[] = "one", b[] = "", c[] = "three";
	struct iovec iov[3] = {{a, 3}, {b, 0}, {c, 5}};
	CHECK_EQ(writev(fd, iov, 3), 8);
	CHECK_EQ(writev(fd, iov, 0), 0);
	char x[2], y[4], z[8];
	struct iovec rd[3] = {{x, 2}, {y, 4}, {z, 8}};
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(readv(fd, rd, 3), 8);
	CHECK(memcmp(x, "on", 2) == 0 && memcmp(y, "ethr", 4) == 0 && memcmp(z, "ee", 2) == 0);
	/* preadv/pwritev at an offset, file offset unchanged. */
	struct iovec w[2] = {{"AB", 2}, {"CD", 2}};
	CHECK_EQ(pwritev(fd, w, 2, 2), 4);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 8);
	memset(z, 0, sizeof(z));
	struct iovec r1 = {z, 6};
	CHECK_EQ(preadv(fd, &r1, 1, 0), 6);
	CHECK(memcmp(z, "onABCD", 6) == 0);
	/* Counts: 1024 vectors at most, not negative, total not past SSIZE_MAX. */
	static struct iovec many[1025];
	for (int i = 0; i < 1025; i++)
		many[i] = (struct iovec){a, 1};
	CHECK_EQ(writev(fd, many, 1024), 1024);
	CHECK_ERR(writev(fd, many, 1025), EINVAL);
	CHECK_ERR(readv(fd, many, 1025), EINVAL);
	volatile int negative = -1;
	CHECK_ERR(writev(fd, iov, negative), EINVAL);
	/* A negative length is invalid. */
	struct iovec neg = {a, (size_t)-1};
	CHECK_ERR(writev(fd, &neg, 1), EINVAL);
	CHECK_ERR(readv(fd, &neg, 1), EINVAL);
	CHECK_ERR(readv(-1, rd, 1), EBADF);
	close(fd);
}

static void rw_efault(void)
{
	int fd = REQUIRE_OK(open("f", O_RDWR | O_CREAT, 0644));
	static char data[8192];
	memset(data, 'd', sizeof(data));
	REQUIRE(write(fd, data, sizeof(data)) == (ssize_t)sizeof(data));
	struct stat st;
	char ok[16];
	FOR_BAD(kt_bad_out, b) {
		lseek(fd, 0, SEEK_SET);
		CHECK_ERR(read(fd, b->p, 16), EFAULT);
		CHECK_EQ(lseek(fd, 0, SEEK_CUR), 0);
		CHECK_ERR(pread(fd, b->p, 16, 0), EFAULT);
		struct iovec iov[2] = {{ok, 8}, {b->p, 8}};
		CHECK_ERR(readv(fd, iov + 1, 1), EFAULT);
		/* A kernel address is refused up front; a bad user page only
		 * when reached: Linux returns what it copied before, 8 here. */
		lseek(fd, 0, SEEK_SET);
		if (!strcmp(b->name, "kernel address"))
			CHECK_ERR(readv(fd, iov, 2), EFAULT);
		else
			CHECK_EQ(readv(fd, iov, 2), 8);
	}
	FOR_BAD(kt_bad_in, b) {
		lseek(fd, 0, SEEK_END);
		CHECK_ERR(write(fd, b->p, 16), EFAULT);
		CHECK_ERR(pwrite(fd, b->p, 16, 0), EFAULT);
		CHECK_ERR(readv(fd, b->p, 1), EFAULT);		/* the vector itself */
		CHECK_ERR(writev(fd, b->p, 1), EFAULT);
		CHECK_ERR(preadv(fd, b->p, 1, 0), EFAULT);
		CHECK_ERR(pwritev(fd, b->p, 1, 0), EFAULT);
		struct iovec iov = {b->p, 16};
		CHECK_ERR(writev(fd, &iov, 1), EFAULT);
		CHECK_ERR(pwritev(fd, &iov, 1, 0), EFAULT);
		CHECK_OK(fstat(fd, &st));
		CHECK_EQ(st.st_size, (long)sizeof(data));	/* nothing was written */
	}
	END_BAD;
	/* The read-only page is a fine source. */
	CHECK_EQ(write(fd, kt_bad_out[4].p, 16), 16);
	close(fd);
}

static void lseek_whence(void)
{
	int fd = REQUIRE_OK(open("f", O_RDWR | O_CREAT, 0644));
	CHECK_EQ(write(fd, "0123456789", 10), 10);
	CHECK_EQ(lseek(fd, 3, SEEK_SET), 3);
	CHECK_EQ(lseek(fd, 2, SEEK_CUR), 5);
	CHECK_EQ(lseek(fd, -1, SEEK_CUR), 4);
	CHECK_EQ(lseek(fd, 0, SEEK_END), 10);
	CHECK_EQ(lseek(fd, -10, SEEK_END), 0);
	CHECK_EQ(lseek(fd, 100, SEEK_END), 110);	/* past the end is allowed */
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 110);
	CHECK_ERR(lseek(fd, -1, SEEK_SET), EINVAL);
	CHECK_ERR(lseek(fd, -200, SEEK_CUR), EINVAL);
	CHECK_ERR(lseek(fd, -11, SEEK_END), EINVAL);
	CHECK_ERR(lseek(fd, 0, 7), EINVAL);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 110);		/* failures move nothing */
	/* 64-bit offsets (i386 goes through _llseek). */
	CHECK_EQ(lseek(fd, 0x100000000LL, SEEK_SET), 0x100000000LL);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 0x100000000LL);
	CHECK_ERR(lseek(-1, 0, SEEK_SET), EBADF);
#ifdef SYS__llseek
	long long res = -1;
	CHECK_EQ(syscall(SYS__llseek, fd, 1, 2, &res, SEEK_SET), 0);	/* 1<<32 | 2 */
	CHECK_EQ(res, 0x100000002LL);
	CHECK_ERR(syscall(SYS__llseek, fd, 0, 0, &res, 9), EINVAL);
	FOR_BAD(kt_bad_out, b)
		CHECK_ERR(syscall(SYS__llseek, fd, 0, 0, b->p, SEEK_SET), EFAULT);
	END_BAD;
#endif
	close(fd);
}

static void truncate_calls(void)
{
	struct stat st;
	kt_write_file("f", "0123456789", 0644);
	CHECK_OK(truncate("f", 4));
	CHECK_OK(stat("f", &st));
	CHECK_EQ(st.st_size, 4);
	CHECK_OK(truncate("f", 8192));
	static char buf[8193];
	CHECK_EQ(kt_read_file("f", buf, sizeof(buf)), 8192);
	int fd = REQUIRE_OK(open("f", O_RDWR));
	CHECK_EQ(pread(fd, buf, 8192, 0), 8192);
	CHECK(memcmp(buf, "0123", 4) == 0 && buf[4] == 0 && buf[8191] == 0);
	CHECK_OK(ftruncate(fd, 2));
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_size, 2);
	CHECK_ERR(ftruncate(fd, -1), EINVAL);
	CHECK_ERR(truncate("f", -1), EINVAL);
	/* Shrinking then growing again gives zeros, not the old bytes. */
	CHECK_OK(ftruncate(fd, 6));
	CHECK_EQ(pread(fd, buf, 6, 0), 6);
	CHECK(memcmp(buf, "01\0\0\0\0", 6) == 0);
	close(fd);
	fd = REQUIRE_OK(open("f", O_RDONLY));
	CHECK_ERR(ftruncate(fd, 0), EINVAL);		/* not open for writing */
	close(fd);
	CHECK_OK(mkdir("d", 0755));
	CHECK_ERR(truncate("d", 0), EISDIR);
	fd = REQUIRE_OK(open("d", O_RDONLY));
	CHECK_ERR(ftruncate(fd, 0), EINVAL);
	close(fd);
	CHECK_ERR(truncate("missing", 0), ENOENT);
	CHECK_ERR(ftruncate(-1, 0), EBADF);
	/* Large sizes (i386: truncate64 with the length in two registers). */
	CHECK_OK(truncate("f", 0x100000001LL));
	CHECK_OK(stat("f", &st));
	CHECK_EQ(st.st_size, 0x100000001LL);
	CHECK_OK(truncate("f", 0));
	FOR_BAD(kt_bad_in, b)
		CHECK_ERR(syscall(SYS_truncate, b->p, 0), EFAULT);
	END_BAD;
	if (kt_is_root()) {
		pid_t pid = kt_fork();
		if (pid == 0) {
			kt_drop_privileges();
			CHECK_ERR(truncate("f", 1), EACCES);
			_exit(kt_failures != 0);
		}
		CHECK_EQ(kt_wait_exit(pid), 0);
	}
}

KT_TABLE(file) = {
	{"file.open_flags", open_flags},
	{"file.open_lowest_fd", open_lowest_fd},
	{"file.openat_dirfd", openat_dirfd},
	{"file.open_permissions", open_permissions},
	{"file.open_efault", open_efault},
	{"file.read_write", read_write},
	{"file.readv_writev", readv_writev},
	{"file.rw_efault", rw_efault},
	{"file.lseek", lseek_whence},
	{"file.truncate", truncate_calls},
	{NULL, NULL},
};
