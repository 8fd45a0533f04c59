/*
 * The VFS and tmpfs on the host, unchanged, under ASan and UBSan: the
 * path walk (absolute, relative, dirfd, "." and "..", mount crossings,
 * chroot, trailing slashes, symlinks and their limits, name and path
 * limits, empty paths, search permission), the dentry cache (negative
 * entries, unlink, unlinked open files, rename and exchange, the bound on
 * unused entries), umount freeing everything, every allocation failing
 * in turn, failed opens, the inode locks rename takes, and threads racing
 * in one directory and moving directories between shared parents.
 *
 * The kernel runs over the scheduler's host port (ucontext threads, a
 * fake clock), so its mutexes, spinlocks, lock-order checks and
 * credentials are the real ones.  The test body is the boot thread; the
 * racing threads are preempted inside the VFS by timer interrupts that
 * host_kmalloc_hook delivers at allocations.  Each test mounts a tmpfs
 * of its own on /mnt, works there (the cwd) and unmounts it; end() then
 * checks that every allocation, page and dentry the test made is gone,
 * and asks LeakSanitizer for unreachable blocks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "host_test.h"
#include "host_sched.h"
#include "vfs_host.h"

#include <arch/cpu.h>
#include <kernel/cred.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/thread.h>
#include <kernel/vfs.h>
#include "../../internal.h"

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_LSAN	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_LSAN	1
#endif
#endif
#ifdef HAVE_LSAN
#include <sanitizer/lsan_interface.h>
#endif

#define MNT	"/mnt"

#define CHECK_EQ(a, b) do {						\
	long long a_ = (long long)(a), b_ = (long long)(b);		\
	if (a_ != b_) {							\
		char m_[256];						\
		snprintf(m_, sizeof(m_), "%s == %s: %lld != %lld", #a, #b, a_, b_); \
		host_test_fail(__FILE__, __LINE__, m_);			\
	}								\
} while (0)

/* ---- the test's world ---- */

static struct {
	unsigned long live, pages;
	unsigned int dentries;
} base;

static void
boot(void)
{
	static bool booted;

	if (booted)
		return;
	booted = true;
	host_sched_boot();
	host_console_start();
	vfs_init();
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, MNT, 0755), 0);
	/* The fd table's first 16 slots, which stay: part of the baseline. */
	CHECK_EQ(vfs_close(vfs_openat(AT_FDCWD, "/", O_RDONLY, 0)), 0);
}

/* A fresh tmpfs on /mnt as the cwd; what exists now is the baseline. */
static void
begin(void)
{
	unsigned int unused;

	boot();
	base.live = host_kmalloc_live();
	base.pages = host_pages_live();
	dcache_counts(&base.dentries, &unused);
	CHECK_EQ(vfs_mount("none", MNT, "tmpfs", 0, NULL), 0);
	CHECK_EQ(vfs_chdir(MNT), 0);
}

/* Unmount it: every allocation, page and dentry since begin() is gone. */
static void
end(void)
{
	unsigned int total, unused;

	CHECK(thread_current()->mutexes_held == 0);
	CHECK(thread_current()->locks_held == 0);
	CHECK_EQ(vfs_chdir("/"), 0);
	CHECK_EQ(vfs_umount(MNT, 0), 0);
	dcache_counts(&total, &unused);
	CHECK_EQ(total, base.dentries);
	CHECK_EQ(host_kmalloc_live(), base.live);
	CHECK_EQ(host_pages_live(), base.pages);
	CHECK_EQ(host_console_count("still in use"), 0);
#ifdef HAVE_LSAN
	CHECK_EQ(__lsan_do_recoverable_leak_check(), 0);
#endif
}

/* ---- helpers ---- */

static int
stat_at(int dirfd, const char *path, int flags, struct kstat *st)
{
	return vfs_fstatat(dirfd, path, st, flags);
}

/* The mode of path (following symlinks unless nofollow), or -errno. */
static long
mode_at(int dirfd, const char *path, int flags)
{
	struct kstat st;
	int err = stat_at(dirfd, path, flags, &st);

	return err ? err : (long)st.mode;
}

static long
mode_of(const char *path)
{
	return mode_at(AT_FDCWD, path, 0);
}

static long
lmode_of(const char *path)
{
	return mode_at(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW);
}

static long long
ino_of(const char *path)
{
	struct kstat st;
	int err = stat_at(AT_FDCWD, path, 0, &st);

	return err ? err : (long long)st.ino;
}

static long long
dev_of(const char *path)
{
	struct kstat st;
	int err = stat_at(AT_FDCWD, path, 0, &st);

	return err ? err : (long long)st.dev;
}

static long
nlink_of(const char *path)
{
	struct kstat st;
	int err = stat_at(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, &st);

	return err ? err : (long)st.nlink;
}

static int
write_file(const char *path, const char *text)
{
	int fd = vfs_openat(AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ssize_t n;

	if (fd < 0)
		return fd;
	n = vfs_write(fd, text, strlen(text));
	vfs_close(fd);
	return n == (ssize_t)strlen(text) ? 0 : (n < 0 ? (int)n : -EIO);
}

/* The file's text into buf (NUL-terminated); its length or -errno. */
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

static bool
has_text(const char *path, const char *text)
{
	char buf[256];

	return read_file(path, buf, sizeof(buf)) == (ssize_t)strlen(text) &&
	       strcmp(buf, text) == 0;
}

static struct qstr
qstr_of(const char *name)
{
	struct qstr q = { name, (uint32_t)strlen(name), 0 };

	q.hash = name_hash(name, q.len);
	return q;
}

/* The directory dir's dentry (referenced), through the real walk. */
static struct dentry *
dir_dentry(const char *dir, struct path *p)
{
	if (path_lookupat(AT_FDCWD, dir, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, p))
		return NULL;
	return p->dentry;
}

/*
 * The cached entry name in directory dir as the dentry cache has it now
 * (no lookup in the file system): referenced, or NULL.
 */
static struct dentry *
cached(const char *dir, const char *name)
{
	struct qstr q = qstr_of(name);
	struct path p;
	struct dentry *d;

	if (!dir_dentry(dir, &p))
		return NULL;
	d = d_lookup(p.dentry, &q);
	path_put(&p);
	return d;
}

/* The entries of dir as getdents64 lists them (without "." and ".."). */
#define LISTING_MAX	1024

struct listing {
	unsigned int n;
	char names[LISTING_MAX][NAME_MAX + 1];
};

static int
list_dir(const char *dir, struct listing *l)
{
	static char buf[8192];
	int fd = vfs_openat(AT_FDCWD, dir, O_RDONLY | O_DIRECTORY, 0);
	ssize_t n;

	l->n = 0;
	if (fd < 0)
		return fd;
	while ((n = vfs_getdents64(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off < n;) {
			uint16_t reclen;
			const char *name = buf + off + 19;

			memcpy(&reclen, buf + off + 16, sizeof(reclen));
			if (strcmp(name, ".") && strcmp(name, "..") && l->n < LISTING_MAX) {
				size_t len = strnlen(name, NAME_MAX);

				memcpy(l->names[l->n], name, len);
				l->names[l->n++][len] = '\0';
			}
			off += reclen;
		}
	}
	vfs_close(fd);
	return n < 0 ? (int)n : (int)l->n;
}

static bool
listed(const struct listing *l, const char *name)
{
	for (unsigned int i = 0; i < l->n; i++)
		if (strcmp(l->names[i], name) == 0)
			return true;
	return false;
}

/* Run fn(arg) in a thread of its own (for unshare_fs and chroot) and wait. */
static void
run_in_thread(void (*fn)(void *), void *arg)
{
	struct thread *t = thread_create("vfs-host", fn, arg, THREAD_PRIO_DEFAULT, 0);

	CHECK(t != NULL);
	if (t)
		thread_join(t);
}

/* Act as uid/gid (fs ids too) until as_root(). */
static const struct cred *saved_cred;

static void
as_user(uid_t uid, gid_t gid)
{
	struct cred *c = cred_prepare();

	CHECK(c != NULL);
	if (!c)
		return;
	c->uid = c->euid = c->suid = c->fsuid = uid;
	c->gid = c->egid = c->sgid = c->fsgid = gid;
	c->ngroups = 0;
	saved_cred = get_cred(current_cred());
	cred_commit(c);
}

static void
as_root(void)
{
	cred_commit((struct cred *)saved_cred);
	saved_cred = NULL;
}

/* ---- path walk ---- */

HOST_TEST(walk_absolute_relative_and_dirfd)
{
	long long ino;
	int dfd, ffd;

	begin();
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "a", 0755), 0);
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "a/b", 0755), 0);
	CHECK_EQ(write_file("a/b/f", "x"), 0);
	ino = ino_of("a/b/f");
	CHECK(ino > 0);
	CHECK_EQ(ino_of("/mnt/a/b/f"), ino);
	CHECK_EQ(ino_of("//mnt///a//b/f"), ino);
	dfd = vfs_openat(AT_FDCWD, "a", O_RDONLY | O_DIRECTORY, 0);
	CHECK(dfd >= 0);
	{
		struct kstat st;

		CHECK_EQ(stat_at(dfd, "b/f", 0, &st), 0);
		CHECK_EQ(st.ino, ino);
		/* An absolute path ignores dirfd, even a bad one. */
		CHECK_EQ(stat_at(dfd, "/mnt/a/b/f", 0, &st), 0);
		CHECK_EQ(stat_at(12345, "/mnt/a/b/f", 0, &st), 0);
		CHECK_EQ(stat_at(12345, "b/f", 0, &st), -EBADF);
		CHECK_EQ(stat_at(-1, "b/f", 0, &st), -EBADF);
		/* A file as dirfd: ENOTDIR for a relative path. */
		ffd = vfs_openat(dfd, "b/f", O_RDONLY, 0);
		CHECK(ffd >= 0);
		CHECK_EQ(stat_at(ffd, "x", 0, &st), -ENOTDIR);
		CHECK_EQ(vfs_openat(ffd, "x", O_RDWR | O_CREAT, 0644), -ENOTDIR);
		vfs_close(ffd);
		/* Created relative to dirfd, found from everywhere. */
		ffd = vfs_openat(dfd, "b/g", O_RDWR | O_CREAT | O_EXCL, 0600);
		CHECK(ffd >= 0);
		vfs_close(ffd);
		CHECK_EQ(lmode_of("/mnt/a/b/g"), S_IFREG | 0600);
		/* The dirfd stays valid when the cwd moves. */
		CHECK_EQ(vfs_chdir("a/b"), 0);
		CHECK_EQ(ino_of("f"), ino);
		CHECK_EQ(ino_of("../b/f"), ino);
		CHECK_EQ(stat_at(dfd, "b/f", 0, &st), 0);
		CHECK_EQ(st.ino, ino);
		CHECK_EQ(vfs_chdir(MNT), 0);
	}
	vfs_close(dfd);
	CHECK_EQ(ino_of("a/missing/f"), -ENOENT);
	CHECK_EQ(ino_of("a/b/f/g"), -ENOTDIR);
	end();
}

HOST_TEST(walk_dot_and_dotdot)
{
	char buf[128];
	long long root_ino, a_ino;

	begin();
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "a", 0755), 0);
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "a/b", 0755), 0);
	CHECK_EQ(write_file("a/b/f", "x"), 0);
	root_ino = ino_of(".");
	a_ino = ino_of("a");
	CHECK_EQ(ino_of("a/./b/../b/./f"), ino_of("a/b/f"));
	CHECK_EQ(ino_of("a/b/.."), a_ino);
	CHECK_EQ(ino_of("a/b/../.."), root_ino);
	CHECK_EQ(ino_of("./a/../a/."), a_ino);
	CHECK_EQ(ino_of("a/b/f/.."), -ENOTDIR);
	CHECK_EQ(ino_of("a/b/f/."), -ENOTDIR);
	CHECK_EQ(vfs_openat(AT_FDCWD, "a/b/f/.", O_RDONLY, 0), -ENOTDIR);
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "a/.", 0755), -EEXIST);
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "a/..", 0755), -EEXIST);
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "a/b/.", AT_REMOVEDIR), -EINVAL);
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "a/b/..", AT_REMOVEDIR), -ENOTEMPTY);
	/* ".." at the root of the tree stays there. */
	CHECK_EQ(vfs_chdir("/"), 0);
	CHECK_EQ(ino_of(".."), ino_of("/"));
	CHECK_EQ(ino_of("/../../.."), ino_of("/"));
	CHECK_EQ(ino_of("/../mnt/../../mnt/a"), a_ino);
	CHECK_EQ(vfs_chdir("../../mnt/a/b/../.."), 0);
	CHECK_EQ(vfs_getcwd(buf, sizeof(buf)), 5);
	CHECK_STREQ(buf, "/mnt");
	end();
}

