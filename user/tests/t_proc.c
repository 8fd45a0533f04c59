/*
 * Processes: fork, vfork, clone with fork flags, exit/exit_group,
 * wait4/waitid with every option, ids and groups, process groups and
 * sessions, zombies, orphans re-parented to init, SIGCHLD, and FP state
 * kept across context switches.
 */
#include "kt.h"

#include <fcntl.h>
#include <grp.h>
#include <linux/sched.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

static int global_var = 1;

static void fork_basic(void)
{
	pid_t me = getpid();
	kt_write_file("f", "", 0644);
	int fd = REQUIRE_OK(open("f", O_RDWR));
	int *heap = malloc(sizeof(int));
	*heap = 10;
	pid_t pid = kt_fork();
	if (pid == 0) {
		int bad = getppid() != me || getpid() == me;
		global_var = 2;
		*heap = 20;
		bad |= write(fd, "child", 5) != 5;
		_exit(bad ? 1 : 42);
	}
	CHECK(pid > 0 && pid != me);
	CHECK_EQ(kt_wait_exit(pid), 42);
	CHECK_EQ(global_var, 1);
	CHECK_EQ(*heap, 10);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 5);		/* the offset is shared */
	close(fd);
	/* Many children, each status delivered to the right pid. */
	pid_t pids[64];
	for (int i = 0; i < 64; i++) {
		pids[i] = kt_fork();
		if (pids[i] == 0)
			_exit(i + 100);
	}
	for (int i = 63; i >= 0; i--)
		CHECK_EQ(kt_wait_exit(pids[i]), i + 100);
	/* A chain: each child forks the next. */
	pid = kt_fork();
	if (pid == 0) {
		for (int depth = 0; depth < 16; depth++) {
			pid_t c = fork();
			if (c < 0)
				_exit(1);
			if (c > 0) {
				int st;
				if (waitpid(c, &st, 0) != c || !WIFEXITED(st))
					_exit(1);
				_exit(WEXITSTATUS(st));
			}
		}
		_exit(77);
	}
	CHECK_EQ(kt_wait_exit(pid), 77);
}

static void vfork_calls(void)
{
	volatile int v = 0;
	pid_t me = getpid();
	pid_t pid = vfork();
	if (pid == 0) {
		/* The parent is suspended and the memory shared until _exit. */
		v = 1;
		sched_yield();
		v = 2;
		_exit(getppid() == me ? 7 : 1);
	}
	REQUIRE(pid > 0);
	CHECK_EQ(v, 2);
	CHECK_EQ(kt_wait_exit(pid), 7);
	/* vfork + execve, the way ash runs commands. */
	char *argv[] = {kt_self, "--helper=exit", "33", NULL};
	pid = vfork();
	if (pid == 0) {
		execve(kt_self, argv, environ);
		_exit(127);
	}
	REQUIRE(pid > 0);
	CHECK_EQ(kt_wait_exit(pid), 33);
	/* A failed execve returns to the vfork child. */
	pid = vfork();
	if (pid == 0) {
		execve("/nonexistent", argv, environ);
		_exit(errno == ENOENT ? 55 : 1);
	}
	CHECK_EQ(kt_wait_exit(pid), 55);
}

static long raw_clone(unsigned long flags, void *ptid, void *ctid)
{
#if defined(__x86_64__)
	return syscall(SYS_clone, flags, 0, ptid, ctid, 0);
#else	/* i386 and the generic ABI: flags, stack, ptid, tls, ctid */
	return syscall(SYS_clone, flags, 0, ptid, 0, ctid);
#endif
}

static int vfork_child(void *arg)
{
	*(volatile int *)arg = 5;
	return 13;
}

