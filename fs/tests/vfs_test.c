/*
 * In-kernel tests of the VFS and tmpfs: every file call, its Linux
 * semantics and its errors.  Each test works in its own directory
 * /ktest-vfs/<n> so leftovers never meet.
 */
#include <kernel/atomic.h>
#include <kernel/cpu.h>
#include <kernel/cred.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/ktest.h>
#include <kernel/printk.h>
#include <kernel/slab.h>
#include <kernel/smp.h>
#include <kernel/thread.h>
#include <kernel/vfs.h>
#include <string.h>

static unsigned int scratch_seq;

/* A fresh directory as the cwd; the root is cwd again at scratch_end(). */
static bool
scratch_begin(void)
{
	char dir[32];

	vfs_mkdirat(AT_FDCWD, "/ktest-vfs", 0755);
	snprintf(dir, sizeof(dir), "/ktest-vfs/%u", ++scratch_seq);
	if (vfs_mkdirat(AT_FDCWD, dir, 0755) || vfs_chdir(dir)) {
		ktest_fail(__FILE__, __LINE__, "cannot make scratch directory %s", dir);
		return false;
	}
	return true;
}

static void
scratch_end(void)
{
	vfs_chdir("/");
}

#define SCRATCH() do { if (!scratch_begin()) return; } while (0)

/*
 * Run fn in a thread of its own and wait: for tests that unshare the fd
 * table or the fs context, which must not stick to the test runner.
 */
static void
run_in_thread(void (*fn)(void *), void *arg)
{
	struct thread *t = thread_create("vfs-test", fn, arg, THREAD_PRIO_DEFAULT, 0);

	if (!t) {
		ktest_fail(__FILE__, __LINE__, "no thread");
		return;
	}
	thread_join(t);
}

static bool
contains(const char *s, const char *part)
{
	size_t n = strlen(part);

	for (; *s; s++)
		if (strncmp(s, part, n) == 0)
			return true;
	return false;
}

static int
write_file(const char *path, const char *text, umode_t mode)
{
	int fd = vfs_openat(AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	ssize_t n;

	if (fd < 0)
		return fd;
	n = vfs_write(fd, text, strlen(text));
	vfs_close(fd);
	return n == (ssize_t)strlen(text) ? 0 : (n < 0 ? (int)n : -EIO);
}

/* The file's whole text into buf (NUL-terminated); its length or -errno. */
static ssize_t
read_file(const char *path, char *buf, size_t size)
{
	int fd = vfs_openat(AT_FDCWD, path, O_RDONLY, 0);
	ssize_t n, total = 0;

	if (fd < 0)
		return fd;
	while ((n = vfs_read(fd, buf + total, size - 1 - (size_t)total)) > 0)
		total += n;
	vfs_close(fd);
	buf[total] = '\0';
	return n < 0 ? n : total;
}

static umode_t
mode_of(const char *path)
{
	struct kstat st;

	return vfs_fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW) ? 0 : st.mode;
}

static long
nlink_of(const char *path)
{
	struct kstat st;
	int err = vfs_fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW);

	return err ? err : (long)st.nlink;
}

KTEST(vfs, root_is_mounted)
{
	struct kstat st;
	struct kstatfs sf;

	KASSERT(vfs_fstatat(AT_FDCWD, "/", &st, 0) == 0);
	KEXPECT(S_ISDIR(st.mode));
	KEXPECT_EQ(vfs_statfs("/", &sf), 0);
	KEXPECT_EQ(sf.type, 0x01021994);	/* TMPFS_MAGIC */
	KEXPECT_EQ(sf.namelen, 255);
}

KTEST(vfs, create_write_read_stat)
{
	char buf[64];
	struct kstat st;
	int fd;

	SCRATCH();
	fd = vfs_openat(AT_FDCWD, "f", O_RDWR | O_CREAT | O_EXCL, 0640);
	KASSERT(fd >= 0);
	KEXPECT_EQ(vfs_write(fd, "hello, world", 12), 12);
	KEXPECT_EQ(vfs_lseek(fd, 0, SEEK_CUR), 12);
	KEXPECT_EQ(vfs_lseek(fd, 7, SEEK_SET), 7);
	KEXPECT_EQ(vfs_read(fd, buf, sizeof(buf)), 5);
	KEXPECT(memcmp(buf, "world", 5) == 0);
	KEXPECT_EQ(vfs_read(fd, buf, sizeof(buf)), 0);		/* EOF */
	KEXPECT_EQ(vfs_fstat(fd, &st), 0);
	KEXPECT_EQ(st.size, 12);
	KEXPECT_EQ(st.mode, S_IFREG | 0640);
	KEXPECT_EQ(st.nlink, 1);
	KEXPECT_EQ(st.blocks, 8);			/* one 4 KiB page */
	KEXPECT_EQ(vfs_close(fd), 0);
	KEXPECT_EQ(vfs_close(fd), -EBADF);
	scratch_end();
}

KTEST(vfs, open_errors)
{
	SCRATCH();
	KEXPECT_EQ(write_file("f", "x", 0644), 0);
	KEXPECT_EQ(vfs_mkdirat(AT_FDCWD, "d", 0755), 0);
	KEXPECT_EQ(vfs_openat(AT_FDCWD, "missing", O_RDONLY, 0), -ENOENT);
	KEXPECT_EQ(vfs_openat(AT_FDCWD, "f", O_RDONLY | O_CREAT | O_EXCL, 0644), -EEXIST);
	KEXPECT_EQ(vfs_openat(AT_FDCWD, "f", O_RDONLY | O_DIRECTORY, 0), -ENOTDIR);
	KEXPECT_EQ(vfs_openat(AT_FDCWD, "f/", O_RDONLY, 0), -ENOTDIR);
	KEXPECT_EQ(vfs_openat(AT_FDCWD, "f/x", O_RDONLY, 0), -ENOTDIR);
	KEXPECT_EQ(vfs_openat(AT_FDCWD, "d", O_WRONLY, 0), -EISDIR);
	KEXPECT_EQ(vfs_openat(AT_FDCWD, "d", O_RDONLY | O_CREAT, 0644), -EISDIR);
	KEXPECT_EQ(vfs_openat(AT_FDCWD, "new/", O_RDWR | O_CREAT, 0644), -EISDIR);
	KEXPECT_EQ(vfs_openat(AT_FDCWD, "", O_RDONLY, 0), -ENOENT);
	KEXPECT_EQ(vfs_openat(AT_FDCWD, "missing/x", O_RDWR | O_CREAT, 0644), -ENOENT);
	KEXPECT_EQ(vfs_openat(99999, "x", O_RDONLY, 0), -EBADF);
	{
		int fd = vfs_openat(AT_FDCWD, "d", O_RDONLY | O_DIRECTORY, 0);

		KEXPECT(fd >= 0);
		KEXPECT_EQ(vfs_read(fd, (char[4]){ 0 }, 4), -EISDIR);
		KEXPECT_EQ(vfs_write(fd, "x", 1), -EBADF);
		vfs_close(fd);
		fd = vfs_openat(AT_FDCWD, "f", O_RDONLY, 0);
		KEXPECT_EQ(vfs_write(fd, "x", 1), -EBADF);
		KEXPECT_EQ(vfs_openat(fd, "x", O_RDONLY, 0), -ENOTDIR);
		vfs_close(fd);
	}
	scratch_end();
}

