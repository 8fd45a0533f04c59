/*
 * Terminals: ENOTTY for terminal ioctls on pipes, files and /dev/null;
 * on a real terminal (the console on Kite; skipped without one) TCGETS/
 * TCSETS*, TIOCGWINSZ/TIOCSWINSZ, FIONREAD, the foreground process group
 * (TIOCGPGRP/TIOCSPGRP), background reads stopped by SIGTTIN, TIOCSCTTY
 * and TIOCNOTTY errors, and EFAULT for each pointer argument.
 */
#include "kt.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>

static void enotty(void)
{
	struct termios t;
	struct winsize ws;
	pid_t pg;
	int p[2];
	REQUIRE_OK(pipe(p));
	kt_write_file("f", "", 0644);
	int f = REQUIRE_OK(open("f", O_RDONLY));
	int null = REQUIRE_OK(open("/dev/null", O_RDWR));
	int fds[] = {p[0], p[1], f, null};
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		CHECK_ERR(ioctl(fds[i], TCGETS, &t), ENOTTY);
		CHECK_ERR(ioctl(fds[i], TCSETS, &t), ENOTTY);
		CHECK_ERR(ioctl(fds[i], TIOCGWINSZ, &ws), ENOTTY);
		CHECK_ERR(ioctl(fds[i], TIOCGPGRP, &pg), ENOTTY);
		CHECK_ERR(ioctl(fds[i], TIOCSCTTY, 0), ENOTTY);
		CHECK(!isatty(fds[i]));
	}
	CHECK_ERR(ioctl(-1, TCGETS, &t), EBADF);
}

/* A terminal to test on: stdin, else the controlling terminal. */
static int find_tty(void)
{
	if (isatty(0))
		return 0;
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY);
	if (fd >= 0)
		return fd;
	kt_skip("no terminal here (stdin is not one and there is no controlling terminal)");
}

static void termios_calls(void)
{
	int fd = find_tty();
	/* The harness's group is in the foreground, not ours: changes from
	 * the background are allowed only with SIGTTOU blocked (else it stops
	 * us, as the job_control test checks). */
	kt_block(SIGTTOU);
	struct termios orig, t;
	REQUIRE_OK(ioctl(fd, TCGETS, &orig));
	t = orig;
	t.c_lflag ^= ECHO;
	CHECK_OK(ioctl(fd, TCSETSW, &t));
	struct termios back;
	CHECK_OK(ioctl(fd, TCGETS, &back));
	CHECK_EQ(back.c_lflag & ECHO, t.c_lflag & ECHO);
	t.c_cc[VERASE] = 0x08;
	CHECK_OK(ioctl(fd, TCSETSF, &t));
	CHECK_OK(ioctl(fd, TCGETS, &back));
	CHECK_EQ(back.c_cc[VERASE], 0x08);
	CHECK_OK(ioctl(fd, TCSETS, &orig));
	CHECK_OK(ioctl(fd, TCGETS, &back));
	CHECK_EQ(back.c_lflag, orig.c_lflag);
	CHECK_EQ(back.c_cc[VERASE], orig.c_cc[VERASE]);
	struct winsize ws, ws2;
	CHECK_OK(ioctl(fd, TIOCGWINSZ, &ws));
	ws2 = ws;
	ws2.ws_row = 33;
	ws2.ws_col = 111;
	CHECK_OK(ioctl(fd, TIOCSWINSZ, &ws2));
	CHECK_OK(ioctl(fd, TIOCGWINSZ, &ws2));
	CHECK(ws2.ws_row == 33 && ws2.ws_col == 111);
	CHECK_OK(ioctl(fd, TIOCSWINSZ, &ws));
	int n = -1;
	CHECK_OK(ioctl(fd, FIONREAD, &n));
	CHECK(n >= 0);
	CHECK(isatty(fd));
	FOR_BAD(kt_bad_out, b) {
		CHECK_ERR(ioctl(fd, TCGETS, b->p), EFAULT);
		CHECK_ERR(ioctl(fd, TIOCGWINSZ, b->p), EFAULT);
	}
	FOR_BAD(kt_bad_in, b) {
		CHECK_ERR(ioctl(fd, TCSETS, b->p), EFAULT);
		CHECK_ERR(ioctl(fd, TIOCSWINSZ, b->p), EFAULT);
	}
	END_BAD;
	CHECK_OK(ioctl(fd, TCGETS, &back));
	CHECK_EQ(back.c_lflag, orig.c_lflag);
}

static void job_control(void)
{
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY);
	if (fd < 0)
		kt_skip("no controlling terminal");
	/* The harness's group is in the foreground; ours (the test's) is not. */
	pid_t fg;
	CHECK_OK(ioctl(fd, TIOCGPGRP, &fg));
	CHECK(fg != getpgrp());
	CHECK_EQ(tcgetsid(fd), getsid(0));
	/* A background read stops the reader's group with SIGTTIN (the
	 * children get groups of their own: the signal goes to the group)... */
	pid_t pid = kt_fork();
	if (pid == 0) {
		char c;
		setpgid(0, 0);
		ssize_t r = read(fd, &c, 1);
		(void)r;
		_exit(3);
	}
	int st;
	CHECK_EQ(waitpid(pid, &st, WUNTRACED), pid);
	CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTIN);
	kill(pid, SIGKILL);
	kt_wait(pid);
	/* ...or fails with EIO when SIGTTIN is ignored. */
	pid = kt_fork();
	if (pid == 0) {
		char c;
		setpgid(0, 0);
		signal(SIGTTIN, SIG_IGN);
		_exit(read(fd, &c, 1) == -1 && errno == EIO ? 0 : 1);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
	/* Taking the foreground from the background needs SIGTTOU blocked. */
	pid = kt_fork();
	if (pid == 0) {
		setpgid(0, 0);
		pid_t me = getpgrp();
		if (tcsetpgrp(fd, me) == 0)
			tcsetpgrp(fd, fg);
		_exit(4);
	}
	CHECK_EQ(waitpid(pid, &st, WUNTRACED), pid);
	CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTOU);
	kill(pid, SIGKILL);
	kt_wait(pid);
	kt_block(SIGTTOU);
	FOR_BAD(kt_bad_out, b)
		CHECK_ERR(ioctl(fd, TIOCGPGRP, b->p), EFAULT);
	FOR_BAD(kt_bad_in, b)
		CHECK_ERR(ioctl(fd, TIOCSPGRP, b->p), EFAULT);
	END_BAD;
	CHECK_OK(tcsetpgrp(fd, getpgrp()));
	CHECK_EQ(tcgetpgrp(fd), getpgrp());
	CHECK_ERR(tcsetpgrp(fd, 0x3fffffff), ESRCH);
	CHECK_OK(tcsetpgrp(fd, fg));			/* give it back */
	CHECK_EQ(tcgetpgrp(fd), fg);
	/* Another session may not take this terminal, nor drop one it lacks. */
	pid = kt_fork();
	if (pid == 0) {
		setsid();
		CHECK_ERR(ioctl(fd, TIOCSCTTY, 0), EPERM);
		CHECK_ERR(ioctl(fd, TIOCNOTTY), ENOTTY);
		CHECK_ERR(open("/dev/tty", O_RDWR), ENXIO);
		_exit(kt_failures != 0);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
}

KT_TABLE(tty) = {
	{"tty.enotty", enotty},
	{"tty.termios", termios_calls},
	{"tty.job_control", job_control},
	{NULL, NULL},
};
