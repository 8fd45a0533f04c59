/*
 * Descriptor-table and per-process file state: dup/dup2/dup3, fcntl
 * (F_DUPFD*, F_GETFD/SETFD, F_GETFL/SETFL; i386 fcntl64), close, umask,
 * getcwd/chdir/fchdir, and EFAULT for their pointer arguments.
 */
#include "kt.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>

static void dup_calls(void)
{
	kt_write_file("f", "0123456789", 0644);
	int fd = REQUIRE_OK(open("f", O_RDONLY | O_CLOEXEC));
	int d = CHECK_OK(dup(fd));
	CHECK(d > fd);
	CHECK_EQ(fcntl(d, F_GETFD), 0);			/* FD_CLOEXEC is not copied */
	/* One open file description: one offset. */
	CHECK_EQ(lseek(fd, 3, SEEK_SET), 3);
	CHECK_EQ(lseek(d, 0, SEEK_CUR), 3);
	char c;
	CHECK_EQ(read(d, &c, 1), 1);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 4);
	CHECK_ERR(dup(-1), EBADF);
	CHECK_ERR(dup(999999), EBADF);
	/* dup2: onto an open descriptor closes it first; onto itself is a no-op. */
	int other = REQUIRE_OK(open("/dev/null", O_RDONLY));
	CHECK_EQ(dup2(fd, other), other);
	CHECK_EQ(lseek(other, 0, SEEK_CUR), 4);
	CHECK_EQ(dup2(fd, fd), fd);
	CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);	/* untouched */
	CHECK_ERR(dup2(-1, 5), EBADF);
	CHECK_ERR(dup2(999999, 999999), EBADF);
	CHECK_EQ(dup2(fd, 100), 100);
	CHECK_EQ(lseek(100, 0, SEEK_CUR), 4);
	struct rlimit rl;
	REQUIRE_OK(getrlimit(RLIMIT_NOFILE, &rl));
	CHECK_ERR(dup2(fd, (int)rl.rlim_cur), EBADF);
	CHECK_ERR(dup2(fd, -1), EBADF);
	/* dup3: flags, and the same descriptor is an error. */
	CHECK_EQ(dup3(fd, 101, O_CLOEXEC), 101);
	CHECK_EQ(fcntl(101, F_GETFD), FD_CLOEXEC);
	CHECK_EQ(dup3(fd, 101, 0), 101);
	CHECK_EQ(fcntl(101, F_GETFD), 0);
	CHECK_ERR(dup3(fd, fd, 0), EINVAL);
	CHECK_ERR(dup3(fd, 102, O_NONBLOCK), EINVAL);
	CHECK_ERR(dup3(-1, 102, 0), EBADF);
#ifdef SYS_dup2
	CHECK_EQ(syscall(SYS_dup2, fd, fd), fd);
	CHECK_ERR(syscall(SYS_dup2, 999999, 999999), EBADF);
#endif
	/* close. */
	CHECK_OK(close(100));
	CHECK_ERR(close(100), EBADF);
	CHECK_ERR(close(-1), EBADF);
	CHECK_ERR(fcntl(100, F_GETFD), EBADF);
}

static void fcntl_calls(void)
{
	int fd = REQUIRE_OK(open("f", O_RDWR | O_CREAT | O_APPEND, 0644));
	CHECK_EQ(fcntl(fd, F_GETFD), 0);
	CHECK_OK(fcntl(fd, F_SETFD, FD_CLOEXEC));
	CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	CHECK_OK(fcntl(fd, F_SETFD, 0));
	CHECK_EQ(fcntl(fd, F_GETFD), 0);
	int fl = CHECK_OK(fcntl(fd, F_GETFL));
	CHECK_EQ(fl & O_ACCMODE, O_RDWR);
	CHECK(fl & O_APPEND);
	CHECK(!(fl & O_NONBLOCK));
	/* F_SETFL changes O_APPEND/O_NONBLOCK but never the access mode. */
	CHECK_OK(fcntl(fd, F_SETFL, O_NONBLOCK | O_RDONLY));
	fl = CHECK_OK(fcntl(fd, F_GETFL));
	CHECK_EQ(fl & O_ACCMODE, O_RDWR);
	CHECK(fl & O_NONBLOCK);
	CHECK(!(fl & O_APPEND));
	/* F_DUPFD: the lowest free descriptor at or above the argument. */
	int d = CHECK_OK(fcntl(fd, F_DUPFD, 10));
	CHECK_EQ(d, 10);
	CHECK_EQ(fcntl(fd, F_DUPFD, 10), 11);
	CHECK_EQ(fcntl(d, F_GETFD), 0);
	CHECK(fcntl(d, F_GETFL) & O_NONBLOCK);		/* shared file status flags */
	int dc = CHECK_OK(fcntl(fd, F_DUPFD_CLOEXEC, 20));
	CHECK_EQ(dc, 20);
	CHECK_EQ(fcntl(dc, F_GETFD), FD_CLOEXEC);
	struct rlimit rl;
	REQUIRE_OK(getrlimit(RLIMIT_NOFILE, &rl));
	CHECK_ERR(fcntl(fd, F_DUPFD, (int)rl.rlim_cur), EINVAL);
	CHECK_ERR(fcntl(fd, F_DUPFD, -1), EINVAL);
	CHECK_ERR(fcntl(-1, F_GETFD), EBADF);
	CHECK_ERR(fcntl(fd, 0x7777), EINVAL);
	/* The descriptor of a pipe: its ends' modes. */
	int p[2];
	REQUIRE_OK(pipe(p));
	CHECK_EQ(fcntl(p[0], F_GETFL) & O_ACCMODE, O_RDONLY);
	CHECK_EQ(fcntl(p[1], F_GETFL) & O_ACCMODE, O_WRONLY);
#ifdef SYS_fcntl64
	CHECK_EQ(syscall(SYS_fcntl64, fd, F_GETFD), 0);
	CHECK_EQ(syscall(SYS_fcntl64, fd, F_DUPFD, 30), 30);
	CHECK_ERR(syscall(SYS_fcntl64, -1, F_GETFL), EBADF);
#endif
	close(fd);
}