KTEST(vfs, trunc_append_pread_pwrite)
{
	char buf[32];
	int fd, fd2;

	SCRATCH();
	KEXPECT_EQ(write_file("f", "0123456789", 0644), 0);
	fd = vfs_openat(AT_FDCWD, "f", O_RDWR, 0);
	KASSERT(fd >= 0);
	KEXPECT_EQ(vfs_pwrite(fd, "AB", 2, 4), 2);
	KEXPECT_EQ(vfs_lseek(fd, 0, SEEK_CUR), 0);	/* pwrite keeps the offset */
	KEXPECT_EQ(vfs_pread(fd, buf, 6, 2), 6);
	KEXPECT(memcmp(buf, "23AB67", 6) == 0);
	KEXPECT_EQ(vfs_pread(fd, buf, 6, -1), -EINVAL);
	vfs_close(fd);

	/* Two descriptors appending: nothing overwritten. */
	fd = vfs_openat(AT_FDCWD, "f", O_WRONLY | O_APPEND, 0);
	fd2 = vfs_openat(AT_FDCWD, "f", O_WRONLY | O_APPEND, 0);
	KEXPECT_EQ(vfs_write(fd, "x", 1), 1);
	KEXPECT_EQ(vfs_write(fd2, "y", 1), 1);
	KEXPECT_EQ(vfs_write(fd, "z", 1), 1);
	vfs_close(fd);
	vfs_close(fd2);
	KEXPECT_EQ(read_file("f", buf, sizeof(buf)), 13);
	KEXPECT_STREQ(buf, "0123AB6789xyz");

	fd = vfs_openat(AT_FDCWD, "f", O_WRONLY | O_TRUNC, 0);
	KEXPECT(fd >= 0);
	vfs_close(fd);
	KEXPECT_EQ(read_file("f", buf, sizeof(buf)), 0);
	scratch_end();
}

KTEST(vfs, readv_writev)
{
	char a[4], b[8], out[16];
	struct iovec wv[3] = { { "abc", 3 }, { "", 0 }, { "defghij", 7 } };
	struct iovec rv[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	struct uio u;
	int fd;

	SCRATCH();
	fd = vfs_openat(AT_FDCWD, "v", O_RDWR | O_CREAT, 0644);
	KASSERT(fd >= 0);
	KASSERT(uio_init(&u, wv, 3, false) == 0);
	KEXPECT_EQ(vfs_writev(fd, &u, -1), 10);
	KASSERT(uio_init(&u, rv, 2, false) == 0);
	KEXPECT_EQ(vfs_readv(fd, &u, 0), 10);
	memcpy(out, a, 4);
	memcpy(out + 4, b, 6);
	KEXPECT(memcmp(out, "abcdefghij", 10) == 0);
	KEXPECT_EQ(uio_init(&u, rv, UIO_MAXIOV + 1, false), -EINVAL);
	vfs_close(fd);
	scratch_end();
}

KTEST(vfs, lseek)
{
	int fd;

	SCRATCH();
	KEXPECT_EQ(write_file("f", "12345", 0644), 0);
	fd = vfs_openat(AT_FDCWD, "f", O_RDONLY, 0);
	KASSERT(fd >= 0);
	KEXPECT_EQ(vfs_lseek(fd, -2, SEEK_END), 3);
	KEXPECT_EQ(vfs_lseek(fd, 1, SEEK_CUR), 4);
	KEXPECT_EQ(vfs_lseek(fd, -5, SEEK_CUR), -EINVAL);
	KEXPECT_EQ(vfs_lseek(fd, 100, SEEK_SET), 100);	/* past the end is fine */
	KEXPECT_EQ(vfs_lseek(fd, 0, 7), -EINVAL);
	KEXPECT_EQ(vfs_lseek(fd, 2, SEEK_DATA), 2);
	KEXPECT_EQ(vfs_lseek(fd, 2, SEEK_HOLE), 5);
	KEXPECT_EQ(vfs_lseek(fd, 5, SEEK_DATA), -ENXIO);
	vfs_close(fd);
	KEXPECT_EQ(vfs_lseek(fd, 0, SEEK_SET), -EBADF);
	scratch_end();
}

KTEST(vfs, sparse_files_and_truncate)
{
	static char page[8192];
	struct kstat st;
	int fd;

	SCRATCH();
	fd = vfs_openat(AT_FDCWD, "s", O_RDWR | O_CREAT, 0644);
	KASSERT(fd >= 0);
	/* One byte 1 GiB in: one page allocated, the rest holes. */
	KEXPECT_EQ(vfs_pwrite(fd, "z", 1, 1ll << 30), 1);
	KEXPECT_EQ(vfs_fstat(fd, &st), 0);
	KEXPECT_EQ(st.size, (1ll << 30) + 1);
	KEXPECT_EQ(st.blocks, 8);
	memset(page, 0x55, sizeof(page));
	KEXPECT_EQ(vfs_pread(fd, page, sizeof(page), 4096 * 10), (ssize_t)sizeof(page));
	KEXPECT(page[0] == 0 && page[8191] == 0);
	/* Shrink into the middle of a page: the rest of it reads as zeros. */
	KEXPECT_EQ(vfs_pwrite(fd, "abcdef", 6, 0), 6);
	KEXPECT_EQ(vfs_ftruncate(fd, 3), 0);
	KEXPECT_EQ(vfs_ftruncate(fd, 6), 0);
	KEXPECT_EQ(vfs_pread(fd, page, 6, 0), 6);
	KEXPECT(memcmp(page, "abc\0\0\0", 6) == 0);
	KEXPECT_EQ(vfs_fstat(fd, &st), 0);
	KEXPECT_EQ(st.blocks, 8);
	KEXPECT_EQ(vfs_ftruncate(fd, -1), -EINVAL);
	vfs_close(fd);
	fd = vfs_openat(AT_FDCWD, "s", O_RDONLY, 0);
	KEXPECT_EQ(vfs_ftruncate(fd, 0), -EINVAL);	/* not open for writing */
	vfs_close(fd);
	KEXPECT_EQ(vfs_truncate(AT_FDCWD, "s", 0), 0);
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "s", &st, 0), 0);
	KEXPECT_EQ(st.size, 0);
	KEXPECT_EQ(st.blocks, 0);
	KEXPECT_EQ(vfs_mkdirat(AT_FDCWD, "d", 0755), 0);
	KEXPECT_EQ(vfs_truncate(AT_FDCWD, "d", 0), -EISDIR);
	scratch_end();
}

KTEST(vfs, mkdir_rmdir_and_link_counts)
{
	SCRATCH();
	KEXPECT_EQ(vfs_mkdirat(AT_FDCWD, "a", 0755), 0);
	KEXPECT_EQ(nlink_of("a"), 2);
	KEXPECT_EQ(vfs_mkdirat(AT_FDCWD, "a/b", 0700), 0);
	KEXPECT_EQ(vfs_mkdirat(AT_FDCWD, "a/c/", 0700), 0);	/* a trailing slash is fine */
	KEXPECT_EQ(nlink_of("a"), 4);
	KEXPECT_EQ(mode_of("a/b"), S_IFDIR | 0700);
	KEXPECT_EQ(vfs_mkdirat(AT_FDCWD, "a", 0755), -EEXIST);
	KEXPECT_EQ(vfs_mkdirat(AT_FDCWD, ".", 0755), -EEXIST);
	KEXPECT_EQ(vfs_mkdirat(AT_FDCWD, "x/y", 0755), -ENOENT);
	KEXPECT_EQ(vfs_unlinkat(AT_FDCWD, "a", AT_REMOVEDIR), -ENOTEMPTY);
	KEXPECT_EQ(vfs_unlinkat(AT_FDCWD, "a", 0), -EISDIR);
	KEXPECT_EQ(vfs_unlinkat(AT_FDCWD, "a/b/.", AT_REMOVEDIR), -EINVAL);
	KEXPECT_EQ(vfs_unlinkat(AT_FDCWD, "a/b/..", AT_REMOVEDIR), -ENOTEMPTY);
	KEXPECT_EQ(write_file("f", "", 0644), 0);
	KEXPECT_EQ(vfs_unlinkat(AT_FDCWD, "f", AT_REMOVEDIR), -ENOTDIR);
	KEXPECT_EQ(vfs_unlinkat(AT_FDCWD, "f/", 0), -ENOTDIR);
	KEXPECT_EQ(vfs_unlinkat(AT_FDCWD, "a/b", AT_REMOVEDIR), 0);
	KEXPECT_EQ(vfs_unlinkat(AT_FDCWD, "a/c", AT_REMOVEDIR), 0);
	KEXPECT_EQ(nlink_of("a"), 2);
	KEXPECT_EQ(vfs_unlinkat(AT_FDCWD, "a", AT_REMOVEDIR), 0);
	KEXPECT_EQ(nlink_of("a"), -ENOENT);
	KEXPECT_EQ(vfs_unlinkat(AT_FDCWD, "f", 0), 0);
	KEXPECT_EQ(vfs_unlinkat(AT_FDCWD, "f", 0), -ENOENT);
	scratch_end();
}

