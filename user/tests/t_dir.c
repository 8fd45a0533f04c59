/*
 * Name-space calls: mkdir/mkdirat, rmdir, unlink/unlinkat, rename/
 * renameat/renameat2, link/linkat, symlink/symlinkat, readlink/readlinkat,
 * mknod of FIFOs, and EFAULT for every path and buffer argument.
 */
#include "kt.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

static void mkdir_rmdir(void)
{
	struct stat st;
	umask(027);
	CHECK_OK(mkdir("d", 0777));
	CHECK_OK(stat("d", &st));
	CHECK_EQ(st.st_mode, S_IFDIR | 0750);
	CHECK_ERR(mkdir("d", 0755), EEXIST);
	kt_write_file("f", "", 0644);
	CHECK_ERR(mkdir("f", 0755), EEXIST);
	CHECK_ERR(mkdir("missing/d", 0755), ENOENT);
	CHECK_ERR(mkdir("f/d", 0755), ENOTDIR);
	CHECK_ERR(mkdir("", 0755), ENOENT);
	CHECK_OK(mkdir("d/sub/", 0755));		/* a trailing slash is fine */
	int dfd = REQUIRE_OK(open("d", O_RDONLY | O_DIRECTORY));
	CHECK_OK(mkdirat(dfd, "at", 0700));
	CHECK_OK(stat("d/at", &st));
	CHECK(S_ISDIR(st.st_mode));
	CHECK_OK(stat("d", &st));
	CHECK_EQ(st.st_nlink, 4);
	CHECK_ERR(rmdir("d"), ENOTEMPTY);
	CHECK_ERR(rmdir("f"), ENOTDIR);
	CHECK_ERR(rmdir("missing"), ENOENT);
	CHECK_ERR(rmdir("d/sub/."), EINVAL);
	CHECK_ERR(rmdir("d/sub/.."), ENOTEMPTY);
	CHECK_OK(rmdir("d/sub"));
	CHECK_OK(unlinkat(dfd, "at", AT_REMOVEDIR));
	CHECK_OK(stat("d", &st));
	CHECK_EQ(st.st_nlink, 2);
	CHECK_OK(rmdir("d"));
	CHECK_ERR(stat("d", &st), ENOENT);
	/* The directory is gone but still open: nothing can be made in it. */
	CHECK_ERR(mkdirat(dfd, "x", 0755), ENOENT);
	CHECK_ERR(openat(dfd, "x", O_CREAT | O_WRONLY, 0644), ENOENT);
	close(dfd);
	FOR_BAD(kt_bad_in, b) {
		CHECK_ERR(syscall(SYS_mkdirat, AT_FDCWD, b->p, 0755), EFAULT);
#ifdef SYS_mkdir
		CHECK_ERR(syscall(SYS_mkdir, b->p, 0755), EFAULT);
		CHECK_ERR(syscall(SYS_rmdir, b->p), EFAULT);
#endif
		CHECK_ERR(syscall(SYS_unlinkat, AT_FDCWD, b->p, AT_REMOVEDIR), EFAULT);
	}
	END_BAD;
}