static void umask_calls(void)
{
	struct stat st;
	umask(022);
	CHECK_EQ(umask(077), 022);
	CHECK_EQ(umask(077), 077);
	CHECK_EQ(umask(01777), 077);
	CHECK_EQ(umask(0), 0777);		/* only the permission bits are kept */
	umask(037);
	int fd = REQUIRE_OK(open("f", O_CREAT | O_WRONLY, 0777));
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_mode & 0777, 0740);
	close(fd);
	CHECK_OK(mkdir("d", 0777));
	CHECK_OK(stat("d", &st));
	CHECK_EQ(st.st_mode & 0777, 0740);
	CHECK_OK(mkfifo("p", 0666));
	CHECK_OK(stat("p", &st));
	CHECK_EQ(st.st_mode & 0777, 0640);
	CHECK_OK(chmod("f", 0777));		/* chmod ignores it */
	CHECK_OK(stat("f", &st));
	CHECK_EQ(st.st_mode & 0777, 0777);
	/* Inherited across fork. */
	pid_t pid = kt_fork();
	if (pid == 0)
		_exit(umask(0) != 037);
	CHECK_EQ(kt_wait_exit(pid), 0);
}

static void cwd_calls(void)
{
	char start[4096], buf[4096];
	REQUIRE(getcwd(start, sizeof(start)));
	CHECK(start[0] == '/');
	CHECK_OK(mkdir("a", 0755));
	CHECK_OK(mkdir("a/b", 0755));
	CHECK_OK(chdir("a/b"));
	REQUIRE(getcwd(buf, sizeof(buf)));
	char want[4200];
	snprintf(want, sizeof(want), "%s/a/b", start);
	CHECK_STR(buf, want);
	CHECK_OK(chdir(".."));
	REQUIRE(getcwd(buf, sizeof(buf)));
	snprintf(want, sizeof(want), "%s/a", start);
	CHECK_STR(buf, want);
	/* The raw call returns the length with the NUL. */
	CHECK_EQ(syscall(SYS_getcwd, buf, sizeof(buf)), (long)strlen(want) + 1);
	CHECK_ERR(syscall(SYS_getcwd, buf, strlen(want)), ERANGE);
	CHECK_ERR(syscall(SYS_getcwd, buf, 0), ERANGE);
	CHECK_EQ(syscall(SYS_getcwd, buf, strlen(want) + 1), (long)strlen(want) + 1);
	/* fchdir. */
	int dfd = REQUIRE_OK(open("b", O_RDONLY | O_DIRECTORY));
	CHECK_OK(fchdir(dfd));
	REQUIRE(getcwd(buf, sizeof(buf)));
	snprintf(want, sizeof(want), "%s/a/b", start);
	CHECK_STR(buf, want);
	close(dfd);
	CHECK_ERR(fchdir(-1), EBADF);
	CHECK_OK(chdir(start));
	kt_write_file("f", "", 0644);
	int ffd = REQUIRE_OK(open("f", O_RDONLY));
	CHECK_ERR(fchdir(ffd), ENOTDIR);
	close(ffd);
	CHECK_ERR(chdir("f"), ENOTDIR);
	CHECK_ERR(chdir("missing"), ENOENT);
	CHECK_ERR(chdir(""), ENOENT);
	/* chdir through a symlink; "/" has itself as parent. */
	CHECK_OK(symlink("a", "la"));
	CHECK_OK(chdir("la/b"));
	REQUIRE(getcwd(buf, sizeof(buf)));
	CHECK_STR(buf, want);
	CHECK_OK(chdir("/.."));
	REQUIRE(getcwd(buf, sizeof(buf)));
	CHECK_STR(buf, "/");
	/* A removed working directory: getcwd fails with ENOENT. */
	CHECK_OK(chdir(start));
	CHECK_OK(mkdir("gone", 0755));
	CHECK_OK(chdir("gone"));
	CHECK_OK(rmdir("../gone"));
	CHECK_ERR(syscall(SYS_getcwd, buf, sizeof(buf)), ENOENT);
	CHECK_OK(chdir(start));
	/* Working directory is inherited across fork, private afterwards. */
	pid_t pid = kt_fork();
	if (pid == 0) {
		char b[4096];
		int bad = !getcwd(b, sizeof(b)) || strcmp(b, start) || chdir("/");
		_exit(bad);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
	REQUIRE(getcwd(buf, sizeof(buf)));
	CHECK_STR(buf, start);
	if (kt_is_root()) {
		CHECK_OK(mkdir("noexec", 0700));
		pid = kt_fork();
		if (pid == 0) {
			kt_drop_privileges();
			CHECK_ERR(chdir("noexec"), EACCES);
			_exit(kt_failures != 0);
		}
		CHECK_EQ(kt_wait_exit(pid), 0);
	}
	FOR_BAD(kt_bad_in, b)
		CHECK_ERR(syscall(SYS_chdir, b->p), EFAULT);
	FOR_BAD(kt_bad_out, b)
		CHECK_ERR(syscall(SYS_getcwd, b->p, 4096), EFAULT);
	END_BAD;
}

KT_TABLE(fd) = {
	{"fd.dup", dup_calls},
	{"fd.fcntl", fcntl_calls},
	{"fd.umask", umask_calls},
	{"fd.cwd", cwd_calls},
	{NULL, NULL},
};