KTEST(vfs, removed_cwd)
{
	char buf[64];
	int fd;

	SCRATCH();
	KEXPECT_EQ(vfs_mkdirat(AT_FDCWD, "gone", 0755), 0);
	KEXPECT_EQ(vfs_chdir("gone"), 0);
	KEXPECT_EQ(vfs_unlinkat(AT_FDCWD, "../gone", AT_REMOVEDIR), 0);
	KEXPECT_EQ(vfs_getcwd(buf, sizeof(buf)), -ENOENT);
	KEXPECT_EQ(vfs_openat(AT_FDCWD, "new", O_RDWR | O_CREAT, 0644), -ENOENT);
	KEXPECT_EQ(vfs_mkdirat(AT_FDCWD, "sub", 0755), -ENOENT);
	fd = vfs_openat(AT_FDCWD, ".", O_RDONLY | O_DIRECTORY, 0);
	KEXPECT(fd >= 0);
	KEXPECT_EQ(vfs_getdents64(fd, buf, sizeof(buf)), 0);	/* nothing, not even "." */
	vfs_close(fd);
	scratch_end();
}

KTEST(vfs, hard_links)
{
	char buf[16];
	int fd;

	SCRATCH();
	KEXPECT_EQ(write_file("a", "data", 0644), 0);
	KEXPECT_EQ(vfs_mkdirat(AT_FDCWD, "d", 0755), 0);
	KEXPECT_EQ(vfs_linkat(AT_FDCWD, "a", AT_FDCWD, "d/b", 0), 0);
	KEXPECT_EQ(nlink_of("a"), 2);
	KEXPECT_EQ(vfs_linkat(AT_FDCWD, "a", AT_FDCWD, "d/b", 0), -EEXIST);
	KEXPECT_EQ(vfs_linkat(AT_FDCWD, "d", AT_FDCWD, "d2", 0), -EPERM);
	KEXPECT_EQ(vfs_linkat(AT_FDCWD, "missing", AT_FDCWD, "x", 0), -ENOENT);
	KEXPECT_EQ(vfs_linkat(AT_FDCWD, "a", AT_FDCWD, "x/", 0), -ENOENT);
	KEXPECT_EQ(vfs_linkat(AT_FDCWD, "a", AT_FDCWD, "a2", 0x8000), -EINVAL);
	KEXPECT_EQ(vfs_unlinkat(AT_FDCWD, "a", 0), 0);
	KEXPECT_EQ(nlink_of("d/b"), 1);
	KEXPECT_EQ(read_file("d/b", buf, sizeof(buf)), 4);
	/* An unlinked but open file keeps its data; linkat(AT_EMPTY_PATH) as root. */
	fd = vfs_openat(AT_FDCWD, "d/b", O_RDONLY, 0);
	KEXPECT_EQ(vfs_unlinkat(AT_FDCWD, "d/b", 0), 0);
	KEXPECT_EQ(vfs_pread(fd, buf, 4, 0), 4);
	KEXPECT(memcmp(buf, "data", 4) == 0);
	KEXPECT_EQ(vfs_linkat(fd, "", AT_FDCWD, "back", AT_EMPTY_PATH), -ENOENT);	/* nlink 0 */
	vfs_close(fd);
	scratch_end();
}

KTEST(vfs, symlinks)
{
	char buf[64];
	int fd;

	SCRATCH();
	KEXPECT_EQ(vfs_mkdirat(AT_FDCWD, "dir", 0755), 0);
	KEXPECT_EQ(write_file("dir/file", "in dir", 0644), 0);
	KEXPECT_EQ(vfs_symlinkat("dir", AT_FDCWD, "rel"), 0);
	KEXPECT_EQ(vfs_symlinkat("/ktest-vfs", AT_FDCWD, "abs"), 0);
	KEXPECT_EQ(vfs_symlinkat("nowhere/x", AT_FDCWD, "dangling"), 0);
	KEXPECT_EQ(vfs_symlinkat("rel/file", AT_FDCWD, "chain"), 0);
	KEXPECT_EQ(mode_of("rel"), S_IFLNK | 0777);
	KEXPECT_EQ(read_file("rel/file", buf, sizeof(buf)), 6);
	KEXPECT_EQ(read_file("chain", buf, sizeof(buf)), 6);
	KEXPECT_STREQ(buf, "in dir");
	KEXPECT_EQ(vfs_readlinkat(AT_FDCWD, "chain", buf, sizeof(buf)), 8);
	KEXPECT(memcmp(buf, "rel/file", 8) == 0);
	KEXPECT_EQ(vfs_readlinkat(AT_FDCWD, "chain", buf, 3), 3);	/* truncated, no NUL */
	KEXPECT_EQ(vfs_readlinkat(AT_FDCWD, "dir", buf, sizeof(buf)), -EINVAL);
	KEXPECT_EQ(vfs_readlinkat(AT_FDCWD, "chain", buf, 0), -EINVAL);
	KEXPECT_EQ(vfs_openat(AT_FDCWD, "dangling", O_RDONLY, 0), -ENOENT);
	KEXPECT_EQ(vfs_openat(AT_FDCWD, "chain", O_RDONLY | O_NOFOLLOW, 0), -ELOOP);
	KEXPECT_EQ(vfs_symlinkat("", AT_FDCWD, "empty"), -ENOENT);
	KEXPECT_EQ(vfs_symlinkat("x", AT_FDCWD, "rel"), -EEXIST);
	/* O_CREAT through a dangling link creates its target. */
	KEXPECT_EQ(vfs_symlinkat("made", AT_FDCWD, "tomake"), 0);
	fd = vfs_openat(AT_FDCWD, "tomake", O_WRONLY | O_CREAT, 0600);
	KEXPECT(fd >= 0);
	vfs_close(fd);
	KEXPECT_EQ(mode_of("made"), S_IFREG | 0600);
	KEXPECT_EQ(vfs_openat(AT_FDCWD, "tomake", O_WRONLY | O_CREAT | O_EXCL, 0600), -EEXIST);
	/* A trailing slash follows; lstat of "rel/" is the directory. */
	KEXPECT_EQ(mode_of("rel/"), S_IFDIR | 0755);
	/* O_PATH | O_NOFOLLOW opens the link itself. */
	fd = vfs_openat(AT_FDCWD, "rel", O_PATH | O_NOFOLLOW, 0);
	KEXPECT(fd >= 0);
	KEXPECT_EQ(vfs_readlinkat(fd, "", buf, sizeof(buf)), 3);
	KEXPECT_EQ(vfs_read(fd, buf, 1), -EBADF);
	vfs_close(fd);
	scratch_end();
}

KTEST(vfs, symlink_limits)
{
	char name[16], target[16];

	SCRATCH();
	/* l0 -> l1 -> ... -> l40 -> file: 41 links followed is one too many. */
	KEXPECT_EQ(write_file("file", "end", 0644), 0);
	for (int i = 0; i <= 40; i++) {
		snprintf(name, sizeof(name), "l%d", i);
		if (i == 40)
			snprintf(target, sizeof(target), "file");
		else
			snprintf(target, sizeof(target), "l%d", i + 1);
		KEXPECT_EQ(vfs_symlinkat(target, AT_FDCWD, name), 0);
	}
	KEXPECT_EQ(vfs_openat(AT_FDCWD, "l0", O_RDONLY, 0), -ELOOP);
	{
		int fd = vfs_openat(AT_FDCWD, "l1", O_RDONLY, 0);	/* exactly 40 */

		KEXPECT(fd >= 0);
		vfs_close(fd);
	}
	KEXPECT_EQ(vfs_symlinkat("loop-b", AT_FDCWD, "loop-a"), 0);
	KEXPECT_EQ(vfs_symlinkat("loop-a", AT_FDCWD, "loop-b"), 0);
	KEXPECT_EQ(vfs_openat(AT_FDCWD, "loop-a", O_RDONLY, 0), -ELOOP);
	KEXPECT_EQ(vfs_openat(AT_FDCWD, "loop-a/x", O_RDONLY, 0), -ELOOP);
	KEXPECT_EQ(vfs_openat(AT_FDCWD, "loop-a", O_RDWR | O_CREAT, 0644), -ELOOP);
	scratch_end();
}