static void unlink_calls(void)
{
	struct stat st;
	kt_write_file("f", "data", 0644);
	int fd = REQUIRE_OK(open("f", O_RDONLY));
	CHECK_OK(unlink("f"));
	CHECK_ERR(stat("f", &st), ENOENT);
	/* Still readable through the open descriptor, with no links left. */
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_nlink, 0);
	char buf[8] = {0};
	CHECK_EQ(read(fd, buf, sizeof(buf)), 4);
	CHECK_STR(buf, "data");
	close(fd);
	CHECK_ERR(unlink("f"), ENOENT);
	CHECK_OK(mkdir("d", 0755));
	CHECK_ERR(unlink("d"), EISDIR);
	CHECK_ERR(unlinkat(AT_FDCWD, "d", 0), EISDIR);
	CHECK_ERR(unlinkat(AT_FDCWD, "d", 0x1), EINVAL);	/* unknown flag */
	kt_write_file("d/f", "", 0644);
	CHECK_ERR(unlinkat(AT_FDCWD, "d/f", AT_REMOVEDIR), ENOTDIR);
	CHECK_OK(unlinkat(AT_FDCWD, "d/f", 0));
	/* A symlink is removed, not its target. */
	kt_write_file("t", "", 0644);
	CHECK_OK(symlink("t", "l"));
	CHECK_OK(unlink("l"));
	CHECK_OK(stat("t", &st));
	/* Unprivileged: a 0755 directory of root's is not writable; the sticky
	 * bit protects other users' files. */
	if (kt_is_root()) {
		CHECK_OK(mkdir("ro", 0755));
		kt_write_file("ro/f", "", 0666);
		CHECK_OK(mkdir("sticky", 0755));
		CHECK_OK(chmod("sticky", 01777));
		kt_write_file("sticky/f", "", 0666);
		pid_t pid = kt_fork();
		if (pid == 0) {
			kt_drop_privileges();
			CHECK_ERR(unlink("ro/f"), EACCES);
			CHECK_ERR(unlink("sticky/f"), EPERM);
			kt_write_file("sticky/mine", "", 0644);
			CHECK_OK(unlink("sticky/mine"));
			_exit(kt_failures != 0);
		}
		CHECK_EQ(kt_wait_exit(pid), 0);
	}
	FOR_BAD(kt_bad_in, b) {
#ifdef SYS_unlink
		CHECK_ERR(syscall(SYS_unlink, b->p), EFAULT);
#endif
		CHECK_ERR(syscall(SYS_unlinkat, AT_FDCWD, b->p, 0), EFAULT);
	}
	END_BAD;
}

static long renameat2_raw(const char *a, const char *b, unsigned flags)
{
#ifdef SYS_renameat2
	return syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, flags);
#else
	errno = ENOSYS;
	return -1;
#endif
}