struct jail_args {
	long long jail_ino, a_ino, f_ino;
};

static void
jail_body(void *arg)
{
	struct jail_args *j = arg;
	char buf[64];

	CHECK_EQ(unshare_fs(), 0);
	CHECK_EQ(vfs_chroot("/mnt/jail"), 0);
	CHECK_EQ(vfs_chdir("/"), 0);
	/* ".." at a chroot stays inside, however often, from "/" and below. */
	CHECK_EQ(ino_of("/"), j->jail_ino);
	CHECK_EQ(ino_of(".."), j->jail_ino);
	CHECK_EQ(ino_of("/../../.."), j->jail_ino);
	CHECK_EQ(ino_of("a/../../../a"), j->a_ino);
	CHECK_EQ(ino_of("/a/../../a/f"), j->f_ino);
	CHECK_EQ(ino_of("/mnt"), -ENOENT);
	/* Absolute symlinks resolve from the chroot. */
	CHECK_EQ(ino_of("abs"), j->f_ino);
	CHECK_EQ(ino_of("dotdots"), j->a_ino);
	CHECK_EQ(vfs_chdir("a"), 0);
	CHECK_EQ(vfs_getcwd(buf, sizeof(buf)), 3);
	CHECK_STREQ(buf, "/a");
}

HOST_TEST(walk_dotdot_stays_in_chroot)
{
	struct jail_args j;

	begin();
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "jail", 0755), 0);
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "jail/a", 0755), 0);
	CHECK_EQ(write_file("jail/a/f", "f"), 0);
	CHECK_EQ(vfs_symlinkat("/a/f", AT_FDCWD, "jail/abs"), 0);
	CHECK_EQ(vfs_symlinkat("../../../../a", AT_FDCWD, "jail/dotdots"), 0);
	j.jail_ino = ino_of("jail");
	j.a_ino = ino_of("jail/a");
	j.f_ino = ino_of("jail/a/f");
	run_in_thread(jail_body, &j);
	end();
}

HOST_TEST(walk_dotdot_across_mount_points)
{
	char buf[128];
	long long outer_dev, inner_dev, top_ino, mnt_ino;

	begin();
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "m", 0755), 0);
	CHECK_EQ(write_file("outer", "outer"), 0);
	CHECK_EQ(write_file("m/under", "hidden"), 0);	/* covered by the mount */
	mnt_ino = ino_of(".");
	outer_dev = dev_of(".");
	CHECK_EQ(vfs_mount("none", "m", "tmpfs", 0, "mode=0750"), 0);
	inner_dev = dev_of("m");
	CHECK(inner_dev != outer_dev);
	CHECK_EQ(lmode_of("m"), S_IFDIR | 0750);		/* the mounted root */
	CHECK_EQ(ino_of("m/under"), -ENOENT);
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "m/inner", 0755), 0);
	CHECK_EQ(write_file("m/inner/file", "inner"), 0);
	CHECK_EQ(dev_of("m/inner/file"), inner_dev);
	/* Down and back up: ".." of the mounted root is the directory's parent. */
	CHECK_EQ(ino_of("m/.."), mnt_ino);
	CHECK_EQ(dev_of("m/.."), outer_dev);
	CHECK(has_text("m/../outer", "outer"));
	CHECK(has_text("m/inner/../../outer", "outer"));
	CHECK(has_text("m/inner/../../m/inner/file", "inner"));
	/* From a cwd inside the mount. */
	CHECK_EQ(vfs_chdir("m/inner"), 0);
	CHECK_EQ(vfs_getcwd(buf, sizeof(buf)), 13);
	CHECK_STREQ(buf, "/mnt/m/inner");
	CHECK(has_text("../../outer", "outer"));
	CHECK_EQ(dev_of(".."), inner_dev);
	CHECK_EQ(dev_of("../.."), outer_dev);
	CHECK_EQ(ino_of("../.."), mnt_ino);
	CHECK_EQ(vfs_umount("/mnt/m", 0), -EBUSY);		/* our cwd is in it */
	CHECK_EQ(vfs_chdir("../.."), 0);
	CHECK_EQ(vfs_getcwd(buf, sizeof(buf)), 5);
	CHECK_STREQ(buf, "/mnt");
	/* A second mount stacked on the first: walks see the top one. */
	CHECK_EQ(vfs_mount("none", "m", "tmpfs", 0, NULL), 0);
	top_ino = ino_of("m");
	CHECK(dev_of("m") != inner_dev);
	CHECK_EQ(ino_of("m/inner"), -ENOENT);
	CHECK_EQ(ino_of("m/.."), mnt_ino);
	CHECK_EQ(dev_of("m/.."), outer_dev);
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "m/top", 0755), 0);
	CHECK_EQ(ino_of("m/top/../.."), mnt_ino);
	CHECK_EQ(vfs_chdir("m/top"), 0);
	CHECK_EQ(vfs_getcwd(buf, sizeof(buf)), 11);
	CHECK_STREQ(buf, "/mnt/m/top");
	CHECK_EQ(vfs_chdir("../.."), 0);
	CHECK_EQ(vfs_umount("m", 0), 0);			/* the top one */
	CHECK(top_ino != 0);
	CHECK(has_text("m/inner/file", "inner"));
	/* The parent cannot go while a mount sits below it. */
	CHECK_EQ(vfs_chdir("/"), 0);
	CHECK_EQ(vfs_umount(MNT, 0), -EBUSY);
	CHECK_EQ(vfs_chdir(MNT), 0);
	CHECK_EQ(vfs_umount("m", 0), 0);
	CHECK(has_text("m/under", "hidden"));
	end();
}

HOST_TEST(walk_trailing_slashes)
{
	int fd;

	begin();
	CHECK_EQ(write_file("f", "file"), 0);
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "d", 0755), 0);
	CHECK_EQ(vfs_symlinkat("d", AT_FDCWD, "ld"), 0);
	CHECK_EQ(vfs_symlinkat("f", AT_FDCWD, "lf"), 0);
	CHECK_EQ(vfs_symlinkat("nowhere", AT_FDCWD, "dangling"), 0);
	/* On files: ENOTDIR; on directories: fine, however many. */
	CHECK_EQ(mode_of("f/"), -ENOTDIR);
	CHECK_EQ(mode_of("f//"), -ENOTDIR);
	CHECK_EQ(lmode_of("f/"), -ENOTDIR);
	CHECK_EQ(mode_of("d/"), S_IFDIR | 0755);
	CHECK_EQ(mode_of("d///"), S_IFDIR | 0755);
	CHECK_EQ(mode_of("/mnt/d/"), S_IFDIR | 0755);
	CHECK_EQ(vfs_openat(AT_FDCWD, "f/", O_RDONLY, 0), -ENOTDIR);
	fd = vfs_openat(AT_FDCWD, "d/", O_RDONLY, 0);
	CHECK(fd >= 0);
	vfs_close(fd);
	/* A trailing slash follows a symlink, even with nofollow flags. */
	CHECK_EQ(lmode_of("ld"), S_IFLNK | 0777);
	CHECK_EQ(lmode_of("ld/"), S_IFDIR | 0755);
	CHECK_EQ(mode_of("ld/"), S_IFDIR | 0755);
	fd = vfs_openat(AT_FDCWD, "ld/", O_RDONLY | O_NOFOLLOW, 0);
	CHECK(fd >= 0);
	vfs_close(fd);
	/* ... and what it reaches must be a directory. */
	CHECK_EQ(mode_of("lf/"), -ENOTDIR);
	CHECK_EQ(lmode_of("lf/"), -ENOTDIR);
	CHECK_EQ(vfs_openat(AT_FDCWD, "lf/", O_RDONLY, 0), -ENOTDIR);
	CHECK_EQ(vfs_openat(AT_FDCWD, "lf/", O_RDONLY | O_PATH, 0), -ENOTDIR);
	CHECK_EQ(mode_of("dangling/"), -ENOENT);
	/* Through chains of links, and slashes inside targets. */
	CHECK_EQ(vfs_symlinkat("ld", AT_FDCWD, "ldd"), 0);
	CHECK_EQ(vfs_symlinkat("lf", AT_FDCWD, "lff"), 0);
	CHECK_EQ(vfs_symlinkat("f/", AT_FDCWD, "fslash"), 0);
	CHECK_EQ(vfs_symlinkat("d/", AT_FDCWD, "dslash"), 0);
	CHECK_EQ(lmode_of("ldd/"), S_IFDIR | 0755);
	CHECK_EQ(lmode_of("lff/"), -ENOTDIR);
	CHECK_EQ(vfs_openat(AT_FDCWD, "lff/", O_RDONLY | O_NOFOLLOW, 0), -ENOTDIR);
	CHECK_EQ(mode_of("fslash"), -ENOTDIR);
	CHECK_EQ(lmode_of("fslash"), S_IFLNK | 0777);
	CHECK_EQ(vfs_openat(AT_FDCWD, "fslash", O_RDONLY, 0), -ENOTDIR);
	CHECK_EQ(mode_of("dslash"), S_IFDIR | 0755);
	CHECK_EQ(mode_of("dslash/"), S_IFDIR | 0755);
	/* Creating with a slash: only directories. */
	CHECK_EQ(vfs_openat(AT_FDCWD, "new/", O_RDWR | O_CREAT, 0644), -EISDIR);
	CHECK_EQ(vfs_openat(AT_FDCWD, "dangling/", O_RDWR | O_CREAT, 0644), -EISDIR);
	CHECK_EQ(mode_of("nowhere"), -ENOENT);
	CHECK_EQ(vfs_mknodat(AT_FDCWD, "node/", S_IFREG | 0644, 0), -ENOENT);
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "newdir/", 0755), 0);
	CHECK_EQ(mode_of("newdir"), S_IFDIR | 0755);
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "ld/", 0755), -EEXIST);
	/* Removing and renaming with a slash. */
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "f/", 0), -ENOTDIR);
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "d/", 0), -EISDIR);
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "lf/", 0), -ENOTDIR);
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "ld/", AT_REMOVEDIR), -ENOTDIR);
	CHECK_EQ(vfs_renameat2(AT_FDCWD, "f", AT_FDCWD, "g/", 0), -ENOTDIR);
	CHECK_EQ(vfs_renameat2(AT_FDCWD, "f/", AT_FDCWD, "g", 0), -ENOTDIR);
	CHECK_EQ(vfs_renameat2(AT_FDCWD, "newdir/", AT_FDCWD, "moved/", 0), 0);
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "moved/", AT_REMOVEDIR), 0);
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "d//", AT_REMOVEDIR), 0);
	CHECK(has_text("f", "file"));
	end();
}