KTEST(vfs, name_limits)
{
	char *long_name = kmalloc(PATH_MAX + 8);
	int fd;

	KASSERT(long_name);
	SCRATCH();
	memset(long_name, 'n', 255);
	long_name[255] = '\0';
	fd = vfs_openat(AT_FDCWD, long_name, O_RDWR | O_CREAT, 0644);
	KEXPECT(fd >= 0);
	vfs_close(fd);
	long_name[255] = 'n';
	long_name[256] = '\0';
	KEXPECT_EQ(vfs_openat(AT_FDCWD, long_name, O_RDWR | O_CREAT, 0644), -ENAMETOOLONG);
	KEXPECT_EQ(vfs_mkdirat(AT_FDCWD, long_name, 0755), -ENAMETOOLONG);
	/* 4095 bytes + NUL is the most a path may have. */
	for (int i = 0; i < PATH_MAX; i += 2) {
		long_name[i] = '.';
		long_name[i + 1] = '/';
	}
	long_name[PATH_MAX - 1] = '\0';
	fd = vfs_openat(AT_FDCWD, long_name, O_RDONLY, 0);
	KEXPECT(fd >= 0);
	vfs_close(fd);
	long_name[PATH_MAX - 1] = '.';
	long_name[PATH_MAX] = '\0';
	KEXPECT_EQ(vfs_openat(AT_FDCWD, long_name, O_RDONLY, 0), -ENAMETOOLONG);
	kfree(long_name);
	scratch_end();
}

KTEST(vfs, dirfd_and_dots)
{
	char buf[64];
	int dfd, fd;

	SCRATCH();
	KEXPECT_EQ(vfs_mkdirat(AT_FDCWD, "a", 0755), 0);
	KEXPECT_EQ(vfs_mkdirat(AT_FDCWD, "a/b", 0755), 0);
	dfd = vfs_openat(AT_FDCWD, "a", O_RDONLY | O_DIRECTORY, 0);
	KASSERT(dfd >= 0);
	fd = vfs_openat(dfd, "b/../f", O_WRONLY | O_CREAT, 0644);
	KEXPECT(fd >= 0);
	vfs_close(fd);
	KEXPECT_EQ(mode_of("a/f"), S_IFREG | 0644);
	KEXPECT_EQ(vfs_mkdirat(dfd, "./b/./c", 0755), 0);
	KEXPECT_EQ(mode_of("a/b/c"), S_IFDIR | 0755);
	KEXPECT_EQ(vfs_fstatat(dfd, "", &(struct kstat){ 0 }, 0), -ENOENT);
	KEXPECT_EQ(vfs_fstatat(dfd, "", &(struct kstat){ 0 }, AT_EMPTY_PATH), 0);
	vfs_close(dfd);
	/* ".." at the root stays at the root. */
	KEXPECT_EQ(vfs_chdir("/../../.."), 0);
	KEXPECT_EQ(vfs_getcwd(buf, sizeof(buf)), 2);
	KEXPECT_STREQ(buf, "/");
	KEXPECT_EQ(vfs_getcwd(buf, 1), -ERANGE);
	scratch_end();
}

KTEST(vfs, rename_files)
{
	char buf[16];
	int fd;

	SCRATCH();
	KEXPECT_EQ(write_file("a", "A", 0644), 0);
	KEXPECT_EQ(write_file("b", "B", 0644), 0);
	fd = vfs_openat(AT_FDCWD, "b", O_RDONLY, 0);
	/* Atomic replace: b's old data lives on in the open file only. */
	KEXPECT_EQ(vfs_renameat2(AT_FDCWD, "a", AT_FDCWD, "b", 0), 0);
	KEXPECT_EQ(read_file("b", buf, sizeof(buf)), 1);
	KEXPECT_STREQ(buf, "A");
	KEXPECT_EQ(vfs_pread(fd, buf, 1, 0), 1);
	KEXPECT_EQ(buf[0], 'B');
	vfs_close(fd);
	KEXPECT_EQ(mode_of("a"), 0);
	KEXPECT_EQ(vfs_renameat2(AT_FDCWD, "a", AT_FDCWD, "c", 0), -ENOENT);
	KEXPECT_EQ(write_file("c", "C", 0644), 0);
	KEXPECT_EQ(vfs_renameat2(AT_FDCWD, "c", AT_FDCWD, "b", RENAME_NOREPLACE), -EEXIST);
	KEXPECT_EQ(vfs_renameat2(AT_FDCWD, "c", AT_FDCWD, "b", RENAME_EXCHANGE), 0);
	KEXPECT_EQ(read_file("b", buf, sizeof(buf)), 1);
	KEXPECT_STREQ(buf, "C");
	KEXPECT_EQ(read_file("c", buf, sizeof(buf)), 1);
	KEXPECT_STREQ(buf, "A");
	KEXPECT_EQ(vfs_renameat2(AT_FDCWD, "c", AT_FDCWD, "zz", RENAME_EXCHANGE), -ENOENT);
	KEXPECT_EQ(vfs_renameat2(AT_FDCWD, "c", AT_FDCWD, "b", RENAME_EXCHANGE | RENAME_NOREPLACE),
		   -EINVAL);
	/* Hard links to one file: rename between them does nothing. */
	KEXPECT_EQ(vfs_linkat(AT_FDCWD, "b", AT_FDCWD, "b2", 0), 0);
	KEXPECT_EQ(vfs_renameat2(AT_FDCWD, "b", AT_FDCWD, "b2", 0), 0);
	KEXPECT_EQ(nlink_of("b"), 2);
	KEXPECT_EQ(vfs_renameat2(AT_FDCWD, ".", AT_FDCWD, "x", 0), -EBUSY);
	KEXPECT_EQ(vfs_renameat2(AT_FDCWD, "b", AT_FDCWD, "b2/", 0), -ENOTDIR);
	scratch_end();
}

KTEST(vfs, rename_directories)
{
	SCRATCH();
	KEXPECT_EQ(vfs_mkdirat(AT_FDCWD, "p", 0755), 0);
	KEXPECT_EQ(vfs_mkdirat(AT_FDCWD, "p/q", 0755), 0);
	KEXPECT_EQ(vfs_mkdirat(AT_FDCWD, "r", 0755), 0);
	KEXPECT_EQ(vfs_mkdirat(AT_FDCWD, "full", 0755), 0);
	KEXPECT_EQ(write_file("full/x", "", 0644), 0);
	KEXPECT_EQ(write_file("file", "", 0644), 0);
	KEXPECT_EQ(vfs_renameat2(AT_FDCWD, "p", AT_FDCWD, "p/q/p", 0), -EINVAL);
	KEXPECT_EQ(vfs_renameat2(AT_FDCWD, "p", AT_FDCWD, "p/q", 0), -EINVAL);
	KEXPECT_EQ(vfs_renameat2(AT_FDCWD, "p/q", AT_FDCWD, "p", 0), -ENOTEMPTY);
	KEXPECT_EQ(vfs_renameat2(AT_FDCWD, "r", AT_FDCWD, "full", 0), -ENOTEMPTY);
	KEXPECT_EQ(vfs_renameat2(AT_FDCWD, "r", AT_FDCWD, "file", 0), -ENOTDIR);
	KEXPECT_EQ(vfs_renameat2(AT_FDCWD, "file", AT_FDCWD, "r", 0), -EISDIR);
	/* Move q from p to r: the ".." links follow. */
	KEXPECT_EQ(vfs_renameat2(AT_FDCWD, "p/q", AT_FDCWD, "r/q", 0), 0);
	KEXPECT_EQ(nlink_of("p"), 2);
	KEXPECT_EQ(nlink_of("r"), 3);
	KEXPECT_EQ(vfs_chdir("r/q/.."), 0);
	KEXPECT_EQ(vfs_chdir(".."), 0);
	KEXPECT_EQ(mode_of("r/q"), S_IFDIR | 0755);
	/* Replace an empty directory. */
	KEXPECT_EQ(vfs_renameat2(AT_FDCWD, "r/q", AT_FDCWD, "p", 0), 0);
	KEXPECT_EQ(nlink_of("r"), 2);
	KEXPECT_EQ(mode_of("r/q"), 0);
	KEXPECT_EQ(vfs_renameat2(AT_FDCWD, "p/", AT_FDCWD, "p2/", 0), 0);
	scratch_end();
}