static void rename_calls(void)
{
	struct stat st, st2;
	char buf[16] = {0};
	kt_write_file("a", "A", 0644);
	kt_write_file("b", "B", 0644);
	CHECK_OK(stat("a", &st));
	CHECK_OK(rename("a", "b"));		/* replaces b */
	CHECK_ERR(stat("a", &st2), ENOENT);
	CHECK_OK(stat("b", &st2));
	CHECK_EQ(st2.st_ino, st.st_ino);
	CHECK_EQ(kt_read_file("b", buf, sizeof(buf)), 1);
	CHECK_STR(buf, "A");
	CHECK_OK(rename("b", "b"));		/* same name: nothing happens */
	CHECK_OK(link("b", "b2"));
	CHECK_OK(rename("b", "b2"));		/* same file: nothing happens */
	CHECK_OK(stat("b", &st));
	CHECK_EQ(st.st_nlink, 2);
	CHECK_ERR(rename("missing", "x"), ENOENT);
	CHECK_ERR(rename("b", "missing/x"), ENOENT);
	/* Directories. */
	CHECK_OK(mkdir("d1", 0755));
	CHECK_OK(mkdir("d2", 0755));
	CHECK_OK(mkdir("full", 0755));
	kt_write_file("full/f", "", 0644);
	CHECK_OK(rename("d1", "d2"));		/* over an empty directory */
	CHECK_ERR(stat("d1", &st), ENOENT);
	CHECK_ERR(rename("d2", "full"), ENOTEMPTY);
	CHECK_ERR(rename("b", "d2"), EISDIR);
	CHECK_ERR(rename("d2", "b"), ENOTDIR);
	CHECK_OK(mkdir("d2/in", 0755));
	CHECK_ERR(rename("d2", "d2/in/x"), EINVAL);	/* into itself */
	CHECK_ERR(rename("d2", "d2/in"), EINVAL);
	CHECK_ERR(rename(".", "x"), EBUSY);
	CHECK_OK(rename("d2/in", "moved"));
	CHECK_OK(stat("moved", &st));
	CHECK(S_ISDIR(st.st_mode));
	CHECK_OK(stat("d2", &st));
	CHECK_EQ(st.st_nlink, 2);		/* its ".." moved away */
	/* A moved directory's ".." follows it. */
	CHECK_OK(mkdir("moved/inner", 0755));
	CHECK_OK(rename("moved", "d2/again"));
	CHECK_OK(stat("d2/again/inner/../..", &st));
	CHECK_OK(stat("d2", &st2));
	CHECK_EQ(st.st_ino, st2.st_ino);
	/* renameat and renameat2 (aarch64's only rename). */
	int dfd = REQUIRE_OK(open("d2", O_RDONLY | O_DIRECTORY));
	kt_write_file("c", "C", 0644);
	CHECK_OK(renameat(AT_FDCWD, "c", dfd, "c"));
	CHECK_OK(stat("d2/c", &st));
	close(dfd);
	kt_write_file("x", "X", 0644);
	kt_write_file("y", "Y", 0644);
	long r = renameat2_raw("x", "y", RENAME_NOREPLACE);
	if (r == -1 && errno == ENOSYS) {
		kt_note("renameat2: ENOSYS");
	} else {
		CHECK_EQ(r, -1);
		CHECK_EQ(errno, EEXIST);
		CHECK_OK(renameat2_raw("x", "z", RENAME_NOREPLACE));
		CHECK_ERR(renameat2_raw("z", "w", 0x80000000u), EINVAL);
		CHECK_ERR(renameat2_raw("z", "y", RENAME_NOREPLACE | RENAME_EXCHANGE), EINVAL);
	}
	if (kt_is_root()) {
		CHECK_OK(mkdir("sticky", 0755));
		CHECK_OK(chmod("sticky", 01777));
		kt_write_file("sticky/f", "", 0666);
		CHECK_OK(chmod(".", 0755));	/* root's, not writable by others */
		pid_t pid = kt_fork();
		if (pid == 0) {
			kt_drop_privileges();
			CHECK_ERR(rename("sticky/f", "sticky/g"), EPERM);
			CHECK_ERR(rename("y", "y2"), EACCES);
			_exit(kt_failures != 0);
		}
		CHECK_EQ(kt_wait_exit(pid), 0);
		CHECK_OK(chmod(".", 0777));
	}
	FOR_BAD(kt_bad_in, b) {
#ifdef SYS_rename
		CHECK_ERR(syscall(SYS_rename, b->p, "q"), EFAULT);
		CHECK_ERR(syscall(SYS_rename, "y", b->p), EFAULT);
#endif
#ifdef SYS_renameat
		CHECK_ERR(syscall(SYS_renameat, AT_FDCWD, b->p, AT_FDCWD, "q"), EFAULT);
		CHECK_ERR(syscall(SYS_renameat, AT_FDCWD, "y", AT_FDCWD, b->p), EFAULT);
#endif
#ifdef SYS_renameat2
		CHECK_ERR(syscall(SYS_renameat2, AT_FDCWD, b->p, AT_FDCWD, "q", 0), EFAULT);
		CHECK_ERR(syscall(SYS_renameat2, AT_FDCWD, "y", AT_FDCWD, b->p, 0), EFAULT);
#endif
	}
	END_BAD;
	CHECK_OK(stat("y", &st));		/* still there */
}