HOST_TEST(walk_symlinks)
{
	char buf[64];
	int fd;

	begin();
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "dir", 0755), 0);
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "dir/sub", 0755), 0);
	CHECK_EQ(write_file("dir/file", "in dir"), 0);
	CHECK_EQ(vfs_symlinkat("dir", AT_FDCWD, "rel"), 0);
	CHECK_EQ(vfs_symlinkat("/mnt/dir/file", AT_FDCWD, "abs"), 0);
	CHECK_EQ(vfs_symlinkat("rel/file", AT_FDCWD, "chain"), 0);
	CHECK_EQ(vfs_symlinkat("chain", AT_FDCWD, "chain2"), 0);
	/* A relative target resolves from the link's directory. */
	CHECK_EQ(vfs_symlinkat("../file", AT_FDCWD, "dir/sub/up"), 0);
	CHECK_EQ(vfs_symlinkat("..", AT_FDCWD, "dir/sub/parent"), 0);
	CHECK_EQ(vfs_symlinkat("/", AT_FDCWD, "dir/root"), 0);
	CHECK(has_text("rel/file", "in dir"));
	CHECK(has_text("abs", "in dir"));
	CHECK(has_text("chain", "in dir"));
	CHECK(has_text("chain2", "in dir"));
	CHECK(has_text("dir/sub/up", "in dir"));
	CHECK(has_text("rel/sub/up", "in dir"));
	CHECK(has_text("rel/sub/parent/sub/parent/file", "in dir"));
	CHECK(has_text("dir/root/mnt/chain2", "in dir"));
	CHECK_EQ(ino_of("rel/sub/parent/.."), ino_of("."));
	CHECK_EQ(lmode_of("chain2"), S_IFLNK | 0777);
	CHECK_EQ(mode_of("chain2"), S_IFREG | 0644);
	CHECK_EQ(vfs_readlinkat(AT_FDCWD, "chain2", buf, sizeof(buf)), 5);
	CHECK_EQ(memcmp(buf, "chain", 5), 0);
	/* O_NOFOLLOW refuses a final symlink only. */
	CHECK_EQ(vfs_openat(AT_FDCWD, "chain", O_RDONLY | O_NOFOLLOW, 0), -ELOOP);
	CHECK_EQ(vfs_openat(AT_FDCWD, "chain", O_RDWR | O_CREAT | O_NOFOLLOW, 0644), -ELOOP);
	fd = vfs_openat(AT_FDCWD, "rel/file", O_RDONLY | O_NOFOLLOW, 0);
	CHECK(fd >= 0);
	vfs_close(fd);
	fd = vfs_openat(AT_FDCWD, "chain", O_PATH | O_NOFOLLOW, 0);
	CHECK(fd >= 0);
	CHECK_EQ(vfs_readlinkat(fd, "", buf, sizeof(buf)), 8);
	CHECK_EQ(mode_at(fd, "", AT_EMPTY_PATH), S_IFLNK | 0777);
	vfs_close(fd);
	/* Dangling: ENOENT, but O_CREAT makes the target (relative or absolute). */
	CHECK_EQ(vfs_symlinkat("made", AT_FDCWD, "dir/dangling"), 0);
	CHECK_EQ(vfs_symlinkat("/mnt/dir/made-abs", AT_FDCWD, "dangling-abs"), 0);
	CHECK_EQ(vfs_symlinkat("nowhere/x", AT_FDCWD, "dangling-deep"), 0);
	CHECK_EQ(mode_of("dir/dangling"), -ENOENT);
	CHECK_EQ(lmode_of("dir/dangling"), S_IFLNK | 0777);
	CHECK_EQ(vfs_openat(AT_FDCWD, "dir/dangling", O_RDONLY, 0), -ENOENT);
	CHECK_EQ(vfs_openat(AT_FDCWD, "dir/dangling", O_RDWR | O_CREAT | O_EXCL, 0600), -EEXIST);
	CHECK_EQ(mode_of("dir/made"), -ENOENT);
	fd = vfs_openat(AT_FDCWD, "rel/dangling", O_RDWR | O_CREAT, 0600);
	CHECK(fd >= 0);
	CHECK_EQ(vfs_write(fd, "made", 4), 4);
	vfs_close(fd);
	CHECK_EQ(lmode_of("dir/made"), S_IFREG | 0600);
	CHECK(has_text("dir/dangling", "made"));
	fd = vfs_openat(AT_FDCWD, "dangling-abs", O_WRONLY | O_CREAT, 0640);
	CHECK(fd >= 0);
	vfs_close(fd);
	CHECK_EQ(lmode_of("dir/made-abs"), S_IFREG | 0640);
	CHECK_EQ(vfs_openat(AT_FDCWD, "dangling-deep", O_RDWR | O_CREAT, 0644), -ENOENT);
	/* Links to nothing useful. */
	CHECK_EQ(vfs_symlinkat("", AT_FDCWD, "empty"), -ENOENT);
	CHECK_EQ(vfs_symlinkat("x", AT_FDCWD, "rel"), -EEXIST);
	CHECK_EQ(vfs_symlinkat("f", AT_FDCWD, "dir/file/x"), -ENOTDIR);
	CHECK_EQ(vfs_symlinkat("dir/file", AT_FDCWD, "tofile"), 0);
	CHECK_EQ(mode_of("tofile/x"), -ENOTDIR);
	CHECK_EQ(mode_of("tofile/."), -ENOTDIR);
	end();
}

HOST_TEST(walk_symlink_limits_and_loops)
{
	char name[16], target[16];
	int fd;

	begin();
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "dir", 0755), 0);
	CHECK_EQ(write_file("dir/file", "end"), 0);
	/* l0 -> l1 -> ... -> l40 -> dir: 41 links from l0, 40 from l1. */
	for (int i = 0; i <= 40; i++) {
		snprintf(name, sizeof(name), "l%d", i);
		if (i == 40)
			snprintf(target, sizeof(target), "dir");
		else
			snprintf(target, sizeof(target), "l%d", i + 1);
		CHECK_EQ(vfs_symlinkat(target, AT_FDCWD, name), 0);
	}
	CHECK_EQ(mode_of("l1"), S_IFDIR | 0755);
	CHECK(has_text("l1/file", "end"));
	fd = vfs_openat(AT_FDCWD, "l1/file", O_RDWR | O_CREAT, 0644);
	CHECK(fd >= 0);
	vfs_close(fd);
	CHECK_EQ(mode_of("l0"), -ELOOP);
	CHECK_EQ(mode_of("l0/file"), -ELOOP);
	CHECK_EQ(mode_of("l0/"), -ELOOP);
	CHECK_EQ(lmode_of("l0"), S_IFLNK | 0777);
	CHECK_EQ(vfs_openat(AT_FDCWD, "l0/file", O_RDONLY, 0), -ELOOP);
	CHECK_EQ(vfs_openat(AT_FDCWD, "l0/new", O_RDWR | O_CREAT, 0644), -ELOOP);
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "l0/new", 0755), -ELOOP);
	CHECK_EQ(vfs_chdir("l0"), -ELOOP);
	/* The count is per walk: two 20-link chains in one path are 40. */
	CHECK(has_text("l21/../l21/file", "end"));
	CHECK_EQ(mode_of("l20/../l21/file"), -ELOOP);
	/*
	 * Nested: n<i> -> "n<i+1>/." suspends one more string per link; 40
	 * nested links resolve, 41 do not.
	 */
	for (int i = 0; i <= 40; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		if (i == 40)
			snprintf(target, sizeof(target), "dir/.");
		else
			snprintf(target, sizeof(target), "n%d/.", i + 1);
		CHECK_EQ(vfs_symlinkat(target, AT_FDCWD, name), 0);
	}
	CHECK(has_text("n1/file", "end"));
	CHECK_EQ(mode_of("n0/file"), -ELOOP);
	/* Loops. */
	CHECK_EQ(vfs_symlinkat("self", AT_FDCWD, "self"), 0);
	CHECK_EQ(vfs_symlinkat("loop-b", AT_FDCWD, "loop-a"), 0);
	CHECK_EQ(vfs_symlinkat("./loop-a/", AT_FDCWD, "loop-b"), 0);
	CHECK_EQ(vfs_symlinkat("/mnt/up/dir", AT_FDCWD, "up"), 0);	/* up -> up/dir */
	CHECK_EQ(mode_of("self"), -ELOOP);
	CHECK_EQ(mode_of("loop-a"), -ELOOP);
	CHECK_EQ(mode_of("loop-a/x"), -ELOOP);
	CHECK_EQ(mode_of("up"), -ELOOP);
	CHECK_EQ(vfs_openat(AT_FDCWD, "self", O_RDWR | O_CREAT, 0644), -ELOOP);
	CHECK_EQ(vfs_openat(AT_FDCWD, "loop-b", O_RDONLY, 0), -ELOOP);
	CHECK_EQ(lmode_of("self"), S_IFLNK | 0777);
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "self", 0), 0);
	end();
}

HOST_TEST(walk_name_and_path_limits)
{
	char *p = malloc(PATH_MAX + 16);
	int fd;

	begin();
	CHECK(p != NULL);
	/* 255 bytes per component; 256 is too long, wherever it is. */
	memset(p, 'n', 255);
	p[255] = '\0';
	fd = vfs_openat(AT_FDCWD, p, O_RDWR | O_CREAT | O_EXCL, 0644);
	CHECK(fd >= 0);
	vfs_close(fd);
	CHECK_EQ(lmode_of(p), S_IFREG | 0644);
	p[255] = 'n';
	p[256] = '\0';
	CHECK_EQ(vfs_openat(AT_FDCWD, p, O_RDWR | O_CREAT, 0644), -ENAMETOOLONG);
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, p, 0755), -ENAMETOOLONG);
	CHECK_EQ(lmode_of(p), -ENAMETOOLONG);
	CHECK_EQ(vfs_symlinkat("x", AT_FDCWD, p), -ENAMETOOLONG);
	memcpy(p + 256, "/x", 3);
	CHECK_EQ(lmode_of(p), -ENAMETOOLONG);			/* in the middle */
	memmove(p + 4, p, 259);
	memcpy(p, "../", 3);
	p[3] = '/';
	CHECK_EQ(lmode_of(p), -ENAMETOOLONG);
	/* 4095 bytes and the NUL: the longest path; 4096 bytes are too many. */
	for (int i = 0; i < PATH_MAX; i += 2)
		memcpy(p + i, "./", 2);
	p[PATH_MAX - 1] = '\0';
	CHECK_EQ(strlen(p), PATH_MAX - 1);
	CHECK_EQ(mode_of(p), S_IFDIR | 01777);
	p[PATH_MAX - 1] = '.';
	p[PATH_MAX] = '\0';
	CHECK_EQ(mode_of(p), -ENAMETOOLONG);
	CHECK_EQ(vfs_openat(AT_FDCWD, p, O_RDONLY, 0), -ENAMETOOLONG);
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, p, 0755), -ENAMETOOLONG);
	/* A path that long ending in a name to create. */
	for (int i = 0; i < PATH_MAX - 8; i += 2)
		memcpy(p + i, "./", 2);
	memcpy(p + PATH_MAX - 8, "created", 8);
	CHECK_EQ(strlen(p), PATH_MAX - 1);
	fd = vfs_openat(AT_FDCWD, p, O_RDWR | O_CREAT, 0644);
	CHECK(fd >= 0);
	vfs_close(fd);
	CHECK_EQ(lmode_of("created"), S_IFREG | 0644);
	/* Symlink targets: 4095 bytes at most, and they are walked. */
	for (int i = 0; i < PATH_MAX - 8; i += 2)
		memcpy(p + i, "./", 2);
	memcpy(p + PATH_MAX - 8, "created", 8);
	CHECK_EQ(vfs_symlinkat(p, AT_FDCWD, "longlink"), 0);
	CHECK_EQ(mode_of("longlink"), S_IFREG | 0644);
	CHECK_EQ(lmode_of("longlink"), S_IFLNK | 0777);
	{
		char *back = malloc(PATH_MAX);

		CHECK_EQ(vfs_readlinkat(AT_FDCWD, "longlink", back, PATH_MAX), PATH_MAX - 1);
		CHECK_EQ(memcmp(back, p, PATH_MAX - 1), 0);
		free(back);
	}
	memset(p, 'x', PATH_MAX);
	p[PATH_MAX] = '\0';
	CHECK_EQ(vfs_symlinkat(p, AT_FDCWD, "toolong"), -ENAMETOOLONG);
	free(p);
	end();
}