KTEST(vfs, getdents_many_entries)
{
	enum { N = 1000 };
	static unsigned char seen[N];
	char *buf = kmalloc(1024);
	unsigned int dots = 0, total = 0;
	ssize_t n;
	int fd;

	KASSERT(buf);
	SCRATCH();
	KEXPECT_EQ(vfs_mkdirat(AT_FDCWD, "big", 0755), 0);
	for (int i = 0; i < N; i++) {
		char name[32];

		snprintf(name, sizeof(name), "big/entry-%04d", i);
		fd = vfs_openat(AT_FDCWD, name, O_WRONLY | O_CREAT, 0644);
		if (fd < 0) {
			KEXPECT_EQ(fd, 0);
			break;
		}
		vfs_close(fd);
	}
	memset(seen, 0, sizeof(seen));
	fd = vfs_openat(AT_FDCWD, "big", O_RDONLY | O_DIRECTORY, 0);
	KASSERT(fd >= 0);
	KEXPECT_EQ(vfs_getdents64(fd, buf, 10), -EINVAL);	/* no room for one */
	/* Small reads; delete entries already listed as we go (allowed). */
	while ((n = vfs_getdents64(fd, buf, 1024)) > 0) {
		for (ssize_t off = 0; off < n;) {
			uint16_t reclen;
			const char *name = buf + off + 19;
			uint8_t type = (uint8_t)buf[off + 18];

			memcpy(&reclen, buf + off + 16, 2);
			KEXPECT_EQ(reclen % 8, 0);
			if (!strcmp(name, ".") || !strcmp(name, "..")) {
				dots++;
			} else {
				int i = (name[6] - '0') * 1000 + (name[7] - '0') * 100 +
					(name[8] - '0') * 10 + (name[9] - '0');

				KEXPECT_EQ(type, DT_REG);
				if (i >= 0 && i < N)
					seen[i]++;
				if (i % 3 == 0) {
					char path[32];

					snprintf(path, sizeof(path), "big/%s", name);
					vfs_unlinkat(AT_FDCWD, path, 0);
				}
				total++;
			}
			off += reclen;
		}
	}
	KEXPECT_EQ(n, 0);
	KEXPECT_EQ(dots, 2);
	KEXPECT_EQ(total, N);
	for (int i = 0; i < N; i++)
		if (seen[i] != 1) {
			KEXPECT_EQ(seen[i], 1);
			break;
		}
	/* Rewind: a third of them are gone. */
	KEXPECT_EQ(vfs_lseek(fd, 0, SEEK_SET), 0);
	total = 0;
	while ((n = vfs_getdents64(fd, buf, 1024)) > 0)
		for (ssize_t off = 0; off < n; total++) {
			uint16_t reclen;

			memcpy(&reclen, buf + off + 16, 2);
			off += reclen;
		}
	KEXPECT_EQ(total, 2 + N - (N + 2) / 3);
	vfs_close(fd);
	kfree(buf);
	scratch_end();
}

KTEST(vfs, attributes)
{
	struct timespec64 t[2] = { { 1000000000, 5 }, { 1200000000, 7 } };
	struct kstat st;

	SCRATCH();
	KEXPECT_EQ(write_file("f", "abc", 0644), 0);
	KEXPECT_EQ(vfs_fchmodat(AT_FDCWD, "f", 04751, 0), 0);
	KEXPECT_EQ(mode_of("f"), S_IFREG | 04751);
	KEXPECT_EQ(vfs_fchownat(AT_FDCWD, "f", 1000, 100, 0), 0);
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "f", &st, 0), 0);
	KEXPECT_EQ(st.uid, 1000);
	KEXPECT_EQ(st.gid, 100);
	KEXPECT_EQ(st.mode, S_IFREG | 0751);		/* chown clears setuid */
	KEXPECT_EQ(vfs_fchownat(AT_FDCWD, "f", (uid_t)-1, 5, 0), 0);
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "f", &st, 0), 0);
	KEXPECT_EQ(st.uid, 1000);
	KEXPECT_EQ(st.gid, 5);
	KEXPECT_EQ(vfs_utimensat(AT_FDCWD, "f", t, 0), 0);
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "f", &st, 0), 0);
	KEXPECT_EQ(st.atime.tv_sec, 1000000000);
	KEXPECT_EQ(st.atime.tv_nsec, 5);
	KEXPECT_EQ(st.mtime.tv_sec, 1200000000);
	t[0].tv_nsec = UTIME_OMIT;
	t[1].tv_sec = 1300000000;
	t[1].tv_nsec = 0;
	KEXPECT_EQ(vfs_utimensat(AT_FDCWD, "f", t, 0), 0);
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "f", &st, 0), 0);
	KEXPECT_EQ(st.atime.tv_sec, 1000000000);
	KEXPECT_EQ(st.mtime.tv_sec, 1300000000);
	t[1].tv_nsec = 1000000000;
	KEXPECT_EQ(vfs_utimensat(AT_FDCWD, "f", t, 0), -EINVAL);
	KEXPECT_EQ(vfs_symlinkat("f", AT_FDCWD, "l"), 0);
	KEXPECT_EQ(vfs_fchmodat(AT_FDCWD, "l", 0600, AT_SYMLINK_NOFOLLOW), -EOPNOTSUPP);
	KEXPECT_EQ(vfs_fchownat(AT_FDCWD, "l", 7, 7, AT_SYMLINK_NOFOLLOW), 0);
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "l", &st, AT_SYMLINK_NOFOLLOW), 0);
	KEXPECT_EQ(st.uid, 7);
	KEXPECT_EQ(st.size, 1);				/* a symlink's size is its target's length */
	KEXPECT_EQ(vfs_faccessat(AT_FDCWD, "f", R_OK | W_OK | X_OK, 0), 0);
	KEXPECT_EQ(vfs_faccessat(AT_FDCWD, "f", 8, 0), -EINVAL);
	KEXPECT_EQ(vfs_faccessat(AT_FDCWD, "nope", F_OK, 0), -ENOENT);
	scratch_end();
}