static void link_calls(void)
{
	struct stat st;
	kt_write_file("f", "x", 0644);
	CHECK_OK(link("f", "g"));
	CHECK_OK(stat("f", &st));
	CHECK_EQ(st.st_nlink, 2);
	CHECK_ERR(link("f", "g"), EEXIST);
	CHECK_ERR(link("missing", "h"), ENOENT);
	CHECK_OK(mkdir("d", 0755));
	CHECK_ERR(link("d", "d2"), EPERM);
	CHECK_ERR(link("f", "missing/x"), ENOENT);
	CHECK_OK(unlink("g"));
	CHECK_OK(stat("f", &st));
	CHECK_EQ(st.st_nlink, 1);
	/* linkat: a symlink itself, or (AT_SYMLINK_FOLLOW) its target. */
	CHECK_OK(symlink("f", "l"));
	CHECK_OK(linkat(AT_FDCWD, "l", AT_FDCWD, "l2", 0));
	CHECK_OK(lstat("l2", &st));
	CHECK(S_ISLNK(st.st_mode));
	CHECK_OK(linkat(AT_FDCWD, "l", AT_FDCWD, "f2", AT_SYMLINK_FOLLOW));
	CHECK_OK(lstat("f2", &st));
	CHECK(S_ISREG(st.st_mode));
	CHECK_EQ(st.st_nlink, 2);
	CHECK_ERR(linkat(AT_FDCWD, "f", AT_FDCWD, "f3", 0x2), EINVAL);
	FOR_BAD(kt_bad_in, b) {
#ifdef SYS_link
		CHECK_ERR(syscall(SYS_link, b->p, "q"), EFAULT);
		CHECK_ERR(syscall(SYS_link, "f", b->p), EFAULT);
#endif
		CHECK_ERR(syscall(SYS_linkat, AT_FDCWD, b->p, AT_FDCWD, "q", 0), EFAULT);
		CHECK_ERR(syscall(SYS_linkat, AT_FDCWD, "f", AT_FDCWD, b->p, 0), EFAULT);
	}
	END_BAD;
}

static void symlink_readlink(void)
{
	char buf[64];
	struct stat st;
	CHECK_OK(symlink("some/target", "l"));
	memset(buf, 'z', sizeof(buf));
	CHECK_EQ(readlink("l", buf, sizeof(buf)), 11);
	CHECK(memcmp(buf, "some/target", 11) == 0);
	CHECK_EQ(buf[11], 'z');				/* no NUL added */
	CHECK_EQ(readlink("l", buf, 4), 4);		/* truncated */
	CHECK(memcmp(buf, "some", 4) == 0);
	CHECK_ERR(readlink("l", buf, 0), EINVAL);
	kt_write_file("f", "", 0644);
	CHECK_ERR(readlink("f", buf, sizeof(buf)), EINVAL);
	CHECK_ERR(readlink("missing", buf, sizeof(buf)), ENOENT);
	CHECK_ERR(symlink("x", "l"), EEXIST);
	CHECK_ERR(symlink("x", "f"), EEXIST);
	CHECK_ERR(symlink("", "empty"), ENOENT);
	CHECK_ERR(symlink("x", "missing/l"), ENOENT);
	CHECK_OK(mkdir("d", 0755));
	int dfd = REQUIRE_OK(open("d", O_RDONLY | O_DIRECTORY));
	CHECK_OK(symlinkat("../f", dfd, "up"));
	CHECK_EQ(readlinkat(dfd, "up", buf, sizeof(buf)), 4);
	CHECK_OK(stat("d/up", &st));
	CHECK(S_ISREG(st.st_mode));
	close(dfd);
	/* A 4095-byte target is allowed, 4096 is not. */
	static char longt[4097];
	memset(longt, 'a', 4096);
	longt[4095] = 0;
	CHECK_OK(symlink(longt, "long"));
	static char back[4200];
	CHECK_EQ(readlink("long", back, sizeof(back)), 4095);
	longt[4095] = 'a';
	CHECK_ERR(symlink(longt, "toolong"), ENAMETOOLONG);
	FOR_BAD(kt_bad_in, b) {
#ifdef SYS_symlink
		CHECK_ERR(syscall(SYS_symlink, b->p, "q"), EFAULT);
		CHECK_ERR(syscall(SYS_symlink, "x", b->p), EFAULT);
		CHECK_ERR(syscall(SYS_readlink, b->p, buf, sizeof(buf)), EFAULT);
#endif
		CHECK_ERR(syscall(SYS_symlinkat, b->p, AT_FDCWD, "q"), EFAULT);
		CHECK_ERR(syscall(SYS_symlinkat, "x", AT_FDCWD, b->p), EFAULT);
		CHECK_ERR(syscall(SYS_readlinkat, AT_FDCWD, b->p, buf, sizeof(buf)), EFAULT);
	}
	FOR_BAD(kt_bad_out, b) {
#ifdef SYS_readlink
		CHECK_ERR(syscall(SYS_readlink, "l", b->p, 64), EFAULT);
#endif
		CHECK_ERR(syscall(SYS_readlinkat, AT_FDCWD, "l", b->p, 64), EFAULT);
	}
	END_BAD;
	CHECK_ERR(lstat("q", &st), ENOENT);
}