static void clone_calls(void)
{
	/* clone(SIGCHLD) is fork. */
	long pid = raw_clone(SIGCHLD, NULL, NULL);
	if (pid == 0)
		_exit(11);
	REQUIRE(pid > 0);
	CHECK_EQ(kt_wait_exit(pid), 11);
	/* glibc's fork flags: the child's tid stored in the child. */
	static volatile pid_t ctid, ptid;
	ctid = 0;
	ptid = 0;
	pid = raw_clone(CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | CLONE_PARENT_SETTID | SIGCHLD,
			(void *)&ptid, (void *)&ctid);
	if (pid == 0)
		_exit(ctid == syscall(SYS_gettid) ? 12 : 1);
	REQUIRE(pid > 0);
	CHECK_EQ(kt_wait_exit(pid), 12);
	CHECK_EQ(ptid, pid);
	CHECK_EQ(ctid, 0);			/* the child's copy, not ours */
	/* vfork's flags, the child on a stack of its own (glibc's clone:
	 * a raw call would have the child overwrite the parent's frames). */
	static volatile int shared;
	static char stack[64 * 1024] __attribute__((aligned(16)));
	shared = 0;
	pid = clone(vfork_child, stack + sizeof(stack), CLONE_VM | CLONE_VFORK | SIGCHLD,
		    (void *)&shared);
	REQUIRE(pid > 0);
	CHECK_EQ(shared, 5);			/* written before we resumed */
	CHECK_EQ(kt_wait_exit(pid), 13);
	/* Combinations Linux refuses. */
	CHECK_ERR(raw_clone(CLONE_SIGHAND | SIGCHLD, NULL, NULL), EINVAL);
	CHECK_ERR(raw_clone(CLONE_THREAD | SIGCHLD, NULL, NULL), EINVAL);
	CHECK_ERR(raw_clone(CLONE_NEWNS | CLONE_FS | SIGCHLD, NULL, NULL), EINVAL);
}

static void exit_calls(void)
{
	pid_t pid = kt_fork();
	if (pid == 0)
		exit(256 + 7);		/* only the low 8 bits */
	CHECK_EQ(kt_wait_exit(pid), 7);
	pid = kt_fork();
	if (pid == 0)
		syscall(SYS_exit, 3);
	CHECK_EQ(kt_wait_exit(pid), 3);
	pid = kt_fork();
	if (pid == 0)
		syscall(SYS_exit_group, 255);
	CHECK_EQ(kt_wait_exit(pid), 255);
	pid = kt_fork();
	if (pid == 0)
		_exit(-1);
	CHECK_EQ(kt_wait_exit(pid), 255);
}