KTEST(vfs, permissions)
{
	const struct cred *root;
	struct kstat st;
	int fd;

	SCRATCH();
	KEXPECT_EQ(write_file("secret", "s", 0600), 0);
	KEXPECT_EQ(write_file("public", "p", 0644), 0);
	KEXPECT_EQ(vfs_mkdirat(AT_FDCWD, "closed", 0700), 0);
	KEXPECT_EQ(write_file("closed/inner", "i", 0666), 0);
	KEXPECT_EQ(vfs_mkdirat(AT_FDCWD, "sticky", 01777), 0);
	KEXPECT_EQ(vfs_fchmodat(AT_FDCWD, "sticky", 01777, 0), 0);
	KEXPECT_EQ(write_file("sticky/roots", "r", 0666), 0);
	KEXPECT_EQ(write_file("noexec", "#!", 0644), 0);
	/* Root may not execute what no one may. */
	KEXPECT_EQ(vfs_faccessat(AT_FDCWD, "noexec", X_OK, 0), -EACCES);

	root = ktest_become_user();
	KASSERT(root);
	KEXPECT_EQ(vfs_openat(AT_FDCWD, "secret", O_RDONLY, 0), -EACCES);
	KEXPECT_EQ(vfs_openat(AT_FDCWD, "public", O_WRONLY, 0), -EACCES);
	KEXPECT_EQ(vfs_openat(AT_FDCWD, "public", O_RDONLY | O_TRUNC, 0), -EACCES);
	fd = vfs_openat(AT_FDCWD, "public", O_RDONLY, 0);
	KEXPECT(fd >= 0);
	vfs_close(fd);
	KEXPECT_EQ(vfs_openat(AT_FDCWD, "closed/inner", O_RDONLY, 0), -EACCES);
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "closed/inner", &st, 0), -EACCES);
	KEXPECT_EQ(vfs_mkdirat(AT_FDCWD, "mine", 0755), -EACCES);	/* the dir is root's 0755 */
	KEXPECT_EQ(vfs_fchmodat(AT_FDCWD, "public", 0777, 0), -EPERM);
	KEXPECT_EQ(vfs_fchownat(AT_FDCWD, "public", 1000, 1000, 0), -EPERM);
	KEXPECT_EQ(vfs_unlinkat(AT_FDCWD, "public", 0), -EACCES);
	KEXPECT_EQ(vfs_utimensat(AT_FDCWD, "public", NULL, 0), -EACCES);
	KEXPECT_EQ(vfs_faccessat(AT_FDCWD, "public", R_OK, 0), 0);
	KEXPECT_EQ(vfs_faccessat(AT_FDCWD, "public", W_OK, 0), -EACCES);
	/* A sticky directory: make and remove one's own, not root's. */
	KEXPECT_EQ(write_file("sticky/users", "u", 0644), 0);
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "sticky/users", &st, 0), 0);
	KEXPECT_EQ(st.uid, 1000);
	KEXPECT_EQ(st.gid, 1000);
	KEXPECT_EQ(vfs_unlinkat(AT_FDCWD, "sticky/roots", 0), -EPERM);
	KEXPECT_EQ(vfs_renameat2(AT_FDCWD, "sticky/roots", AT_FDCWD, "sticky/x", 0), -EPERM);
	KEXPECT_EQ(vfs_unlinkat(AT_FDCWD, "sticky/users", 0), 0);
	KEXPECT_EQ(vfs_mount("none", "sticky", "tmpfs", 0, NULL), -EPERM);
	KEXPECT_EQ(vfs_chroot("/"), -EPERM);
	ktest_restore_cred(root);
	KEXPECT_EQ(current_cred()->fsuid, 0);
	scratch_end();
}

KTEST(vfs, setgid_directories)
{
	const struct cred *root;
	struct kstat st;

	SCRATCH();
	KEXPECT_EQ(vfs_mkdirat(AT_FDCWD, "shared", 0777), 0);
	KEXPECT_EQ(vfs_fchmodat(AT_FDCWD, "shared", 02777, 0), 0);
	KEXPECT_EQ(vfs_fchownat(AT_FDCWD, "shared", 0, 50, 0), 0);
	KEXPECT_EQ(vfs_fchmodat(AT_FDCWD, "shared", 02777, 0), 0);
	root = ktest_become_user();
	KASSERT(root);
	KEXPECT_EQ(write_file("shared/f", "", 0644), 0);
	KEXPECT_EQ(vfs_mkdirat(AT_FDCWD, "shared/d", 0755), 0);
	ktest_restore_cred(root);
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "shared/f", &st, 0), 0);
	KEXPECT_EQ(st.gid, 50);
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "shared/d", &st, 0), 0);
	KEXPECT_EQ(st.gid, 50);
	KEXPECT(st.mode & S_ISGID);
	scratch_end();
}

KTEST(vfs, dup_and_fcntl)
{
	char c;
	int fd, fd2, fd3;

	SCRATCH();
	KEXPECT_EQ(write_file("f", "abcdef", 0644), 0);
	fd = vfs_openat(AT_FDCWD, "f", O_RDONLY | O_CLOEXEC, 0);
	KASSERT(fd >= 0);
	KEXPECT_EQ(vfs_fcntl(fd, F_GETFD, 0), FD_CLOEXEC);
	fd2 = vfs_dup(fd);
	KEXPECT(fd2 > fd);
	KEXPECT_EQ(vfs_fcntl(fd2, F_GETFD, 0), 0);	/* dup clears close-on-exec */
	/* The offset is shared. */
	KEXPECT_EQ(vfs_read(fd, &c, 1), 1);
	KEXPECT_EQ(vfs_read(fd2, &c, 1), 1);
	KEXPECT_EQ(c, 'b');
	fd3 = vfs_fcntl(fd, F_DUPFD_CLOEXEC, 20);
	KEXPECT_EQ(fd3, 20);
	KEXPECT_EQ(vfs_fcntl(fd3, F_GETFD, 0), FD_CLOEXEC);
	KEXPECT_EQ(vfs_fcntl(fd, F_DUPFD, 20), 21);
	vfs_close(21);
	KEXPECT_EQ(vfs_dup2(fd, fd), fd);
	KEXPECT_EQ(vfs_dup3(fd, fd, 0), -EINVAL);
	KEXPECT_EQ(vfs_dup3(fd, 30, O_CLOEXEC), 30);
	KEXPECT_EQ(vfs_fcntl(30, F_GETFD, 0), FD_CLOEXEC);
	KEXPECT_EQ(vfs_dup3(fd, 30, O_RDWR), -EINVAL);
	KEXPECT_EQ(vfs_dup2(fd2, 30), 30);		/* closes the old 30 */
	KEXPECT_EQ(vfs_fcntl(30, F_GETFD, 0), 0);
	KEXPECT_EQ(vfs_dup2(999, 30), -EBADF);
	KEXPECT_EQ(vfs_dup2(fd, NR_OPEN_DEFAULT), -EBADF);
	KEXPECT_EQ(vfs_fcntl(fd, F_DUPFD, NR_OPEN_DEFAULT), -EINVAL);
	KEXPECT_EQ(vfs_fcntl(fd, F_SETFD, 0), 0);
	KEXPECT_EQ(vfs_fcntl(fd, F_GETFD, 0), 0);
	KEXPECT_EQ(vfs_fcntl(fd, F_GETFL, 0) & (O_ACCMODE | O_APPEND | O_NONBLOCK), O_RDONLY);
	KEXPECT_EQ(vfs_fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK | O_RDWR), 0);
	KEXPECT_EQ(vfs_fcntl(fd2, F_GETFL, 0) & (O_ACCMODE | O_APPEND | O_NONBLOCK),
		   O_RDONLY | O_APPEND | O_NONBLOCK);		/* shared: the same file */
	KEXPECT_EQ(vfs_fcntl(fd, 12345, 0), -EINVAL);
	KEXPECT_EQ(vfs_fcntl(-1, F_GETFD, 0), -EBADF);
	vfs_close(fd);
	vfs_close(fd2);
	vfs_close(fd3);
	vfs_close(30);
	scratch_end();
}

static void
fd_limit_body(void *unused)
{
	static int fds[NR_OPEN_DEFAULT];
	int n = 0, fd;

	KASSERT(unshare_files() == 0);
	SCRATCH();
	KEXPECT_EQ(write_file("f", "", 0644), 0);
	while ((fd = vfs_openat(AT_FDCWD, "f", O_RDONLY, 0)) >= 0 && n < NR_OPEN_DEFAULT)
		fds[n++] = fd;
	KEXPECT_EQ(fd, -EMFILE);
	KEXPECT_EQ(n, NR_OPEN_DEFAULT);
	KEXPECT_EQ(fds[0], 0);
	KEXPECT_EQ(fds[n - 1], NR_OPEN_DEFAULT - 1);
	vfs_close(fds[7]);
	KEXPECT_EQ(vfs_openat(AT_FDCWD, "f", O_RDONLY, 0), 7);	/* the lowest free slot */
	for (int i = 0; i < n; i++)
		vfs_close(fds[i]);
	scratch_end();
}

KTEST(vfs, fd_table_limit)
{
	run_in_thread(fd_limit_body, NULL);
}