static void mknod_fifo(void)
{
	struct stat st;
	CHECK_OK(mkfifo("fifo", 0640));
	CHECK_OK(stat("fifo", &st));
	CHECK_EQ(st.st_mode, S_IFIFO | 0640);
	CHECK_ERR(mkfifo("fifo", 0640), EEXIST);
	/* Opening: a non-blocking reader needs no writer; a non-blocking
	 * writer without a reader gets ENXIO. */
	CHECK_ERR(open("fifo", O_WRONLY | O_NONBLOCK), ENXIO);
	int r = CHECK_OK(open("fifo", O_RDONLY | O_NONBLOCK));
	int w = CHECK_OK(open("fifo", O_WRONLY | O_NONBLOCK));
	CHECK_EQ(write(w, "fifo!", 5), 5);
	char buf[8] = {0};
	CHECK_EQ(read(r, buf, sizeof(buf)), 5);
	CHECK_STR(buf, "fifo!");
	CHECK_ERR(read(r, buf, sizeof(buf)), EAGAIN);
	close(w);
	CHECK_EQ(read(r, buf, sizeof(buf)), 0);
	close(r);
	/* A blocking open waits for the other end (a child opens it). */
	pid_t pid = kt_fork();
	if (pid == 0) {
		int fd = open("fifo", O_WRONLY);
		_exit(fd < 0 || write(fd, "x", 1) != 1);
	}
	r = CHECK_OK(open("fifo", O_RDONLY));
	CHECK_EQ(read(r, buf, 1), 1);
	CHECK_EQ(kt_wait_exit(pid), 0);
	close(r);
	/* mknod: regular files, FIFOs; devices need privilege; bad types. */
	CHECK_OK(mknod("reg", S_IFREG | 0600, 0));
	CHECK_OK(stat("reg", &st));
	CHECK_EQ(st.st_mode, S_IFREG | 0600);
	CHECK_ERR(mknod("dir", S_IFDIR | 0700, 0), EPERM);
	CHECK_ERR(mknod("bad", 0170000 | 0600, 0), EINVAL);
	if (kt_is_root()) {
		CHECK_OK(mknod("null", S_IFCHR | 0666, makedev(1, 3)));
		int fd = CHECK_OK(open("null", O_WRONLY));
		CHECK_EQ(write(fd, "x", 1), 1);
		close(fd);
		pid = kt_fork();
		if (pid == 0) {
			kt_drop_privileges();
			CHECK_ERR(mknod("null2", S_IFCHR | 0666, makedev(1, 3)), EPERM);
			_exit(kt_failures != 0);
		}
		CHECK_EQ(kt_wait_exit(pid), 0);
	}
	FOR_BAD(kt_bad_in, b) {
		CHECK_ERR(syscall(SYS_mknodat, AT_FDCWD, b->p, S_IFIFO | 0600, 0), EFAULT);
#ifdef SYS_mknod
		CHECK_ERR(syscall(SYS_mknod, b->p, S_IFIFO | 0600, 0), EFAULT);
#endif
	}
	END_BAD;
}