HOST_TEST(walk_empty_path)
{
	struct kstat st, cwd;
	int dfd, ffd;

	begin();
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "d", 0755), 0);
	CHECK_EQ(write_file("f", "f"), 0);
	CHECK_EQ(vfs_symlinkat("f", AT_FDCWD, "l"), 0);
	CHECK_EQ(stat_at(AT_FDCWD, "", 0, &st), -ENOENT);
	CHECK_EQ(vfs_openat(AT_FDCWD, "", O_RDONLY, 0), -ENOENT);
	CHECK_EQ(vfs_openat(AT_FDCWD, "", O_RDWR | O_CREAT, 0644), -ENOENT);
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "", 0755), -ENOENT);
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "", 0), -ENOENT);
	CHECK_EQ(vfs_chdir(""), -ENOENT);
	CHECK_EQ(vfs_symlinkat("f", AT_FDCWD, ""), -ENOENT);
	CHECK_EQ(vfs_renameat2(AT_FDCWD, "", AT_FDCWD, "x", 0), -ENOENT);
	CHECK_EQ(vfs_renameat2(AT_FDCWD, "f", AT_FDCWD, "", 0), -ENOENT);
	/* AT_EMPTY_PATH: dirfd itself, a directory, a file or the cwd. */
	CHECK_EQ(stat_at(AT_FDCWD, ".", 0, &cwd), 0);
	CHECK_EQ(stat_at(AT_FDCWD, "", AT_EMPTY_PATH, &st), 0);
	CHECK_EQ(st.ino, cwd.ino);
	dfd = vfs_openat(AT_FDCWD, "d", O_RDONLY | O_DIRECTORY, 0);
	ffd = vfs_openat(AT_FDCWD, "l", O_RDONLY, 0);
	CHECK(dfd >= 0 && ffd >= 0);
	CHECK_EQ(stat_at(dfd, "", 0, &st), -ENOENT);
	CHECK_EQ(stat_at(dfd, "", AT_EMPTY_PATH, &st), 0);
	CHECK_EQ(st.ino, ino_of("d"));
	CHECK_EQ(stat_at(ffd, "", AT_EMPTY_PATH, &st), 0);
	CHECK_EQ(st.ino, ino_of("f"));
	CHECK_EQ(stat_at(ffd, "", 0, &st), -ENOENT);
	CHECK_EQ(stat_at(4321, "", AT_EMPTY_PATH, &st), -EBADF);
	vfs_close(dfd);
	vfs_close(ffd);
	end();
}

HOST_TEST(walk_search_permission)
{
	struct kstat st;
	int dfd;

	begin();
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "a", 0755), 0);
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "a/b", 0700), 0);	/* root's, no search for others */
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "a/b/c", 0755), 0);
	CHECK_EQ(write_file("a/b/c/f", "secret"), 0);
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "a/noexec", 0777), 0);
	CHECK_EQ(vfs_fchmodat(AT_FDCWD, "a/noexec", 0666, 0), 0);
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "a/xonly", 0711), 0);
	CHECK_EQ(write_file("a/xonly/known", "known"), 0);
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "a/group", 0710), 0);
	CHECK_EQ(vfs_fchownat(AT_FDCWD, "a/group", 0, 1000, 0), 0);
	CHECK_EQ(write_file("a/group/g", "group"), 0);
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "a/mine", 0700), 0);
	CHECK_EQ(vfs_fchownat(AT_FDCWD, "a/mine", 1000, 0, 0), 0);
	CHECK_EQ(write_file("a/mine/m", "mine"), 0);
	CHECK_EQ(vfs_symlinkat("a/b/c/f", AT_FDCWD, "link"), 0);
	dfd = vfs_openat(AT_FDCWD, "a/b/c", O_RDONLY | O_DIRECTORY, 0);
	CHECK(dfd >= 0);

	as_user(1000, 1000);
	CHECK_EQ(current_cred()->fsuid, 1000);
	/* The last component needs search on its directory only. */
	CHECK_EQ(lmode_of("a/b"), S_IFDIR | 0700);
	/* Midway: EACCES, before any ENOENT or ENOTDIR. */
	CHECK_EQ(lmode_of("a/b/c"), -EACCES);
	CHECK_EQ(lmode_of("a/b/c/f"), -EACCES);
	CHECK_EQ(lmode_of("a/b/missing"), -EACCES);
	CHECK_EQ(lmode_of("a/b/."), -EACCES);
	CHECK_EQ(lmode_of("a/b/.."), -EACCES);
	CHECK_EQ(lmode_of("a/b/c/f/x"), -EACCES);
	CHECK_EQ(lmode_of("a/noexec/anything"), -EACCES);
	CHECK_EQ(vfs_openat(AT_FDCWD, "a/b/c/f", O_RDONLY, 0), -EACCES);
	CHECK_EQ(vfs_openat(AT_FDCWD, "a/b/new", O_RDWR | O_CREAT, 0644), -EACCES);
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "a/b/c/new", 0755), -EACCES);
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "a/b/c/f", 0), -EACCES);
	CHECK_EQ(vfs_renameat2(AT_FDCWD, "a/b/c/f", AT_FDCWD, "stolen", 0), -EACCES);
	CHECK_EQ(vfs_chdir("a/b"), -EACCES);
	CHECK_EQ(vfs_chdir("a/b/c"), -EACCES);
	CHECK_EQ(mode_of("link"), -EACCES);			/* through a symlink too */
	CHECK_EQ(lmode_of("link"), S_IFLNK | 0777);
	/* Search without read: known names are reachable. */
	CHECK(has_text("a/xonly/known", "known"));
	CHECK_EQ(lmode_of("a/xonly/unknown"), -ENOENT);
	/* Group and owner bits. */
	CHECK(has_text("a/group/g", "group"));
	CHECK(has_text("a/mine/m", "mine"));
	/* A directory fd opened beyond the barrier only needs its own search. */
	CHECK_EQ(stat_at(dfd, "f", 0, &st), 0);
	CHECK_EQ(st.size, 6);
	/* Its ".." is searched from it: b itself can be looked at. */
	CHECK_EQ(stat_at(dfd, "..", 0, &st), 0);
	CHECK_EQ(st.mode, S_IFDIR | 0700);
	CHECK_EQ(stat_at(dfd, "../c/f", 0, &st), -EACCES);
	as_root();

	/* Root searches anything. */
	CHECK_EQ(vfs_fchmodat(AT_FDCWD, "a/b", 0, 0), 0);
	CHECK(has_text("a/b/c/f", "secret"));
	CHECK(has_text("link", "secret"));
	vfs_close(dfd);
	end();
}

/* ---- the dentry cache ---- */

HOST_TEST(dcache_negative_entries)
{
	unsigned int total0, total1, total2, unused;
	struct dentry *neg, *d;
	struct kstat st;
	int fd;

	begin();
	CHECK(cached(".", "later") == NULL);
	dcache_counts(&total0, &unused);
	/* A failed lookup leaves a negative entry... */
	CHECK_EQ(stat_at(AT_FDCWD, "later", 0, &st), -ENOENT);
	dcache_counts(&total1, &unused);
	CHECK_EQ(total1, total0 + 1);
	neg = cached(".", "later");
	CHECK(neg != NULL);
	if (!neg)
		goto out;
	CHECK(d_is_negative(neg));
	CHECK(neg->flags & DCACHE_HASHED);
	dput(neg);
	/* ...which answers the next miss without a new one... */
	CHECK_EQ(stat_at(AT_FDCWD, "later", 0, &st), -ENOENT);
	CHECK_EQ(vfs_openat(AT_FDCWD, "later", O_RDONLY, 0), -ENOENT);
	dcache_counts(&total2, &unused);
	CHECK_EQ(total2, total1);
	/* ...and creating the name makes that same entry positive. */
	CHECK_EQ(write_file("later", "now"), 0);
	d = cached(".", "later");
	CHECK(d == neg);
	CHECK(d && !d_is_negative(d));
	if (d)
		dput(d);
	CHECK(has_text("later", "now"));
	/* Unlinked while unused: negative again, the same entry. */
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "later", 0), 0);
	d = cached(".", "later");
	CHECK(d == neg);
	CHECK(d && d_is_negative(d));
	if (d)
		dput(d);
	CHECK_EQ(stat_at(AT_FDCWD, "later", 0, &st), -ENOENT);
	/* Directories the same way: mkdir fills it, rmdir empties it. */
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "later", 0755), 0);
	d = cached(".", "later");
	CHECK(d == neg && d && S_ISDIR(d->inode->mode));
	if (d)
		dput(d);
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "later", AT_REMOVEDIR), 0);
	d = cached(".", "later");
	CHECK(d == neg && d && d_is_negative(d));
	if (d)
		dput(d);
	/* Unlinked while in use: dropped from the hash, the inode kept. */
	fd = vfs_openat(AT_FDCWD, "busy", O_RDWR | O_CREAT, 0644);
	CHECK(fd >= 0);
	d = cached(".", "busy");
	CHECK(d != NULL);
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "busy", 0), 0);
	CHECK(cached(".", "busy") == NULL);
	if (d) {
		CHECK(!(d->flags & DCACHE_HASHED));
		CHECK(!d_is_negative(d));
		CHECK_EQ(d->inode->nlink, 0);
		dput(d);
	}
	CHECK_EQ(stat_at(AT_FDCWD, "busy", 0, &st), -ENOENT);
	d = cached(".", "busy");		/* a new negative entry now */
	CHECK(d != NULL && d_is_negative(d));
	if (d)
		dput(d);
	/* The name can be made again while the old file is still open. */
	CHECK_EQ(write_file("busy", "new"), 0);
	CHECK_EQ(vfs_fstat(fd, &st), 0);
	CHECK_EQ(st.nlink, 0);
	CHECK_EQ(st.size, 0);
	CHECK(st.ino != (uint64_t)ino_of("busy"));
	vfs_close(fd);
	/* Names of negative entries in a removed directory are not found. */
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "gone", 0755), 0);
	CHECK_EQ(stat_at(AT_FDCWD, "gone/x", 0, &st), -ENOENT);
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "gone", AT_REMOVEDIR), 0);
	CHECK_EQ(stat_at(AT_FDCWD, "gone/x", 0, &st), -ENOENT);
	CHECK_EQ(stat_at(AT_FDCWD, "gone", 0, &st), -ENOENT);
out:
	end();
}