KTEST(vfs, mounts)
{
	struct kstatfs sf;
	char buf[32];
	int fd;

	SCRATCH();
	KEXPECT_EQ(vfs_mkdirat(AT_FDCWD, "mnt", 0755), 0);
	KEXPECT_EQ(write_file("mnt/hidden", "under", 0644), 0);
	KEXPECT_EQ(vfs_mount("none", "mnt", "tmpfs", 0, "size=64k,mode=700"), 0);
	KEXPECT_EQ(mode_of("mnt/hidden"), 0);			/* covered */
	KEXPECT_EQ(mode_of("mnt"), S_IFDIR | 0700);
	KEXPECT_EQ(vfs_statfs("mnt", &sf), 0);
	KEXPECT_EQ(sf.blocks, 16);
	KEXPECT_EQ(sf.bfree, 16);
	/* ".." from the mounted root leads back to the covering directory. */
	KEXPECT_EQ(write_file("marker", "m", 0644), 0);
	KEXPECT_EQ(read_file("mnt/../marker", buf, sizeof(buf)), 1);
	/* size= gives ENOSPC; the file keeps what fit. */
	fd = vfs_openat(AT_FDCWD, "mnt/big", O_RDWR | O_CREAT, 0644);
	KASSERT(fd >= 0);
	{
		static char chunk[4096];
		ssize_t n = 0, total = 0;

		for (int i = 0; i < 20 && (n = vfs_write(fd, chunk, sizeof(chunk))) > 0; i++)
			total += n;
		KEXPECT_EQ(total, 16 * 4096);
		KEXPECT_EQ(n, -ENOSPC);
	}
	KEXPECT_EQ(vfs_statfs("mnt", &sf), 0);
	KEXPECT_EQ(sf.bfree, 0);
	/* Busy: an open file. */
	KEXPECT_EQ(vfs_umount("mnt", 0), -EBUSY);
	KEXPECT_EQ(vfs_unlinkat(AT_FDCWD, "mnt", AT_REMOVEDIR), -EBUSY);
	KEXPECT_EQ(vfs_renameat2(AT_FDCWD, "mnt/big", AT_FDCWD, "big", 0), -EXDEV);
	KEXPECT_EQ(vfs_linkat(AT_FDCWD, "mnt/big", AT_FDCWD, "big", 0), -EXDEV);
	vfs_close(fd);
	/* Busy: a cwd inside. */
	KEXPECT_EQ(vfs_chdir("mnt"), 0);
	KEXPECT_EQ(vfs_umount("../mnt", 0), -EBUSY);
	KEXPECT_EQ(vfs_chdir(".."), 0);
	KEXPECT_EQ(vfs_umount("mnt/big", 0), -EINVAL);		/* not a mount point */
	KEXPECT_EQ(vfs_umount("mnt", 0), 0);
	KEXPECT_EQ(read_file("mnt/hidden", buf, sizeof(buf)), 5);	/* uncovered */
	KEXPECT_EQ(vfs_umount("mnt", 0), -EINVAL);
	KEXPECT_EQ(vfs_umount("/", 0), -EBUSY);
	KEXPECT_EQ(vfs_mount("none", "mnt", "nosuchfs", 0, NULL), -ENODEV);
	KEXPECT_EQ(vfs_mount("none", "marker", "tmpfs", 0, NULL), -ENOTDIR);
	KEXPECT_EQ(vfs_mount("none", "mnt", "tmpfs", 0, "bogus=1"), -EINVAL);
	KEXPECT_EQ(vfs_mount("none", "mnt", "tmpfs", 0, "size=1x"), -EINVAL);
	KEXPECT_EQ(vfs_umount("mnt", 0x100), -EINVAL);
	scratch_end();
}

KTEST(vfs, mount_stacking_lazy_umount_and_readonly)
{
	char buf[16];
	int fd;

	SCRATCH();
	KEXPECT_EQ(vfs_mkdirat(AT_FDCWD, "m", 0755), 0);
	KEXPECT_EQ(vfs_mount("one", "m", "tmpfs", 0, NULL), 0);
	KEXPECT_EQ(write_file("m/which", "one", 0644), 0);
	KEXPECT_EQ(vfs_mount("two", "m", "tmpfs", 0, NULL), 0);
	KEXPECT_EQ(mode_of("m/which"), 0);			/* the top one shows */
	KEXPECT_EQ(write_file("m/which", "two", 0644), 0);
	fd = vfs_openat(AT_FDCWD, "m/which", O_RDONLY, 0);
	KASSERT(fd >= 0);
	/* Lazy: gone from the tree at once, the open file still works. */
	KEXPECT_EQ(vfs_umount("m", MNT_DETACH), 0);
	KEXPECT_EQ(read_file("m/which", buf, sizeof(buf)), 3);
	KEXPECT_STREQ(buf, "one");
	KEXPECT_EQ(vfs_pread(fd, buf, 3, 0), 3);
	KEXPECT(memcmp(buf, "two", 3) == 0);
	vfs_close(fd);
	/* Read-only remount. */
	KEXPECT_EQ(vfs_mount(NULL, "m", NULL, MS_REMOUNT | MS_RDONLY, NULL), 0);
	KEXPECT_EQ(vfs_openat(AT_FDCWD, "m/which", O_WRONLY, 0), -EROFS);
	KEXPECT_EQ(vfs_openat(AT_FDCWD, "m/new", O_WRONLY | O_CREAT, 0644), -EROFS);
	KEXPECT_EQ(vfs_mkdirat(AT_FDCWD, "m/d", 0755), -EROFS);
	KEXPECT_EQ(vfs_unlinkat(AT_FDCWD, "m/which", 0), -EROFS);
	KEXPECT_EQ(vfs_faccessat(AT_FDCWD, "m/which", W_OK, 0), -EROFS);
	KEXPECT_EQ(read_file("m/which", buf, sizeof(buf)), 3);
	KEXPECT_EQ(vfs_mount(NULL, "m", NULL, MS_REMOUNT, NULL), 0);
	KEXPECT_EQ(write_file("m/which", "rw", 0644), 0);
	/* A bind mount shows the same files. */
	KEXPECT_EQ(vfs_mkdirat(AT_FDCWD, "b", 0755), 0);
	KEXPECT_EQ(vfs_mount("m", "b", NULL, MS_BIND, NULL), 0);
	KEXPECT_EQ(read_file("b/which", buf, sizeof(buf)), 2);
	KEXPECT_EQ(vfs_umount("b", 0), 0);
	KEXPECT_EQ(vfs_umount("m", 0), 0);
	scratch_end();
}

KTEST(vfs, negative_dentries_and_pruning)
{
	unsigned int total, unused;
	struct kstat st;
	char name[32];

	SCRATCH();
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "later", &st, 0), -ENOENT);
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "later", &st, 0), -ENOENT);	/* cached miss */
	KEXPECT_EQ(write_file("later", "", 0644), 0);
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "later", &st, 0), 0);
	KEXPECT_EQ(vfs_unlinkat(AT_FDCWD, "later", 0), 0);
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "later", &st, 0), -ENOENT);
	/* Many misses: the cache stays bounded; files are still found after. */
	for (int i = 0; i < 6000; i++) {
		snprintf(name, sizeof(name), "miss-%d", i);
		vfs_fstatat(AT_FDCWD, name, &st, 0);
	}
	dcache_counts(&total, &unused);
	KEXPECT_OP(unused, <=, 4096);
	KEXPECT_EQ(write_file("kept", "k", 0644), 0);
	for (int i = 0; i < 6000; i++) {
		snprintf(name, sizeof(name), "miss2-%d", i);
		vfs_fstatat(AT_FDCWD, name, &st, 0);
	}
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "kept", &st, 0), 0);
	KEXPECT_EQ(st.size, 1);
	scratch_end();
}

KTEST(vfs, unlinked_open_file_frees_space_on_close)
{
	static char chunk[4096];
	struct kstatfs before, during, after;
	int fd;

	SCRATCH();
	KEXPECT_EQ(vfs_mkdirat(AT_FDCWD, "m", 0755), 0);
	KEXPECT_EQ(vfs_mount("none", "m", "tmpfs", 0, "size=1m"), 0);
	KEXPECT_EQ(vfs_statfs("m", &before), 0);
	fd = vfs_openat(AT_FDCWD, "m/f", O_RDWR | O_CREAT, 0644);
	for (int i = 0; i < 10; i++)
		vfs_write(fd, chunk, sizeof(chunk));
	KEXPECT_EQ(vfs_unlinkat(AT_FDCWD, "m/f", 0), 0);
	KEXPECT_EQ(vfs_statfs("m", &during), 0);
	KEXPECT_EQ(before.bfree - during.bfree, 10);
	vfs_close(fd);
	KEXPECT_EQ(vfs_statfs("m", &after), 0);
	KEXPECT_EQ(after.bfree, before.bfree);
	KEXPECT_EQ(after.ffree, before.ffree);
	KEXPECT_EQ(vfs_umount("m", 0), 0);
	scratch_end();
}