/* A child that waits for a byte (or EOF) on a pipe, then exits with code. */
static pid_t blocked_child(int *release, int code)
{
	int p[2];
	REQUIRE_OK(pipe(p));
	pid_t pid = kt_fork();
	if (pid == 0) {
		char c;
		close(p[1]);
		while (read(p[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(code);
	}
	close(p[0]);
	*release = p[1];
	return pid;
}

static void wait4_calls(void)
{
	int st;
	struct rusage ru;
	CHECK_ERR(wait4(-1, &st, 0, NULL), ECHILD);
	CHECK_ERR(wait4(-1, &st, WNOHANG, NULL), ECHILD);
	CHECK_ERR(wait4(getppid(), &st, 0, NULL), ECHILD);
	int rel;
	pid_t pid = blocked_child(&rel, 9);
	CHECK_EQ(wait4(pid, &st, WNOHANG, NULL), 0);
	CHECK_EQ(wait4(-1, &st, WNOHANG, NULL), 0);
	CHECK_ERR(wait4(pid, &st, 0x01000000 /* WNOWAIT */, NULL), EINVAL);
	CHECK_ERR(wait4(pid, &st, 0x4000, NULL), EINVAL);
	close(rel);
	memset(&ru, 0xff, sizeof(ru));
	CHECK_EQ(wait4(pid, &st, 0, &ru), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 9);
	CHECK(ru.ru_utime.tv_sec >= 0 && ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000);
	CHECK(ru.ru_stime.tv_sec >= 0 && ru.ru_stime.tv_usec >= 0 && ru.ru_stime.tv_usec < 1000000);
	CHECK_ERR(wait4(pid, &st, 0, NULL), ECHILD);	/* reaped */
	/* NULL status is fine. */
	pid = kt_fork();
	if (pid == 0)
		_exit(0);
	CHECK_EQ(wait4(pid, NULL, 0, NULL), pid);
	/* Process-group selection: 0 = ours, -pgid = that group. */
	int rel2;
	pid_t same = kt_fork();
	if (same == 0)
		_exit(1);
	pid_t other = blocked_child(&rel2, 2);
	CHECK_OK(setpgid(other, other));
	CHECK_EQ(wait4(0, &st, 0, NULL), same);
	CHECK_EQ(WEXITSTATUS(st), 1);
	CHECK_ERR(wait4(0, &st, WNOHANG, NULL), ECHILD);
	CHECK_EQ(wait4(-other, &st, WNOHANG, NULL), 0);
	close(rel2);
	CHECK_EQ(wait4(-other, &st, 0, NULL), other);
	CHECK_EQ(WEXITSTATUS(st), 2);
	/* EFAULT: the child is reaped all the same (as Linux does).  Raw
	 * calls: i386 glibc converts the rusage in user space. */
	FOR_BAD(kt_bad_out, b) {
		pid = kt_fork();
		if (pid == 0)
			_exit(0);
		CHECK_ERR(syscall(SYS_wait4, pid, b->p, 0, NULL), EFAULT);
		CHECK_ERR(wait4(pid, &st, WNOHANG, NULL), ECHILD);
		pid = kt_fork();
		if (pid == 0)
			_exit(0);
		CHECK_ERR(syscall(SYS_wait4, pid, &st, 0, b->p), EFAULT);
		CHECK_ERR(wait4(pid, &st, WNOHANG, NULL), ECHILD);
	}
	END_BAD;
}

static void wait_stop_continue(void)
{
	int st, rel;
	pid_t pid = blocked_child(&rel, 4);
	CHECK_OK(setpgid(pid, pid));	/* not an orphaned group: SIGTSTP below stops it */
	CHECK_OK(kill(pid, SIGSTOP));
	CHECK_EQ(waitpid(pid, &st, WUNTRACED), pid);
	CHECK(WIFSTOPPED(st));
	CHECK_EQ(WSTOPSIG(st), SIGSTOP);
	CHECK_EQ(waitpid(pid, &st, WNOHANG | WUNTRACED), 0);	/* reported once */
	CHECK_EQ(waitpid(pid, &st, WNOHANG), 0);		/* not without WUNTRACED */
	CHECK_OK(kill(pid, SIGCONT));
	CHECK_EQ(waitpid(pid, &st, WCONTINUED), pid);
	CHECK(WIFCONTINUED(st));
	CHECK_EQ(waitpid(pid, &st, WNOHANG | WCONTINUED), 0);
	/* A child stopping itself with SIGTSTP (default action: stop). */
	CHECK_OK(kill(pid, SIGTSTP));
	CHECK_EQ(waitpid(pid, &st, WUNTRACED), pid);
	CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTSTP);
	/* A stopped process killed by SIGKILL. */
	CHECK_OK(kill(pid, SIGKILL));
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	close(rel);
	/* A stop then exit: the exit status follows. */
	pid = blocked_child(&rel, 6);
	CHECK_OK(kill(pid, SIGSTOP));
	CHECK_EQ(waitpid(pid, &st, WUNTRACED), pid);
	close(rel);
	CHECK_OK(kill(pid, SIGCONT));
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 6);
}

static void waitid_calls(void)
{
	siginfo_t si;
	int rel;
	CHECK_ERR(waitid(P_ALL, 0, &si, WEXITED), ECHILD);
	pid_t pid = blocked_child(&rel, 17);
	/* Nothing ready with WNOHANG: 0 and a zeroed siginfo. */
	memset(&si, 0x55, sizeof(si));
	CHECK_EQ(waitid(P_ALL, 0, &si, WEXITED | WNOHANG), 0);
	CHECK_EQ(si.si_pid, 0);
	CHECK_EQ(si.si_signo, 0);
	CHECK_ERR(waitid(P_PID, pid, &si, WNOHANG), EINVAL);	/* no event chosen */
	CHECK_ERR(waitid(42, pid, &si, WEXITED), EINVAL);
	close(rel);
	/* WNOWAIT leaves it waitable. */
	memset(&si, 0, sizeof(si));
	CHECK_EQ(waitid(P_PID, pid, &si, WEXITED | WNOWAIT), 0);
	CHECK_EQ(si.si_pid, pid);
	CHECK_EQ(si.si_signo, SIGCHLD);
	CHECK_EQ(si.si_code, CLD_EXITED);
	CHECK_EQ(si.si_status, 17);
	CHECK_EQ(si.si_uid, getuid());
	memset(&si, 0, sizeof(si));
	CHECK_EQ(waitid(P_ALL, 0, &si, WEXITED), 0);
	CHECK_EQ(si.si_pid, pid);
	CHECK_EQ(si.si_status, 17);
	CHECK_ERR(waitid(P_PID, pid, &si, WEXITED), ECHILD);
	/* Killed; stopped and continued; by process group. */
	pid = blocked_child(&rel, 0);
	CHECK_OK(kill(pid, SIGSTOP));
	CHECK_EQ(waitid(P_PID, pid, &si, WSTOPPED), 0);
	CHECK_EQ(si.si_code, CLD_STOPPED);
	CHECK_EQ(si.si_status, SIGSTOP);
	CHECK_OK(kill(pid, SIGCONT));
	CHECK_EQ(waitid(P_PGID, getpgrp(), &si, WCONTINUED), 0);
	CHECK_EQ(si.si_code, CLD_CONTINUED);
	CHECK_EQ(si.si_status, SIGCONT);
	CHECK_EQ(si.si_pid, pid);
	CHECK_OK(kill(pid, SIGTERM));
	CHECK_EQ(waitid(P_PGID, 0, &si, WEXITED), 0);
	CHECK_EQ(si.si_code, CLD_KILLED);
	CHECK_EQ(si.si_status, SIGTERM);
	close(rel);
	/* EFAULT for siginfo and rusage, after reaping (as Linux does). */
	struct rusage ru;
	FOR_BAD(kt_bad_out, b) {
		pid = kt_fork();
		if (pid == 0)
			_exit(0);
		CHECK_ERR(syscall(SYS_waitid, P_PID, pid, b->p, WEXITED, NULL), EFAULT);
		CHECK_ERR(syscall(SYS_waitid, P_PID, pid, &si, WEXITED | WNOHANG, NULL), ECHILD);
		pid = kt_fork();
		if (pid == 0)
			_exit(0);
		CHECK_ERR(syscall(SYS_waitid, P_PID, pid, &si, WEXITED, b->p), EFAULT);
		CHECK_ERR(syscall(SYS_waitid, P_PID, pid, &si, WEXITED | WNOHANG, &ru), ECHILD);
	}
	END_BAD;
}

static void id_calls(void)
{
	uid_t r, e, s;
	gid_t groups[8];
	CHECK_EQ(getuid(), geteuid());
	CHECK_OK(getresuid(&r, &e, &s));
	CHECK_EQ(r, getuid());
	CHECK_EQ(e, geteuid());
#ifdef SYS_getuid32
	CHECK_EQ(syscall(SYS_getuid32), getuid());
	CHECK_EQ(syscall(SYS_geteuid32), geteuid());
	CHECK_EQ(syscall(SYS_getgid32), getgid());
	CHECK_EQ(syscall(SYS_getegid32), getegid());
#endif
	int n = CHECK_OK(getgroups(0, NULL));
	CHECK(n >= 0 && n <= 65536);
	FOR_BAD(kt_bad_out, b) {
		if (n > 0) {
#ifdef SYS_getgroups32
			CHECK_ERR(syscall(SYS_getgroups32, n, b->p), EFAULT);
#else
			CHECK_ERR(syscall(SYS_getgroups, n, b->p), EFAULT);
#endif
		}
#ifdef SYS_getresuid32
		CHECK_ERR(syscall(SYS_getresuid32, b->p, &e, &s), EFAULT);
		CHECK_ERR(syscall(SYS_getresgid32, &r, &e, b->p), EFAULT);
#else
		CHECK_ERR(syscall(SYS_getresuid, b->p, &e, &s), EFAULT);
		CHECK_ERR(syscall(SYS_getresgid, &r, &e, b->p), EFAULT);
#endif
	}
	END_BAD;
	if (!kt_is_root())
		kt_skip("the id changes need root");
	gid_t set[3] = {5, 6, 70000};
	CHECK_OK(setgroups(3, set));
	CHECK_EQ(getgroups(0, NULL), 3);
	CHECK_ERR(getgroups(2, groups), EINVAL);
	CHECK_EQ(getgroups(8, groups), 3);
	CHECK(groups[0] == 5 && groups[1] == 6 && groups[2] == 70000);
	FOR_BAD(kt_bad_in, b) {
#ifdef SYS_setgroups32
		CHECK_ERR(syscall(SYS_setgroups32, 1, b->p), EFAULT);
#else
		CHECK_ERR(syscall(SYS_setgroups, 1, b->p), EFAULT);
#endif
	}
	END_BAD;
	CHECK_OK(setgroups(0, NULL));
	CHECK_EQ(getgroups(0, NULL), 0);
	pid_t pid = kt_fork();
	if (pid == 0) {
		uid_t u = kt_unpriv_uid();
		/* Effective id only: can go back. */
		CHECK_OK(setresuid(-1, u, -1));
		CHECK_EQ(geteuid(), u);
		CHECK_EQ(getuid(), 0);
		CHECK_OK(setresuid(-1, 0, -1));
		CHECK_EQ(geteuid(), 0);
		/* All of them: no way back. */
		CHECK_OK(setgid(u + 1));
		CHECK_EQ(getgid(), u + 1);
		CHECK_EQ(getegid(), u + 1);
		CHECK_OK(setuid(u));
		CHECK_OK(getresuid(&r, &e, &s));
		CHECK(r == u && e == u && s == u);
		CHECK_ERR(setuid(0), EPERM);
		CHECK_ERR(setgid(0), EPERM);
		CHECK_ERR(setgroups(0, NULL), EPERM);
		CHECK_ERR(setresuid(-1, 0, -1), EPERM);
		CHECK_OK(setuid(u));		/* to one's own id is allowed */
		_exit(kt_failures != 0);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
}

static void pgid_sid(void)
{
	pid_t me = getpid();
	/* The harness made us a process-group leader in its session. */
	CHECK_EQ(getpgrp(), me);
	CHECK_EQ(getpgid(0), me);
	CHECK_EQ(getpgid(me), me);
	pid_t sid = getsid(0);
	CHECK(sid > 0 && sid != me);
	CHECK_ERR(setsid(), EPERM);
	CHECK_ERR(getpgid(0x3fffffff), ESRCH);
	CHECK_ERR(getsid(0x3fffffff), ESRCH);
	int rel;
	pid_t c = blocked_child(&rel, 0);
	CHECK_EQ(getpgid(c), me);
	CHECK_EQ(getsid(c), sid);
	CHECK_OK(setpgid(c, c));
	CHECK_EQ(getpgid(c), c);
	CHECK_OK(setpgid(c, me));
	CHECK_EQ(getpgid(c), me);
	CHECK_OK(setpgid(c, 0));		/* 0: the pid itself */
	CHECK_EQ(getpgid(c), c);
	CHECK_ERR(setpgid(c, 0x3fffffff), EPERM);	/* no such group here */
	CHECK_ERR(setpgid(c, -1), EINVAL);
	CHECK_ERR(setpgid(getppid(), 0), ESRCH);	/* not our child */
	CHECK_ERR(setpgid(0x3fffffff, 0), ESRCH);
	close(rel);
	CHECK_EQ(kt_wait_exit(c), 0);
	/* A child making its own session. */
	int p[2], q[2];
	REQUIRE_OK(pipe(p));
	REQUIRE_OK(pipe(q));
	c = kt_fork();
	if (c == 0) {
		close(q[1]);
		pid_t s = setsid();
		int bad = s != getpid() || getsid(0) != s || getpgrp() != s;
		bad |= setsid() != -1 || errno != EPERM;
		bad |= setpgid(0, 0) != -1 || errno != EPERM;	/* a session leader */
		char ch = bad ? 'F' : 'k';
		if (write(p[1], &ch, 1) != 1)
			_exit(1);
		while (read(q[0], &ch, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	char ch = 0;
	CHECK_EQ(read(p[0], &ch, 1), 1);
	CHECK_EQ(ch, 'k');
	CHECK_EQ(getsid(c), c);
	CHECK_EQ(getpgid(c), c);
	CHECK_ERR(setpgid(c, me), EPERM);		/* another session */
	close(q[1]);
	CHECK_EQ(kt_wait_exit(c), 0);
	/* After the child's execve, its parent may no longer move it. */
	int ready[2], hold[2];
	REQUIRE_OK(pipe(ready));
	REQUIRE_OK(pipe(hold));
	c = kt_fork();
	if (c == 0) {
		char w[16], r[16];
		snprintf(w, sizeof(w), "%d", ready[1]);
		snprintf(r, sizeof(r), "%d", hold[0]);
		close(hold[1]);
		char *argv[] = {kt_self, "--helper=block", w, r, NULL};
		execve(kt_self, argv, environ);
		_exit(127);
	}
	close(ready[1]);
	close(hold[0]);
	CHECK_EQ(read(ready[0], &ch, 1), 1);
	CHECK_ERR(setpgid(c, c), EACCES);
	close(hold[1]);
	CHECK_EQ(kt_wait_exit(c), 0);
	/*
	 * A group whose only member has exited but is not reaped is still a
	 * group: a shell puts a pipeline's later commands into the group of
	 * its first, which may have ended already (busybox ash: setpgid(),
	 * then tcsetpgrp() in the child, which fails if the parent could not).
	 */
	pid_t z = kt_fork();
	if (z == 0) {
		setpgid(0, 0);
		_exit(0);
	}
	siginfo_t si;
	CHECK_OK(waitid(P_PID, z, &si, WEXITED | WNOWAIT));	/* a zombie now */
	CHECK_EQ(getpgid(z), z);
	c = blocked_child(&rel, 0);
	CHECK_OK(setpgid(c, z));
	CHECK_EQ(getpgid(c), z);
	CHECK_OK(kill(-z, 0));			/* a zombie's group can be signalled */
	CHECK_OK(kill(-z, SIGCONT));
	CHECK_EQ(kt_wait_exit(z), 0);
	CHECK_OK(setpgid(c, z));		/* z gone: c is the group now */
	CHECK_OK(setpgid(c, me));
	CHECK_ERR(setpgid(c, z), EPERM);	/* no member left */
	close(rel);
	CHECK_EQ(kt_wait_exit(c), 0);
	/*
	 * setsid() is refused while a group with the caller's pid exists,
	 * even when only a zombie is left in it; kill() of a group of
	 * zombies alone succeeds.  In a child, which leads its own group,
	 * leaves it to a zombie child and then tries.
	 */
	c = kt_fork();
	if (c == 0) {
		pid_t outer = getpgrp(), zz;
		int bad = setpgid(0, 0) != 0;
		siginfo_t zi;

		zz = fork();
		if (zz == 0)
			_exit(0);
		bad |= zz < 0 || waitid(P_PID, zz, &zi, WEXITED | WNOWAIT) != 0;
		bad |= setpgid(0, outer) != 0;		/* zz alone in group getpid() */
		bad |= getpgid(zz) != getpid();
		bad |= kill(-getpid(), 0) != 0;
		bad |= setsid() != -1 || errno != EPERM;
		bad |= waitpid(zz, NULL, 0) != zz;
		bad |= kill(-getpid(), 0) != -1 || errno != ESRCH;	/* reaped: gone */
		bad |= setsid() != getpid();
		_exit(bad);
	}
	CHECK_EQ(kt_wait_exit(c), 0);
#ifdef SYS_getpgrp
	CHECK_EQ(syscall(SYS_getpgrp), me);
#endif
}

/* Is pid an ancestor of this process (through /proc)? */
static int is_ancestor(pid_t pid)
{
	pid_t p = getppid();
	for (int i = 0; i < 64 && p > 1; i++) {
		if (p == pid)
			return 1;
		char path[64], buf[512];
		snprintf(path, sizeof(path), "/proc/%d/stat", p);
		if (kt_read_file(path, buf, sizeof(buf)) <= 0)
			return 0;
		char *e = strrchr(buf, ')');
		if (!e || sscanf(e + 2, "%*c %d", &p) != 1)
			return 0;
	}
	return p == pid;
}

static void orphans(void)
{
	int report[2], go[2];
	REQUIRE_OK(pipe(report));
	REQUIRE_OK(pipe(go));
	pid_t c = kt_fork();
	if (c == 0) {
		pid_t gc = fork();
		if (gc < 0)
			_exit(1);
		if (gc == 0) {
			char ch;
			close(go[1]);
			/* The parent has been reaped by the test when this returns. */
			while (read(go[0], &ch, 1) < 0 && errno == EINTR)
				;
			pid_t pp = getppid();
			if (write(report[1], &pp, sizeof(pp)) != sizeof(pp))
				_exit(1);
			_exit(0);
		}
		_exit(0);
	}
	close(go[0]);
	close(report[1]);
	CHECK_EQ(kt_wait_exit(c), 0);
	close(go[1]);
	pid_t pp = 0;
	CHECK_EQ(read(report[0], &pp, sizeof(pp)), (long)sizeof(pp));
	if (pp == 1)
		return;
	if (!kt_on_kite() && is_ancestor(pp)) {
		char path[64], comm[64] = "?";
		snprintf(path, sizeof(path), "/proc/%d/comm", pp);
		kt_read_file(path, comm, sizeof(comm));
		comm[strcspn(comm, "\n")] = 0;
		kt_skip("orphan re-parented to a child subreaper here, pid %d (%s), not init", pp, comm);
	}
	KT_FAIL("orphan re-parented to %d, expected init (1)", pp);
}

static void zombies(void)
{
	pid_t pid = kt_fork();
	if (pid == 0)
		_exit(0);
	/* Wait for it to exit without reaping it. */
	siginfo_t si;
	CHECK_EQ(waitid(P_PID, pid, &si, WEXITED | WNOWAIT), 0);
	CHECK_OK(kill(pid, 0));			/* a zombie still exists */
	CHECK_EQ(getpgid(pid), getpgrp());
	CHECK_EQ(kt_wait_exit(pid), 0);
	CHECK_ERR(kill(pid, 0), ESRCH);
}

static void sigchld_calls(void)
{
	/* SIGCHLD blocked: exit, stop and continue each queue it, with info. */
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	kt_block(SIGCHLD);
	pid_t pid = kt_fork();
	if (pid == 0)
		_exit(5);
	siginfo_t si;
	CHECK_EQ(sigwaitinfo(&chld, &si), SIGCHLD);
	CHECK_EQ(si.si_code, CLD_EXITED);
	CHECK_EQ(si.si_pid, pid);
	CHECK_EQ(si.si_status, 5);
	CHECK_EQ(si.si_uid, getuid());
	CHECK_EQ(kt_wait_exit(pid), 5);
	int rel;
	pid = blocked_child(&rel, 0);
	CHECK_OK(kill(pid, SIGSTOP));
	CHECK_EQ(sigwaitinfo(&chld, &si), SIGCHLD);
	CHECK_EQ(si.si_code, CLD_STOPPED);
	CHECK_EQ(si.si_status, SIGSTOP);
	CHECK_OK(kill(pid, SIGCONT));
	CHECK_EQ(sigwaitinfo(&chld, &si), SIGCHLD);
	CHECK_EQ(si.si_code, CLD_CONTINUED);
	close(rel);
	CHECK_EQ(kt_wait_exit(pid), 0);
	sigset_t pend;
	/* SA_NOCLDSTOP: no SIGCHLD for stop and continue. */
	struct sigaction sa = {.sa_handler = SIG_DFL, .sa_flags = SA_NOCLDSTOP};
	sigaction(SIGCHLD, &sa, NULL);
	sigtimedwait(&chld, &si, &(struct timespec){0, 0});
	pid = blocked_child(&rel, 0);
	CHECK_OK(kill(pid, SIGSTOP));
	int st;
	CHECK_EQ(waitpid(pid, &st, WUNTRACED), pid);
	sigpending(&pend);
	CHECK(!sigismember(&pend, SIGCHLD));
	CHECK_OK(kill(pid, SIGCONT));
	CHECK_EQ(waitpid(pid, &st, WCONTINUED), pid);
	sigpending(&pend);
	CHECK(!sigismember(&pend, SIGCHLD));
	close(rel);
	CHECK_EQ(kt_wait_exit(pid), 0);
	sigpending(&pend);
	CHECK(sigismember(&pend, SIGCHLD));
	kt_unblock(SIGCHLD);
	/* SIGCHLD ignored: children are reaped by the kernel; wait blocks
	 * until they are gone, then fails with ECHILD. */
	signal(SIGCHLD, SIG_IGN);
	pid = blocked_child(&rel, 0);
	close(rel);
	CHECK_ERR(waitpid(pid, &st, 0), ECHILD);
	/* SA_NOCLDWAIT does the same. */
	sa = (struct sigaction){.sa_handler = SIG_DFL, .sa_flags = SA_NOCLDWAIT};
	sigaction(SIGCHLD, &sa, NULL);
	pid = blocked_child(&rel, 0);
	close(rel);
	CHECK_ERR(waitpid(-1, &st, 0), ECHILD);
	signal(SIGCHLD, SIG_DFL);
}

static __attribute__((noinline)) double fp_work(double seed, int yield)
{
	/* volatile: every step rounded to double in memory, so the x87's
	 * excess precision cannot differ between the two code paths. */
	volatile double x = seed, y = 1.0;
	for (int i = 0; i < 2000; i++) {
		x = x * 1.000001 + 0.5 / (i + 1);
		y = y * 0.999 + x * 1e-6;
		if (yield && i % 50 == 0)
			sched_yield();
	}
	return x + y;
}

static void fpu_switch(void)
{
	/* Several processes computing at once, yielding to each other: each
	 * must get the result computed here without any switch. */
	enum { N = 4 };
	double want[N];
	for (int i = 0; i < N; i++)
		want[i] = fp_work(i + 1.25, 0);
	pid_t pids[N];
	for (int i = 0; i < N; i++) {
		pids[i] = kt_fork();
		if (pids[i] == 0) {
			int bad = 0;
			for (int k = 0; k < 5; k++) {
				volatile double r = fp_work(i + 1.25, 1);	/* rounded */
				bad |= r != want[i];
			}
			_exit(bad);
		}
	}
	for (int i = 0; i < N; i++)
		CHECK_EQ(kt_wait_exit(pids[i]), 0);
}

KT_TABLE(proc) = {
	{"proc.fork", fork_basic},
	{"proc.vfork", vfork_calls},
	{"proc.clone", clone_calls},
	{"proc.exit", exit_calls},
	{"proc.wait4", wait4_calls},
	{"proc.wait_stop_continue", wait_stop_continue},
	{"proc.waitid", waitid_calls},
	{"proc.ids", id_calls},
	{"proc.pgid_sid", pgid_sid},
	{"proc.orphan_reparent", orphans},
	{"proc.zombie", zombies},
	{"proc.sigchld", sigchld_calls},
	{"proc.fpu_switch", fpu_switch},
	{NULL, NULL},
};