HOST_TEST(dcache_unlinked_open_file_lives_until_close)
{
	static char big[3 * 4096 + 100];
	char buf[sizeof(big)];
	unsigned long pages0, live0;
	struct kstat st;
	int fd, dfd;

	begin();
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)('a' + i % 23);
	pages0 = host_pages_live();
	live0 = host_kmalloc_live();
	fd = vfs_openat(AT_FDCWD, "f", O_RDWR | O_CREAT, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(vfs_write(fd, big, sizeof(big)), sizeof(big));
	CHECK_EQ(host_pages_live(), pages0 + 4);
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "f", 0), 0);
	CHECK_EQ(lmode_of("f"), -ENOENT);
	/* Still there through the descriptor: data, size, no links. */
	CHECK_EQ(host_pages_live(), pages0 + 4);
	CHECK_EQ(vfs_pread(fd, buf, sizeof(buf), 0), sizeof(big));
	CHECK_EQ(memcmp(buf, big, sizeof(big)), 0);
	CHECK_EQ(vfs_fstat(fd, &st), 0);
	CHECK_EQ(st.nlink, 0);
	CHECK_EQ(st.size, sizeof(big));
	CHECK_EQ(vfs_pwrite(fd, "Z", 1, 5000), 1);
	CHECK_EQ(vfs_pread(fd, buf, 1, 5000), 1);
	CHECK_EQ(buf[0], 'Z');
	/* A new file of the same name is another inode. */
	CHECK_EQ(write_file("f", "other"), 0);
	CHECK(has_text("f", "other"));
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "f", 0), 0);
	/* The close frees inode and pages (ASan sees any later use). */
	CHECK_EQ(vfs_close(fd), 0);
	CHECK_EQ(host_pages_live(), pages0);
	CHECK_EQ(host_kmalloc_live(), live0 + 1);	/* the negative entry "f" */
	/* A hard link keeps the inode when one name goes. */
	CHECK_EQ(write_file("h1", "linked"), 0);
	CHECK_EQ(vfs_linkat(AT_FDCWD, "h1", AT_FDCWD, "h2", 0), 0);
	CHECK_EQ(nlink_of("h2"), 2);
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "h1", 0), 0);
	CHECK_EQ(nlink_of("h2"), 1);
	CHECK(has_text("h2", "linked"));
	/* An open directory that was removed: empty, nothing made in it. */
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "d", 0755), 0);
	dfd = vfs_openat(AT_FDCWD, "d", O_RDONLY | O_DIRECTORY, 0);
	CHECK(dfd >= 0);
	CHECK_EQ(vfs_chdir("d"), 0);
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "/mnt/d", AT_REMOVEDIR), 0);
	CHECK_EQ(vfs_getcwd(buf, sizeof(buf)), -ENOENT);
	CHECK_EQ(lmode_of("x"), -ENOENT);
	CHECK_EQ(vfs_openat(AT_FDCWD, "x", O_RDWR | O_CREAT, 0644), -ENOENT);
	CHECK_EQ(vfs_openat(dfd, "x", O_RDWR | O_CREAT, 0644), -ENOENT);
	CHECK_EQ(vfs_mkdirat(dfd, "x", 0755), -ENOENT);
	CHECK_EQ(vfs_getdents64(dfd, buf, sizeof(buf)), 0);
	CHECK_EQ(vfs_fstat(dfd, &st), 0);
	CHECK_EQ(st.nlink, 0);
	CHECK_EQ(vfs_chdir(MNT), 0);
	vfs_close(dfd);
	end();
}

/* The dentry of name in dir, as a pointer to compare (the reference dropped). */
static struct dentry *
peek(const char *dir, const char *name)
{
	struct dentry *d = cached(dir, name);

	if (d)
		dput(d);
	return d;
}

#define LONG_A	"a-name-too-long-for-the-inline-storage-of-a-dentry"
#define LONG_B	"b-name-too-long-for-the-inline-storage-of-a-dentry-as-well"

HOST_TEST(dcache_rename_moves_and_exchange_swaps)
{
	struct dentry *da, *db, *dc, *dx;
	struct path p1, p2;
	char buf[64];
	int fd;

	begin();
	CHECK_EQ(write_file("a", "A"), 0);
	CHECK_EQ(write_file("c", "C"), 0);
	da = peek(".", "a");
	CHECK(da != NULL);
	/* The dentry moves: the new name finds it, the old one is gone. */
	CHECK_EQ(vfs_renameat2(AT_FDCWD, "a", AT_FDCWD, "b", 0), 0);
	CHECK(peek(".", "b") == da);
	CHECK(peek(".", "a") == NULL);
	CHECK_EQ(lmode_of("a"), -ENOENT);
	CHECK(peek(".", "a") != NULL && d_is_negative(peek(".", "a")));
	CHECK(has_text("b", "A"));
	/* Over an existing name: the target's dentry is dropped, its open file lives. */
	dc = peek(".", "c");
	fd = vfs_openat(AT_FDCWD, "c", O_RDONLY, 0);
	CHECK(fd >= 0);
	CHECK_EQ(vfs_renameat2(AT_FDCWD, "b", AT_FDCWD, "c", RENAME_NOREPLACE), -EEXIST);
	CHECK_EQ(vfs_renameat2(AT_FDCWD, "b", AT_FDCWD, "c", 0), 0);
	CHECK(peek(".", "c") == da);
	CHECK(peek(".", "c") != dc);
	CHECK(has_text("c", "A"));
	CHECK_EQ(vfs_read(fd, buf, sizeof(buf)), 1);
	CHECK_EQ(buf[0], 'C');
	vfs_close(fd);
	/* Long names (kept outside the dentry) both ways, and long to long. */
	CHECK_EQ(vfs_renameat2(AT_FDCWD, "c", AT_FDCWD, LONG_A, 0), 0);
	CHECK(peek(".", LONG_A) == da);
	CHECK(has_text(LONG_A, "A"));
	CHECK_EQ(vfs_renameat2(AT_FDCWD, LONG_A, AT_FDCWD, LONG_B, 0), 0);
	CHECK(peek(".", LONG_B) == da);
	CHECK_EQ(lmode_of(LONG_A), -ENOENT);
	CHECK_EQ(vfs_renameat2(AT_FDCWD, LONG_B, AT_FDCWD, "s", 0), 0);
	CHECK(peek(".", "s") == da);
	CHECK_EQ(strcmp(da->name.name, "s"), 0);
	/* Across directories: the parent changes. */
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "d1", 0755), 0);
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "d2", 0755), 0);
	CHECK_EQ(vfs_renameat2(AT_FDCWD, "s", AT_FDCWD, "d1/x", 0), 0);
	CHECK_EQ(vfs_renameat2(AT_FDCWD, "d1/x", AT_FDCWD, "d2/" LONG_A, 0), 0);
	CHECK(peek("d2", LONG_A) == da);
	CHECK(dir_dentry("d2", &p2) != NULL);
	CHECK(da->parent == p2.dentry);
	path_put(&p2);
	CHECK(has_text("d2/" LONG_A, "A"));
	CHECK_EQ(lmode_of("d1/x"), -ENOENT);
	/* A directory moves with its cached children and the cwd inside it. */
	CHECK_EQ(write_file("d1/child", "child"), 0);
	CHECK_EQ(vfs_chdir("d1"), 0);
	CHECK_EQ(vfs_renameat2(AT_FDCWD, "/mnt/d1", AT_FDCWD, "/mnt/d2/moved", 0), 0);
	CHECK_EQ(vfs_getcwd(buf, sizeof(buf)), 14);
	CHECK_STREQ(buf, "/mnt/d2/moved");
	CHECK(has_text("child", "child"));
	CHECK(has_text("../moved/child", "child"));
	CHECK_EQ(vfs_chdir(MNT), 0);
	CHECK_EQ(nlink_of("d2"), 3);
	CHECK_EQ(vfs_renameat2(AT_FDCWD, "d2", AT_FDCWD, "d2/moved/in", 0), -EINVAL);
	/* RENAME_EXCHANGE swaps the two dentries, names and parents. */
	CHECK_EQ(write_file("p", "P"), 0);
	CHECK_EQ(write_file("d2/moved/" LONG_B, "Q"), 0);
	da = peek(".", "p");
	db = peek("d2/moved", LONG_B);
	CHECK(da && db);
	CHECK_EQ(vfs_renameat2(AT_FDCWD, "p", AT_FDCWD, "d2/moved/" LONG_B, RENAME_EXCHANGE), 0);
	CHECK(peek(".", "p") == db);
	CHECK(peek("d2/moved", LONG_B) == da);
	CHECK(has_text("p", "Q"));
	CHECK(has_text("d2/moved/" LONG_B, "P"));
	CHECK(dir_dentry(".", &p1) != NULL);
	CHECK(db->parent == p1.dentry);
	path_put(&p1);
	CHECK_EQ(vfs_renameat2(AT_FDCWD, "p", AT_FDCWD, "nothing", RENAME_EXCHANGE), -ENOENT);
	CHECK_EQ(vfs_renameat2(AT_FDCWD, "p", AT_FDCWD, "x", RENAME_EXCHANGE | RENAME_NOREPLACE),
		 -EINVAL);
	/* A directory and a file across directories: link counts follow. */
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "d2/moved/sub", 0755), 0);
	CHECK_EQ(nlink_of("."), 3);			/* 2 + d2 */
	CHECK_EQ(nlink_of("d2/moved"), 3);
	dx = peek("d2/moved", "sub");
	CHECK_EQ(vfs_renameat2(AT_FDCWD, "p", AT_FDCWD, "d2/moved/sub", RENAME_EXCHANGE), 0);
	CHECK(peek(".", "p") == dx);
	CHECK_EQ(lmode_of("p"), S_IFDIR | 0755);
	CHECK_EQ(lmode_of("d2/moved/sub"), S_IFREG | 0644);
	CHECK_EQ(nlink_of("."), 4);			/* 2 + d2 + p */
	CHECK_EQ(nlink_of("d2/moved"), 2);
	/* Exchanging a name with itself, renaming onto a hard link: nothing. */
	CHECK_EQ(vfs_linkat(AT_FDCWD, "d2/moved/sub", AT_FDCWD, "hl", 0), 0);
	CHECK_EQ(vfs_renameat2(AT_FDCWD, "hl", AT_FDCWD, "d2/moved/sub", 0), 0);
	CHECK_EQ(nlink_of("hl"), 2);
	CHECK_EQ(vfs_renameat2(AT_FDCWD, "hl", AT_FDCWD, "hl", RENAME_EXCHANGE), 0);
	CHECK(has_text("hl", "Q"));
	end();
}

HOST_TEST(dcache_stays_bounded)
{
	unsigned int total0, total, unused;
	char name[32];
	struct kstat st;

	begin();
	CHECK_EQ(write_file("kept", "kept"), 0);
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "dir", 0755), 0);
	CHECK_EQ(write_file("dir/file", "file"), 0);
	dcache_counts(&total0, &unused);
	for (int i = 0; i < 10000; i++) {
		snprintf(name, sizeof(name), i % 2 ? "miss-%d" : "dir/miss-%d", i);
		CHECK_EQ(stat_at(AT_FDCWD, name, 0, &st), -ENOENT);
		dcache_counts(&total, &unused);
		if (unused > 4096) {
			CHECK_EQ(unused, 4096);
			break;
		}
	}
	dcache_counts(&total, &unused);
	CHECK(unused <= 4096);
	CHECK(total <= total0 + 4096);
	CHECK(total >= unused);
	/* What exists is still found, cached or not. */
	CHECK(has_text("kept", "kept"));
	CHECK(has_text("dir/file", "file"));
	CHECK_EQ(stat_at(AT_FDCWD, "miss-9999", 0, &st), -ENOENT);
	end();
}

/* ---- unmounting frees everything ---- */