/*
 * Mount points keep their kind (root only): a directory bound or moved
 * onto a file, or a file onto a directory, is refused (Linux: ENOTDIR for
 * a bind, EINVAL for a move), a file bound onto a file is fine.  Kite
 * once let a directory be bound over /dev/null (kite-fuzz found it: every
 * later open of /dev/null was EISDIR).
 */
static void mount_kinds(void)
{
	struct stat st;

	if (!kt_is_root())
		kt_skip("mount is root's");
	CHECK_OK(mkdir("d1", 0755));
	CHECK_OK(mkdir("d2", 0755));
	kt_write_file("f1", "one", 0644);
	kt_write_file("f2", "two", 0644);

	CHECK_ERR(mount("d1", "f1", NULL, MS_BIND, NULL), ENOTDIR);
	CHECK_ERR(mount("f1", "d1", NULL, MS_BIND, NULL), ENOTDIR);
	CHECK_OK(stat("f1", &st));
	CHECK(S_ISREG(st.st_mode));
	CHECK_OK(stat("d1", &st));
	CHECK(S_ISDIR(st.st_mode));

	CHECK_OK(mount("f1", "f2", NULL, MS_BIND, NULL));
	CHECK_OK(stat("f2", &st));
	CHECK(S_ISREG(st.st_mode) && st.st_size == 3);
	CHECK_OK(umount("f2"));

	CHECK_OK(mount("d1", "d2", NULL, MS_BIND, NULL));
	CHECK_OK(umount("d2"));

	CHECK_OK(mount("tmpfs", "d2", "tmpfs", 0, "size=64k"));
	CHECK_ERR(mount("d2", "f1", NULL, MS_MOVE, NULL), EINVAL);
	CHECK_OK(stat("f1", &st));
	CHECK(S_ISREG(st.st_mode));
	CHECK_OK(umount("d2"));
}

/*
 * A mount racing the removal of its mount point (rmdir, or rename of
 * another directory over it): the mount fails (ENOENT) or the removal
 * does (EBUSY), never both succeed.  Kite once let both succeed, leaving
 * a mount in /proc/mounts under a path that no longer reached it
 * (kite-fuzz found it: its scratch directory could not be unmounted).
 * A kernel with the race fails this only when the two processes meet in
 * the window, which happened within the rounds here on two CPUs.
 */
static void mount_vs_remove(void)
{
	int mounted = 0, stranded = 0;
	pid_t pid;

	if (!kt_is_root())
		kt_skip("mount is root's");
	CHECK_OK(mkdir("m", 0755));
	if (mount("kt-race", "m", "tmpfs", 0, "size=16k") != 0) {
		if (!kt_on_kite())
			kt_skip("mount: %s (a container without CAP_SYS_ADMIN?)", strerror(errno));
		CHECK_OK(-1);
		return;
	}
	CHECK_OK(umount("m"));
	pid = kt_fork();
	if (pid == 0) {
		for (;;) {
			if (rmdir("m") == 0)
				mkdir("m", 0755);
			if (mkdir("n", 0755) == 0 && rename("n", "m") != 0)
				rmdir("n");
		}
	}
	for (int i = 0; i < 4000; i++) {
		if (mount("kt-race", "m", "tmpfs", 0, "size=16k") != 0)
			continue;
		mounted++;
		if (umount("m") != 0)
			stranded++;
	}
	kill(pid, SIGKILL);
	kt_wait(pid);
	CHECK_EQ(stranded, 0);
	CHECK_EQ(kt_count_mounts("kt-race"), 0);
	CHECK(mounted > 0);
}

KT_TABLE(dir) = {
	{"dir.mkdir_rmdir", mkdir_rmdir},
	{"dir.unlink", unlink_calls},
	{"dir.rename", rename_calls},
	{"dir.link", link_calls},
	{"dir.symlink_readlink", symlink_readlink},
	{"dir.mknod_fifo", mknod_fifo},
	{"dir.mount_kinds", mount_kinds},
	{"dir.mount_vs_remove", mount_vs_remove},
	{NULL, NULL},
};