KTEST(vfs, mknod_and_special_files)
{
	SCRATCH();
	KEXPECT_EQ(vfs_mknodat(AT_FDCWD, "fifo", S_IFIFO | 0600, 0), 0);
	KEXPECT_EQ(mode_of("fifo"), S_IFIFO | 0600);
	KEXPECT_EQ(vfs_mknodat(AT_FDCWD, "plain", 0644, 0), 0);
	KEXPECT_EQ(mode_of("plain"), S_IFREG | 0644);
	KEXPECT_EQ(vfs_mknodat(AT_FDCWD, "dir", S_IFDIR | 0755, 0), -EPERM);
	KEXPECT_EQ(vfs_mknodat(AT_FDCWD, "bad", 0170000 | 0644, 0), -EINVAL);
	KEXPECT_EQ(vfs_mknodat(AT_FDCWD, "nodev", S_IFCHR | 0600, MKDEV(240, 7)), 0);
	{
		struct kstat st;

		KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "nodev", &st, 0), 0);
		KEXPECT_EQ(st.rdev, MKDEV(240, 7));
	}
	KEXPECT_EQ(vfs_openat(AT_FDCWD, "nodev", O_RDONLY, 0), -ENXIO);
	scratch_end();
}

static void
chroot_body(void *unused)
{
	char buf[128];

	KASSERT(unshare_fs() == 0);
	SCRATCH();
	KEXPECT_EQ(vfs_mkdirat(AT_FDCWD, "jail", 0755), 0);
	KEXPECT_EQ(vfs_mkdirat(AT_FDCWD, "jail/in", 0755), 0);
	KEXPECT_EQ(write_file("outside", "o", 0644), 0);
	KEXPECT_EQ(vfs_chdir("jail/in"), 0);
	KEXPECT(vfs_getcwd(buf, sizeof(buf)) > 0);
	KEXPECT(contains(buf, "/jail/in"));
	KEXPECT_EQ(vfs_chroot(".."), 0);
	KEXPECT_EQ(vfs_getcwd(buf, sizeof(buf)), 4);
	KEXPECT_STREQ(buf, "/in");
	KEXPECT_EQ(mode_of("/../../outside"), 0);		/* ".." stops at the new root */
	KEXPECT_EQ(mode_of("/in"), S_IFDIR | 0755);
	KEXPECT_EQ(vfs_chdir("/nope"), -ENOENT);
	KEXPECT_EQ(vfs_chdir("/in/.."), 0);
	KEXPECT_EQ(vfs_getcwd(buf, sizeof(buf)), 2);
	KEXPECT_EQ(vfs_umask(077), 022);
	KEXPECT_EQ(vfs_mkdirat(AT_FDCWD, "masked", 0777), 0);
	KEXPECT_EQ(mode_of("masked"), S_IFDIR | 0700);
	KEXPECT_EQ(vfs_umask(022), 077);
}

KTEST(vfs, chdir_chroot_getcwd)
{
	char buf[16];

	run_in_thread(chroot_body, NULL);
	KEXPECT_EQ(vfs_getcwd(buf, sizeof(buf)), 2);		/* ours is untouched */
	KEXPECT_EQ(mode_of("/ktest-vfs"), S_IFDIR | 0755);
}

/* All CPUs at once, exact counts afterwards. */
#define STRESS_FILES	200

struct stress_arg {
	unsigned int cpu;
	int created, removed, appended;
};

static void
stress_body(void *p)
{
	struct stress_arg *a = p;
	char name[48];

	for (int i = 0; i < STRESS_FILES; i++) {
		int fd;

		snprintf(name, sizeof(name), "/ktest-vfs/stress/c%u-%d", a->cpu, i);
		fd = vfs_openat(AT_FDCWD, name, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd >= 0) {
			a->created++;
			vfs_close(fd);
		}
		/* The shared log: O_APPEND writes never overlap. */
		fd = vfs_openat(AT_FDCWD, "/ktest-vfs/stress/log", O_WRONLY | O_APPEND, 0);
		if (fd >= 0) {
			if (vfs_write(fd, "0123456789abcdef", 16) == 16)
				a->appended++;
			vfs_close(fd);
		}
		/* Rename every other file into a shared directory, then remove it. */
		if (i % 2 == 0) {
			char to[48];

			snprintf(to, sizeof(to), "/ktest-vfs/stress/sub/m%u-%d", a->cpu, i);
			if (vfs_renameat2(AT_FDCWD, name, AT_FDCWD, to, 0) == 0 &&
			    vfs_unlinkat(AT_FDCWD, to, 0) == 0)
				a->removed++;
		}
	}
}

KTEST(vfs, smp_create_append_rename_stress)
{
	static struct stress_arg args[CONFIG_NR_CPUS];
	struct thread *t[CONFIG_NR_CPUS];
	unsigned int n = nr_cpus_online(), entries = 0;
	struct kstat st;
	char *buf = kmalloc(4096);
	ssize_t got;
	int fd;

	KASSERT(buf);
	vfs_mkdirat(AT_FDCWD, "/ktest-vfs", 0755);
	KASSERT(vfs_mkdirat(AT_FDCWD, "/ktest-vfs/stress", 0755) == 0);
	KASSERT(vfs_mkdirat(AT_FDCWD, "/ktest-vfs/stress/sub", 0755) == 0);
	KASSERT(write_file("/ktest-vfs/stress/log", "", 0644) == 0);
	for (unsigned int i = 0; i < n; i++) {
		args[i] = (struct stress_arg){ .cpu = i };
		t[i] = thread_create_on("vfs-stress", stress_body, &args[i], THREAD_PRIO_DEFAULT, 0,
					cpumask_of(i));
		KASSERT(t[i]);
	}
	for (unsigned int i = 0; i < n; i++)
		thread_join(t[i]);
	for (unsigned int i = 0; i < n; i++) {
		KEXPECT_EQ(args[i].created, STRESS_FILES);
		KEXPECT_EQ(args[i].appended, STRESS_FILES);
		KEXPECT_EQ(args[i].removed, STRESS_FILES / 2);
	}
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "/ktest-vfs/stress/log", &st, 0), 0);
	KEXPECT_EQ(st.size, (loff_t)n * STRESS_FILES * 16);
	KEXPECT_EQ(nlink_of("/ktest-vfs/stress/sub"), 2);
	fd = vfs_openat(AT_FDCWD, "/ktest-vfs/stress", O_RDONLY | O_DIRECTORY, 0);
	KASSERT(fd >= 0);
	while ((got = vfs_getdents64(fd, buf, 4096)) > 0)
		for (ssize_t off = 0; off < got; entries++) {
			uint16_t reclen;

			memcpy(&reclen, buf + off + 16, 2);
			off += reclen;
		}
	vfs_close(fd);
	/* ".", "..", log, sub and the odd-numbered files of every CPU. */
	KEXPECT_EQ(entries, 4 + n * STRESS_FILES / 2);
	kfree(buf);
}

KTEST(vfs, poll_ioctl_fsync_on_files)
{
	int fd;

	SCRATCH();
	fd = vfs_openat(AT_FDCWD, "f", O_RDWR | O_CREAT, 0644);
	KASSERT(fd >= 0);
	KEXPECT_EQ(vfs_poll(fd, NULL), POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM);
	KEXPECT_EQ(vfs_ioctl(fd, 0x5401 /* TCGETS */, 0), -ENOTTY);	/* not a tty */
	KEXPECT_EQ(vfs_fsync(fd), 0);
	vfs_close(fd);
	KEXPECT_EQ(vfs_poll(fd, NULL), POLLNVAL);
	KEXPECT_EQ(vfs_fsync(fd), -EBADF);
	KEXPECT_EQ(vfs_ioctl(fd, 0x5401, 0), -EBADF);
	scratch_end();
}