HOST_TEST(umount_frees_a_populated_tree)
{
	static char data[5000];
	unsigned long live0, pages0;
	unsigned int total0, unused;
	char path[4096], name[128];
	int fd;

	begin();
	memset(data, 'd', sizeof(data));
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "sub", 0755), 0);
	live0 = host_kmalloc_live();
	pages0 = host_pages_live();
	dcache_counts(&total0, &unused);
	CHECK_EQ(vfs_mount("none", "sub", "tmpfs", 0, "size=1m"), 0);
	/* A tree: deep, wide, long names, data, links of both kinds. */
	strcpy(path, "sub");
	for (int depth = 0; depth < 100; depth++) {
		size_t n = strlen(path);

		snprintf(path + n, sizeof(path) - n, "/%s%d", depth % 3 ? "d" : LONG_A, depth);
		CHECK_EQ(vfs_mkdirat(AT_FDCWD, path, 0755), 0);
		if (depth % 10 == 0) {
			static char file[4096 + 8];

			snprintf(file, sizeof(file), "%s/file", path);
			fd = vfs_openat(AT_FDCWD, file, O_RDWR | O_CREAT, 0644);
			CHECK(fd >= 0);
			CHECK_EQ(vfs_write(fd, data, sizeof(data)), sizeof(data));
			vfs_close(fd);
			snprintf(name, sizeof(name), "sub/hard%d", depth);
			CHECK_EQ(vfs_linkat(AT_FDCWD, file, AT_FDCWD, name, 0), 0);
			CHECK_EQ(vfs_linkat(AT_FDCWD, path, AT_FDCWD, name, 0), -EEXIST);
			snprintf(name, sizeof(name), "sub/dirlink%d", depth);
			CHECK_EQ(vfs_linkat(AT_FDCWD, path, AT_FDCWD, name, 0), -EPERM);
		}
	}
	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "sub/%s-%d", i % 2 ? "w" : LONG_B, i);
		CHECK_EQ(write_file(name, name), 0);
		if (i % 5 == 0) {
			char link[128];

			snprintf(link, sizeof(link), "sub/hl-%d", i);
			CHECK_EQ(vfs_linkat(AT_FDCWD, name, AT_FDCWD, link, 0), 0);
			snprintf(link, sizeof(link), "sub/sl-%d", i);
			CHECK_EQ(vfs_symlinkat(name + 4, AT_FDCWD, link), 0);
			CHECK(has_text(link, name));
		}
		snprintf(name, sizeof(name), "sub/miss-%d", i);	/* negative entries */
		CHECK_EQ(lmode_of(name), -ENOENT);
	}
	CHECK(host_pages_live() > pages0);
	/* A file open keeps it mounted... */
	fd = vfs_openat(AT_FDCWD, "sub/w-1", O_RDONLY, 0);
	CHECK(fd >= 0);
	CHECK_EQ(vfs_umount("sub", 0), -EBUSY);
	vfs_close(fd);
	/* ...closed, it goes, and with it every inode, dentry and page. */
	CHECK_EQ(vfs_umount("sub", 0), 0);
	CHECK_EQ(host_kmalloc_live(), live0);
	CHECK_EQ(host_pages_live(), pages0);
	{
		unsigned int total;

		dcache_counts(&total, &unused);
		CHECK_EQ(total, total0);
	}
	/* Lazily: detached at once, freed with the last open file. */
	CHECK_EQ(vfs_mount("none", "sub", "tmpfs", 0, NULL), 0);
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "sub/x", 0755), 0);
	fd = vfs_openat(AT_FDCWD, "sub/x/f", O_RDWR | O_CREAT, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(vfs_write(fd, data, sizeof(data)), sizeof(data));
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "sub/x/f", 0), 0);
	CHECK_EQ(vfs_umount("sub", MNT_DETACH), 0);
	CHECK_EQ(lmode_of("sub/x"), -ENOENT);		/* the directory below again */
	CHECK_EQ(vfs_pread(fd, path, 10, 4990), 10);
	CHECK_EQ(memcmp(path, data, 10), 0);
	CHECK(host_kmalloc_live() > live0 + 1);
	vfs_close(fd);
	CHECK_EQ(host_kmalloc_live(), live0 + 1);	/* the negative entry sub/x */
	CHECK_EQ(host_pages_live(), pages0);
	end();
}

/* ---- a failed open changes nothing ---- */

static long
size_of(const char *path)
{
	struct kstat st;
	int err = stat_at(AT_FDCWD, path, 0, &st);

	return err ? err : (long)st.size;
}

static void
full_table_body(void *arg)
{
	int fd, last = -1;

	/* A descriptor table of our own, filled up to RLIMIT_NOFILE. */
	CHECK_EQ(unshare_files(), 0);
	fd = vfs_openat(AT_FDCWD, "victim", O_RDONLY, 0);
	CHECK_EQ(fd, 0);
	while ((fd = vfs_dup(0)) >= 0)
		last = fd;
	CHECK_EQ(fd, -EMFILE);
	CHECK_EQ(last, NR_OPEN_DEFAULT - 1);
	CHECK_EQ(vfs_openat(AT_FDCWD, "victim", O_RDONLY, 0), -EMFILE);
	/* EMFILE before the file system is touched: no truncation, no creation. */
	CHECK_EQ(vfs_openat(AT_FDCWD, "victim", O_WRONLY | O_TRUNC, 0), -EMFILE);
	CHECK_EQ(size_of("victim"), 8);
	CHECK_EQ(vfs_openat(AT_FDCWD, "new", O_RDWR | O_CREAT, 0644), -EMFILE);
	CHECK_EQ(lmode_of("new"), -ENOENT);
	CHECK_EQ(vfs_openat(AT_FDCWD, "new", O_RDWR | O_CREAT | O_EXCL, 0644), -EMFILE);
	CHECK_EQ(lmode_of("new"), -ENOENT);
	CHECK_EQ(vfs_close(17), 0);
	CHECK_EQ(vfs_openat(AT_FDCWD, "new", O_RDWR | O_CREAT | O_EXCL, 0644), 17);
	CHECK_EQ(lmode_of("new"), S_IFREG | 0644);
	/* The thread's exit closes them all and frees the table. */
}

HOST_TEST(open_with_a_full_table_changes_nothing)
{
	begin();
	CHECK_EQ(write_file("victim", "precious"), 0);
	run_in_thread(full_table_body, NULL);
	CHECK(has_text("victim", "precious"));
	end();
}

/* ---- every allocation failing in turn ---- */

/*
 * One operation under fault injection: prepared, run with the n-th
 * kmalloc() failing, then checked: on success the whole change is there,
 * on failure (ENOMEM, or ENOSPC where tmpfs calls it that) none of it, as
 * both the dentry cache (stat) and the file system (getdents) see it.
 */
struct fault_case {
	const char *what;
	void (*prepare)(void);
	int (*op)(void);
	bool (*done)(void);
	bool (*undone)(void);
	void (*cleanup)(void);
};

static struct listing fault_listing;

/* name exists for the cache and in the directory listing, or for neither. */
static bool
exists_both(const char *name)
{
	CHECK(list_dir(".", &fault_listing) >= 0);
	return lmode_of(name) >= 0 && listed(&fault_listing, name);
}

static bool
absent_both(const char *name)
{
	CHECK(list_dir(".", &fault_listing) >= 0);
	return lmode_of(name) == -ENOENT && !listed(&fault_listing, name);
}

static void nothing(void) { }

static int op_create_long(void)
{
	int fd = vfs_openat(AT_FDCWD, LONG_A, O_RDWR | O_CREAT | O_EXCL, 0644);

	return fd < 0 ? fd : vfs_close(fd);
}
static bool done_create_long(void) { return exists_both(LONG_A) && lmode_of(LONG_A) == (S_IFREG | 0644); }
static bool no_long_a(void) { return absent_both(LONG_A); }
static void rm_long_a(void) { vfs_unlinkat(AT_FDCWD, LONG_A, 0); }

static int op_create_short(void)
{
	int fd = vfs_openat(AT_FDCWD, "s", O_RDWR | O_CREAT | O_EXCL, 0644);

	return fd < 0 ? fd : vfs_close(fd);
}
static bool done_create_short(void) { return exists_both("s"); }
static bool no_short(void) { return absent_both("s"); }
static void rm_short(void) { vfs_unlinkat(AT_FDCWD, "s", 0); }

static int op_mkdir_long(void) { return vfs_mkdirat(AT_FDCWD, LONG_B, 0700); }
static bool done_mkdir_long(void) { return exists_both(LONG_B) && nlink_of(".") == 3; }
static bool no_long_b(void) { return absent_both(LONG_B) && nlink_of(".") == 2; }
static void rmdir_long_b(void) { vfs_unlinkat(AT_FDCWD, LONG_B, AT_REMOVEDIR); }

static int op_symlink_long(void) { return vfs_symlinkat("target/" LONG_B, AT_FDCWD, LONG_A); }
static bool done_symlink_long(void)
{
	char buf[128];

	return exists_both(LONG_A) &&
	       vfs_readlinkat(AT_FDCWD, LONG_A, buf, sizeof(buf)) == 7 + (ssize_t)strlen(LONG_B);
}

static void make_src(void) { CHECK_EQ(write_file("src", "source"), 0); }
static int op_link_long(void) { return vfs_linkat(AT_FDCWD, "src", AT_FDCWD, LONG_B, 0); }
static bool done_link_long(void) { return exists_both(LONG_B) && nlink_of("src") == 2 && has_text(LONG_B, "source"); }
static bool no_link_long(void) { return absent_both(LONG_B) && nlink_of("src") == 1; }
static void rm_src_long_b(void)
{
	vfs_unlinkat(AT_FDCWD, "src", 0);
	vfs_unlinkat(AT_FDCWD, LONG_B, 0);
}

static int op_rename_to_long(void) { return vfs_renameat2(AT_FDCWD, "src", AT_FDCWD, LONG_B, 0); }
static bool done_rename_to_long(void) { return absent_both("src") && exists_both(LONG_B) && has_text(LONG_B, "source"); }
static bool undone_rename_to_long(void) { return exists_both("src") && absent_both(LONG_B) && has_text("src", "source"); }

static void make_two_long(void)
{
	CHECK_EQ(write_file(LONG_A, "A"), 0);
	CHECK_EQ(write_file(LONG_B, "B"), 0);
}
static int op_rename_long_over_long(void) { return vfs_renameat2(AT_FDCWD, LONG_A, AT_FDCWD, LONG_B, 0); }
static bool done_long_over_long(void) { return absent_both(LONG_A) && has_text(LONG_B, "A") && exists_both(LONG_B); }
static bool undone_long_over_long(void) { return has_text(LONG_A, "A") && has_text(LONG_B, "B") && exists_both(LONG_A) && exists_both(LONG_B); }
static void rm_two_long(void)
{
	vfs_unlinkat(AT_FDCWD, LONG_A, 0);
	vfs_unlinkat(AT_FDCWD, LONG_B, 0);
}

static void make_short_and_long(void)
{
	CHECK_EQ(write_file("s", "S"), 0);
	CHECK_EQ(write_file(LONG_A, "A"), 0);
}
static int op_exchange(void) { return vfs_renameat2(AT_FDCWD, "s", AT_FDCWD, LONG_A, RENAME_EXCHANGE); }
static bool done_exchange(void) { return has_text("s", "A") && has_text(LONG_A, "S") && exists_both("s") && exists_both(LONG_A); }
static bool undone_exchange(void) { return has_text("s", "S") && has_text(LONG_A, "A") && exists_both("s") && exists_both(LONG_A); }
static void rm_short_and_long(void)
{
	vfs_unlinkat(AT_FDCWD, "s", 0);
	vfs_unlinkat(AT_FDCWD, LONG_A, 0);
}

static void make_long_a(void) { CHECK_EQ(write_file(LONG_A, "A"), 0); }
static int op_unlink_long(void) { return vfs_unlinkat(AT_FDCWD, LONG_A, 0); }
static bool has_long_a(void) { return exists_both(LONG_A) && has_text(LONG_A, "A"); }

static void make_mountpoint(void) { CHECK_EQ(vfs_mkdirat(AT_FDCWD, "m", 0755), 0); }
static int op_mount(void) { return vfs_mount("none", "m", "tmpfs", 0, "size=64k,mode=700"); }
static bool done_mount(void) { return dev_of("m") != dev_of(".") && lmode_of("m") == (S_IFDIR | 0700); }
static bool undone_mount(void) { return dev_of("m") == dev_of(".") && lmode_of("m") == (S_IFDIR | 0755); }
static void umount_m(void)
{
	vfs_umount("m", 0);
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "m", AT_REMOVEDIR), 0);
}

static void make_links(void)
{
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "dir", 0755), 0);
	CHECK_EQ(write_file("dir/" LONG_B, "end"), 0);
	CHECK_EQ(vfs_symlinkat("dir", AT_FDCWD, "l1"), 0);
	CHECK_EQ(vfs_symlinkat("l1/" LONG_B, AT_FDCWD, "l2"), 0);
}
static int op_walk_links(void)
{
	struct kstat st;
	int err = stat_at(AT_FDCWD, "/mnt/l2", 0, &st);

	return err ? err : (st.size == 3 ? 0 : -EIO);
}
static bool links_intact(void) { return has_text("l2", "end") && has_text("dir/" LONG_B, "end"); }
static void rm_links(void)
{
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "l2", 0), 0);
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "l1", 0), 0);
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "dir/" LONG_B, 0), 0);
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "dir", AT_REMOVEDIR), 0);
}

#define FAR	((loff_t)1 << 32)	/* page 2^20: a radix tree four levels tall */

static void make_empty(void) { CHECK_EQ(write_file("s", ""), 0); }
static int op_write_far(void)
{
	int fd = vfs_openat(AT_FDCWD, "s", O_RDWR, 0);
	ssize_t n;

	if (fd < 0)
		return fd;
	n = vfs_pwrite(fd, "far", 3, FAR);
	vfs_close(fd);
	return n < 0 ? (int)n : (n == 3 ? 0 : -EIO);
}
static bool done_write_far(void)
{
	struct kstat st;
	char buf[4] = { 0 };
	int fd = vfs_openat(AT_FDCWD, "s", O_RDONLY, 0);
	bool ok = fd >= 0 && vfs_pread(fd, buf, 3, FAR) == 3 && memcmp(buf, "far", 3) == 0 &&
		  vfs_fstat(fd, &st) == 0 && st.size == FAR + 3 && st.blocks == 8;

	vfs_close(fd);
	return ok;
}
static bool undone_write_far(void)
{
	struct kstat st;

	return stat_at(AT_FDCWD, "s", 0, &st) == 0 && st.size == 0 && st.blocks == 0;
}

static void make_dir_long(void) { CHECK_EQ(vfs_mkdirat(AT_FDCWD, LONG_B, 0755), 0); }
static int op_rmdir_long(void) { return vfs_unlinkat(AT_FDCWD, LONG_B, AT_REMOVEDIR); }
static bool has_dir_long(void) { return exists_both(LONG_B) && nlink_of(".") == 3; }

static void make_two_dirs(void)
{
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "d1", 0755), 0);
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "d2", 0755), 0);
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "d1/" LONG_A, 0755), 0);
	CHECK_EQ(write_file("d1/" LONG_A "/in", "in"), 0);
}
static int op_move_dir(void) { return vfs_renameat2(AT_FDCWD, "d1/" LONG_A, AT_FDCWD, "d2/" LONG_B, 0); }
static bool in_dir(const char *dir, const char *name)
{
	CHECK(list_dir(dir, &fault_listing) >= 0);
	return listed(&fault_listing, name);
}
static bool done_move_dir(void)
{
	return has_text("d2/" LONG_B "/in", "in") && in_dir("d2", LONG_B) && !in_dir("d1", LONG_A) &&
	       lmode_of("d1/" LONG_A) == -ENOENT && nlink_of("d1") == 2 && nlink_of("d2") == 3 &&
	       ino_of("d2/" LONG_B "/..") == ino_of("d2");
}
static bool undone_move_dir(void)
{
	return has_text("d1/" LONG_A "/in", "in") && in_dir("d1", LONG_A) && !in_dir("d2", LONG_B) &&
	       lmode_of("d2/" LONG_B) == -ENOENT && nlink_of("d1") == 3 && nlink_of("d2") == 2 &&
	       ino_of("d1/" LONG_A "/..") == ino_of("d1");
}
static void rm_two_dirs(void)
{
	vfs_unlinkat(AT_FDCWD, "d1/" LONG_A "/in", 0);
	vfs_unlinkat(AT_FDCWD, "d2/" LONG_B "/in", 0);
	vfs_unlinkat(AT_FDCWD, "d1/" LONG_A, AT_REMOVEDIR);
	vfs_unlinkat(AT_FDCWD, "d2/" LONG_B, AT_REMOVEDIR);
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "d1", AT_REMOVEDIR), 0);
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "d2", AT_REMOVEDIR), 0);
}

static void make_full(void) { CHECK_EQ(write_file("s", "full"), 0); }
static int op_open_trunc(void)
{
	int fd = vfs_openat(AT_FDCWD, "s", O_WRONLY | O_TRUNC, 0);

	return fd < 0 ? fd : vfs_close(fd);
}
static bool done_trunc(void) { return has_text("s", ""); }
static bool undone_trunc(void) { return has_text("s", "full"); }

static void make_dangling(void) { CHECK_EQ(vfs_symlinkat(LONG_A, AT_FDCWD, "s"), 0); }
static int op_create_through_link(void)
{
	int fd = vfs_openat(AT_FDCWD, "s", O_WRONLY | O_CREAT | O_EXCL, 0600);

	if (fd == -EEXIST)		/* O_EXCL on a symlink: never created through */
		fd = vfs_openat(AT_FDCWD, "s", O_WRONLY | O_CREAT, 0600);
	return fd < 0 ? fd : vfs_close(fd);
}
static bool done_through_link(void) { return exists_both(LONG_A) && lmode_of(LONG_A) == (S_IFREG | 0600); }
static bool undone_through_link(void) { return absent_both(LONG_A) && lmode_of("s") == (S_IFLNK | 0777); }
static void rm_link_and_long_a(void)
{
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "s", 0), 0);
	vfs_unlinkat(AT_FDCWD, LONG_A, 0);
}

static void make_bind(void)
{
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "m", 0755), 0);
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "src", 0700), 0);
}
static int op_bind(void) { return vfs_mount("/mnt/src", "m", NULL, MS_BIND, NULL); }
static bool done_bind(void) { return ino_of("m") == ino_of("src"); }
static bool undone_bind(void) { return ino_of("m") != ino_of("src") && lmode_of("m") == (S_IFDIR | 0755); }
static void rm_bind(void)
{
	vfs_umount("m", 0);
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "m", AT_REMOVEDIR), 0);
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "src", AT_REMOVEDIR), 0);
}

static const struct fault_case fault_cases[] = {
	{ "move dir", make_two_dirs, op_move_dir, done_move_dir, undone_move_dir, rm_two_dirs },
	{ "open O_TRUNC", make_full, op_open_trunc, done_trunc, undone_trunc, rm_short },
	{ "create through a dangling link", make_dangling, op_create_through_link,
	  done_through_link, undone_through_link, rm_link_and_long_a },
	{ "bind mount", make_bind, op_bind, done_bind, undone_bind, rm_bind },
	{ "create", nothing, op_create_short, done_create_short, no_short, rm_short },
	{ "create long", nothing, op_create_long, done_create_long, no_long_a, rm_long_a },
	{ "mkdir long", nothing, op_mkdir_long, done_mkdir_long, no_long_b, rmdir_long_b },
	{ "symlink long", nothing, op_symlink_long, done_symlink_long, no_long_a, rm_long_a },
	{ "link long", make_src, op_link_long, done_link_long, no_link_long, rm_src_long_b },
	{ "rename to long", make_src, op_rename_to_long, done_rename_to_long,
	  undone_rename_to_long, rm_src_long_b },
	{ "rename long over long", make_two_long, op_rename_long_over_long, done_long_over_long,
	  undone_long_over_long, rm_two_long },
	{ "exchange", make_short_and_long, op_exchange, done_exchange, undone_exchange,
	  rm_short_and_long },
	{ "unlink long", make_long_a, op_unlink_long, no_long_a, has_long_a, rm_long_a },
	{ "rmdir long", make_dir_long, op_rmdir_long, no_long_b, has_dir_long, rmdir_long_b },
	{ "mount", make_mountpoint, op_mount, done_mount, undone_mount, umount_m },
	{ "walk symlinks", make_links, op_walk_links, links_intact, links_intact, rm_links },
	{ "write far", make_empty, op_write_far, done_write_far, undone_write_far, rm_short },
};

#define FAULT_MAX	40	/* more allocations than any case makes */

HOST_TEST(enomem_at_every_allocation)
{
	begin();
	for (size_t c = 0; c < sizeof(fault_cases) / sizeof(fault_cases[0]); c++) {
		const struct fault_case *fc = &fault_cases[c];
		unsigned int failures = 0;

		for (unsigned int n = 1; n <= FAULT_MAX; n++) {
			unsigned long live = host_kmalloc_live();
			int err;

			fc->prepare();
			host_kmalloc_fail_nth(n);
			err = fc->op();
			host_kmalloc_fail_nth(0);
			if (err == 0) {
				if (!fc->done())
					printf("# %s: kmalloc %u failing: succeeded, but not whole\n",
					       fc->what, n);
				CHECK(fc->done());
			} else {
				failures++;
				if (err != -ENOMEM && err != -ENOSPC)
					printf("# %s: kmalloc %u failing: %d\n", fc->what, n, err);
				CHECK(err == -ENOMEM || err == -ENOSPC);
				if (!fc->undone())
					printf("# %s: kmalloc %u failing: %d, but half done\n",
					       fc->what, n, err);
				CHECK(fc->undone());
				CHECK(n < FAULT_MAX);
			}
			fc->cleanup();
			CHECK(thread_current()->mutexes_held == 0);
			/* Whatever failed, nothing stays allocated (but cached dentries). */
			shrink_dcache(NULL);
			if (host_kmalloc_live() > live) {
				printf("# %s: kmalloc %u failing: %lu allocations more\n", fc->what,
				       n, host_kmalloc_live() - live);
				CHECK_EQ(host_kmalloc_live(), live);
			}
		}
		CHECK(failures > 0);
	}
	end();
}

/* ---- inode.lock guards what rename changes in the inodes ---- */

/*
 * A thread holding a file's inode.lock (in write, allocating) sleeps
 * there; meanwhile another renames over that file.  The rename must wait
 * for the lock: the replaced inode's link count and ctime are the lock's.
 */
static struct {
	struct thread *thread;
	struct inode *inode;
	bool armed, changed, slept;
} held;

static void
hold_and_sleep(void)
{
	if (!held.armed || thread_current() != held.thread || !mutex_is_held(&held.inode->lock))
		return;
	held.armed = false;
	{
		uint32_t nlink = held.inode->nlink;
		struct timespec64 ctime = held.inode->ctime;

		held.slept = true;
		thread_sleep_ns(5 * HOST_TICK_NS);
		held.changed = held.inode->nlink != nlink ||
			       held.inode->ctime.tv_nsec != ctime.tv_nsec ||
			       held.inode->ctime.tv_sec != ctime.tv_sec;
	}
}

static void
writer_body(void *arg)
{
	int fd = vfs_openat(AT_FDCWD, arg, O_RDWR, 0);

	held.thread = thread_current();
	CHECK(fd >= 0);
	CHECK_EQ(vfs_pwrite(fd, "written", 7, 0), 7);	/* a page, a radix node */
	CHECK_EQ(vfs_close(fd), 0);
}

static void
rename_while_locked(const char *victim, const char *from, unsigned int flags)
{
	struct dentry *d = cached(".", victim);
	struct thread *w;

	CHECK(d && d->inode);
	if (!d || !d->inode)
		return;
	memset(&held, 0, sizeof(held));
	held.inode = d->inode;
	dput(d);
	host_irq_tick();			/* a ctime set now differs from the last one */
	host_kmalloc_hook = hold_and_sleep;
	held.armed = true;
	/* Above the test's priority: it runs at once, until it sleeps. */
	w = thread_create("writer", writer_body, (void *)victim, THREAD_PRIO_DEFAULT + 1, 0);
	CHECK(w != NULL);
	CHECK(held.slept);			/* it holds the lock now */
	CHECK_EQ(vfs_renameat2(AT_FDCWD, from, AT_FDCWD, victim, flags), 0);
	if (w)
		thread_join(w);
	host_kmalloc_hook = NULL;
	CHECK(!held.changed);
}

HOST_TEST(rename_takes_the_inode_locks)
{
	begin();
	/* Over a file: its last link goes. */
	CHECK_EQ(write_file("victim", ""), 0);
	CHECK_EQ(write_file("other", "other"), 0);
	rename_while_locked("victim", "other", 0);
	CHECK(has_text("victim", "other"));
	/* The source file (its ctime), in an exchange. */
	CHECK_EQ(write_file("a", ""), 0);
	CHECK_EQ(write_file("b", "b"), 0);
	rename_while_locked("a", "b", RENAME_EXCHANGE);
	CHECK(has_text("a", "b"));
	CHECK(has_text("b", "written"));
	end();
}

/* ---- threads racing in one directory ---- */

#define RACE_THREADS	4
#define RACE_ROUNDS	90

static uint32_t race_rng = 0x9e3779b9u;
static unsigned long race_ticks, race_ticks_locked;

/*
 * At a third of the allocations, a timer interrupt: the time slice (two
 * ticks) runs out inside the VFS, with its locks held or not, and another
 * thread of the same priority gets the CPU.
 */
static void
race_preempt(void)
{
	race_rng ^= race_rng << 13;
	race_rng ^= race_rng >> 17;
	race_rng ^= race_rng << 5;
	if (race_rng % 3 || !arch_irqs_enabled())
		return;
	race_ticks++;
	if (thread_current()->mutexes_held)
		race_ticks_locked++;
	host_irq_tick();
}

static void
race_body(void *arg)
{
	int t = (int)(uintptr_t)arg;
	char a[64], b[64], tmp[64], text[32];
	struct kstat st;
	int err;

	for (int i = 0; i < RACE_ROUNDS; i++) {
		int fd;

		/* A file of our own: created, then removed, renamed or kept. */
		snprintf(a, sizeof(a), "race/t%d-%d", t, i);
		snprintf(text, sizeof(text), "t%d-%d", t, i);
		fd = vfs_openat(AT_FDCWD, a, O_WRONLY | O_CREAT | O_EXCL, 0644);
		CHECK(fd >= 0);
		CHECK_EQ(vfs_write(fd, text, strlen(text)), strlen(text));
		vfs_close(fd);
		if (i % 3 == 0) {
			CHECK_EQ(vfs_unlinkat(AT_FDCWD, a, 0), 0);
		} else if (i % 3 == 1) {
			snprintf(b, sizeof(b), "race/r%d-%d", t, i);
			CHECK_EQ(vfs_renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_NOREPLACE), 0);
		} else if (i >= 5) {
			/* Swap with the one kept three rounds ago, and back. */
			snprintf(b, sizeof(b), "race/t%d-%d", t, i - 3);
			CHECK_EQ(vfs_renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE), 0);
			CHECK(has_text(b, text));
			CHECK_EQ(vfs_renameat2(AT_FDCWD, b, AT_FDCWD, a, RENAME_EXCHANGE), 0);
			CHECK(has_text(a, text));
		}
		/* Everyone replaces the same name. */
		snprintf(tmp, sizeof(tmp), "race/tmp%d", t);
		snprintf(text, sizeof(text), "s%d-%d", t, i);
		CHECK_EQ(write_file(tmp, text), 0);
		CHECK_EQ(vfs_renameat2(AT_FDCWD, tmp, AT_FDCWD, "race/shared", 0), 0);
		/* Directories: every odd one stays. */
		snprintf(b, sizeof(b), "race/d%d-%d", t, i);
		CHECK_EQ(vfs_mkdirat(AT_FDCWD, b, 0755), 0);
		if (i % 2 == 0)
			CHECK_EQ(vfs_unlinkat(AT_FDCWD, b, AT_REMOVEDIR), 0);
		/* One directory everyone makes and removes. */
		err = vfs_mkdirat(AT_FDCWD, "race/common", 0755);
		CHECK(err == 0 || err == -EEXIST);
		err = vfs_unlinkat(AT_FDCWD, "race/common", AT_REMOVEDIR);
		CHECK(err == 0 || err == -ENOENT);
		/* Look at the neighbour's names while it works on them. */
		snprintf(b, sizeof(b), "race/t%d-%d", (t + 1) % RACE_THREADS, i);
		err = stat_at(AT_FDCWD, b, 0, &st);
		CHECK(err == 0 || err == -ENOENT);
		snprintf(b, sizeof(b), "race/r%d-%d", (t + 1) % RACE_THREADS, i);
		err = stat_at(AT_FDCWD, b, 0, &st);
		CHECK(err == 0 || err == -ENOENT);
		err = stat_at(AT_FDCWD, "race/shared", 0, &st);
		CHECK_EQ(err, 0);
	}
}

static struct listing race_listing;

HOST_TEST(threads_race_in_one_directory)
{
	struct thread *th[RACE_THREADS];
	unsigned long switches;
	unsigned int expected = 1;		/* "shared" */
	char name[64], text[32], buf[32];
	bool shared_ok = false;

	begin();
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "race", 0755), 0);
	switches = sched_context_switches();
	race_ticks = race_ticks_locked = 0;
	host_kmalloc_hook = race_preempt;
	for (int t = 0; t < RACE_THREADS; t++) {
		th[t] = thread_create("race", race_body, (void *)(uintptr_t)t, THREAD_PRIO_DEFAULT, 0);
		CHECK(th[t] != NULL);
	}
	for (int t = 0; t < RACE_THREADS; t++)
		if (th[t])
			thread_join(th[t]);
	host_kmalloc_hook = NULL;
	switches = sched_context_switches() - switches;
	printf("# %lu context switches, %lu ticks, %lu of them with a VFS mutex held\n",
	       switches, race_ticks, race_ticks_locked);
	CHECK(switches > 100);
	CHECK(race_ticks_locked > 10);
	/* Exactly what the threads left, for getdents and for lookups. */
	CHECK(list_dir("race", &race_listing) >= 0);
	for (int t = 0; t < RACE_THREADS; t++) {
		for (int i = 0; i < RACE_ROUNDS; i++) {
			snprintf(text, sizeof(text), "t%d-%d", t, i);
			snprintf(name, sizeof(name), "race/t%d-%d", t, i);
			if (i % 3 == 2) {
				CHECK(has_text(name, text));
				CHECK(listed(&race_listing, name + 5));
				expected++;
			} else {
				CHECK_EQ(lmode_of(name), -ENOENT);
			}
			snprintf(name, sizeof(name), "race/r%d-%d", t, i);
			if (i % 3 == 1) {
				CHECK(has_text(name, text));
				CHECK(listed(&race_listing, name + 5));
				expected++;
			} else {
				CHECK_EQ(lmode_of(name), -ENOENT);
			}
			snprintf(name, sizeof(name), "race/d%d-%d", t, i);
			if (i % 2) {
				CHECK_EQ(lmode_of(name), S_IFDIR | 0755);
				expected++;
			} else {
				CHECK_EQ(lmode_of(name), -ENOENT);
			}
		}
		snprintf(name, sizeof(name), "race/tmp%d", t);
		CHECK_EQ(lmode_of(name), -ENOENT);
	}
	CHECK_EQ(lmode_of("race/common"), -ENOENT);
	CHECK_EQ(race_listing.n, expected);
	CHECK_EQ(nlink_of("race"), 2 + RACE_THREADS * (RACE_ROUNDS / 2));
	/* "shared" holds the last round of one of the threads. */
	CHECK(read_file("race/shared", buf, sizeof(buf)) > 0);
	for (int t = 0; t < RACE_THREADS; t++) {
		snprintf(text, sizeof(text), "s%d-%d", t, RACE_ROUNDS - 1);
		shared_ok |= strcmp(buf, text) == 0;
	}
	CHECK(shared_ok);
	end();
}

/* ---- directories moving between shared parents ---- */

#define MOVE_THREADS	4
#define MOVE_PARENTS	3
#define MOVE_ROUNDS	60

/*
 * Each thread owns a directory and moves it from parent to parent (all
 * threads share the parents, so renames lock pairs of them in both
 * orders at once), creating a file inside before each move and checking
 * after it that "..", the new path and every file made so far agree.
 */
static void
move_body(void *arg)
{
	int t = (int)(uintptr_t)arg, where = t % MOVE_PARENTS;
	char from[64], to[64], file[96], text[32];
	struct kstat st;

	for (int i = 0; i < MOVE_ROUNDS; i++) {
		int next = (where + 1 + (i + t) % (MOVE_PARENTS - 1)) % MOVE_PARENTS;
		char parent[32];

		snprintf(from, sizeof(from), "move/p%d/%s%d", where, t % 2 ? LONG_A : "own", t);
		snprintf(file, sizeof(file), "%s/f%d", from, i);
		snprintf(text, sizeof(text), "%d-%d", t, i);
		CHECK_EQ(write_file(file, text), 0);
		snprintf(to, sizeof(to), "move/p%d/%s%d", next, t % 2 ? LONG_A : "own", t);
		CHECK_EQ(vfs_renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE), 0);
		CHECK_EQ(lmode_of(from), -ENOENT);
		snprintf(parent, sizeof(parent), "move/p%d", next);
		snprintf(file, sizeof(file), "%s/..", to);
		CHECK_EQ(ino_of(file), ino_of(parent));
		for (int j = 0; j <= i; j += 7) {
			snprintf(file, sizeof(file), "%s/f%d", to, j);
			snprintf(text, sizeof(text), "%d-%d", t, j);
			CHECK(has_text(file, text));
		}
		/* Look for a neighbour's directory (and into it) while it moves. */
		for (int p = 0; p < MOVE_PARENTS; p++) {
			int u = (t + 1) % MOVE_THREADS, err;

			snprintf(file, sizeof(file), "move/p%d/%s%d/f0", p, u % 2 ? LONG_A : "own", u);
			err = stat_at(AT_FDCWD, file, 0, &st);
			CHECK(err == 0 || err == -ENOENT);
			snprintf(file, sizeof(file), "move/p%d/%s%d/../p%d", p, u % 2 ? LONG_A : "own",
				 u, p);
			err = stat_at(AT_FDCWD, file, 0, &st);
			CHECK(err == 0 || err == -ENOENT);
		}
		where = next;
	}
}

HOST_TEST(threads_move_directories_across_parents)
{
	struct thread *th[MOVE_THREADS];
	unsigned long switches = sched_context_switches();
	unsigned int dirs[MOVE_PARENTS] = { 0 };
	char name[96];

	begin();
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "move", 0755), 0);
	for (int p = 0; p < MOVE_PARENTS; p++) {
		snprintf(name, sizeof(name), "move/p%d", p);
		CHECK_EQ(vfs_mkdirat(AT_FDCWD, name, 0755), 0);
	}
	for (int t = 0; t < MOVE_THREADS; t++) {
		snprintf(name, sizeof(name), "move/p%d/%s%d", t % MOVE_PARENTS, t % 2 ? LONG_A : "own", t);
		CHECK_EQ(vfs_mkdirat(AT_FDCWD, name, 0755), 0);
	}
	race_ticks = race_ticks_locked = 0;
	host_kmalloc_hook = race_preempt;
	for (int t = 0; t < MOVE_THREADS; t++) {
		th[t] = thread_create("move", move_body, (void *)(uintptr_t)t, THREAD_PRIO_DEFAULT, 0);
		CHECK(th[t] != NULL);
	}
	for (int t = 0; t < MOVE_THREADS; t++)
		if (th[t])
			thread_join(th[t]);
	host_kmalloc_hook = NULL;
	printf("# %lu context switches, %lu ticks, %lu of them with a VFS mutex held\n",
	       sched_context_switches() - switches, race_ticks, race_ticks_locked);
	CHECK(race_ticks_locked > 10);
	/* Each directory in exactly one parent, with all its files. */
	for (int t = 0; t < MOVE_THREADS; t++) {
		int found = 0;

		for (int p = 0; p < MOVE_PARENTS; p++) {
			struct listing *l = &race_listing;

			snprintf(name, sizeof(name), "move/p%d/%s%d", p, t % 2 ? LONG_A : "own", t);
			if (lmode_of(name) < 0)
				continue;
			found++;
			dirs[p]++;
			CHECK_EQ(list_dir(name, l), MOVE_ROUNDS);
			CHECK_EQ(nlink_of(name), 2);
		}
		CHECK_EQ(found, 1);
	}
	for (int p = 0; p < MOVE_PARENTS; p++) {
		snprintf(name, sizeof(name), "move/p%d", p);
		CHECK_EQ(nlink_of(name), 2 + dirs[p]);
		CHECK_EQ(list_dir(name, &race_listing), dirs[p]);
	}
	end();
}
