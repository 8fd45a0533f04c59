/*
 * The user-space test suite's harness interface: test registration, the
 * checks a test makes, and helpers shared by the test files (bad user
 * pointers, child processes, files, privileges).  Every test runs in its
 * own forked child, in its own process group and scratch directory, so a
 * crash, a leaked signal disposition or a stray fd cannot affect the next;
 * the parent prints one flat TAP 13 line per test.
 */
#ifndef KT_H
#define KT_H

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

struct kt_test {
	const char *name;
	void (*fn)(void);
};

/* Each test file defines one NULL-terminated table, listed in kt_main.c. */
#define KT_TABLE(group) const struct kt_test group##_tests[]
extern KT_TABLE(file);
extern KT_TABLE(stat);
extern KT_TABLE(dir);
extern KT_TABLE(fd);
extern KT_TABLE(proc);
extern KT_TABLE(exec);
extern KT_TABLE(mem);
extern KT_TABLE(sig);
extern KT_TABLE(pipe);
extern KT_TABLE(poll);
extern KT_TABLE(misc);
extern KT_TABLE(tty);
extern KT_TABLE(procfs);
extern KT_TABLE(thread);
extern KT_TABLE(futex);
extern KT_TABLE(mmap);
extern KT_TABLE(eventfd);
extern KT_TABLE(timerfd);
extern KT_TABLE(epoll);
extern KT_TABLE(signalfd);
extern KT_TABLE(sendfile);
extern KT_TABLE(vdso);
extern KT_TABLE(timer);
extern KT_TABLE(sched);
extern KT_TABLE(sigqueue);
extern KT_TABLE(mlock);

/* Failures of the running test; the child exits non-zero if any. */
extern int kt_failures;
/* Extra words for failure messages (which bad pointer is being tried). */
extern const char *kt_ctx;

void kt_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void kt_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Ends the test as skipped (Linux does this differently here, say). */
_Noreturn void kt_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Ends the test now, failed, after what kt_fail already said. */
_Noreturn void kt_abort(void);

#define KT_FAIL(...) kt_fail(__FILE__, __LINE__, __VA_ARGS__)

#define CHECK(c) do { if (!(c)) KT_FAIL("%s", #c); } while (0)
#define REQUIRE(c) do { if (!(c)) { KT_FAIL("%s", #c); kt_abort(); } } while (0)

#define CHECK_EQ(a, b) do {						\
	long long a_ = (long long)(a), b_ = (long long)(b);		\
	if (a_ != b_)							\
		KT_FAIL("%s is %lld (%#llx), expected %s = %lld", #a,	\
			a_, (unsigned long long)a_, #b, b_);		\
} while (0)

#define CHECK_STR(a, b) do {						\
	const char *a_ = (a), *b_ = (b);				\
	if (!a_ || !b_ || strcmp(a_, b_) != 0)				\
		KT_FAIL("%s is \"%s\", expected \"%s\"", #a,		\
			a_ ? a_ : "(null)", b_ ? b_ : "(null)");	\
} while (0)

/* A call expected to succeed (not -1); evaluates to its result. */
#define CHECK_OK(e) ({							\
	errno = 0;							\
	long r_ = (long)(e);						\
	if (r_ == -1)							\
		KT_FAIL("%s failed: %s", #e, kt_errname(errno));	\
	r_;								\
})
#define REQUIRE_OK(e) ({						\
	errno = 0;							\
	long r_ = (long)(e);						\
	if (r_ == -1) {							\
		KT_FAIL("%s failed: %s", #e, kt_errname(errno));	\
		kt_abort();						\
	}								\
	r_;								\
})

/* A call expected to fail with -1 and errno err. */
#define CHECK_ERR(e, err) do {						\
	errno = 0;							\
	long r_ = (long)(e);						\
	int en_ = errno;						\
	if (r_ != -1 || en_ != (err))					\
		KT_FAIL("%s returned %ld%s%s, expected -1 %s", #e, r_,	\
			r_ == -1 ? " " : "",				\
			r_ == -1 ? kt_errname(en_) : "",		\
			kt_errname(err));				\
} while (0)

const char *kt_errname(int err);

/*
 * Bad user pointers.  kt_bad_in: what no call may read (page 1, an
 * unmapped hole between two mappings, a PROT_NONE page, a kernel
 * address); kt_bad_out adds a read-only page, which no call may write.
 * Each is a whole page away from anything valid.
 */
struct kt_bad {
	const char *name;
	void *p;
};
extern struct kt_bad kt_bad_in[], kt_bad_out[];
void kt_bad_init(void);
#define FOR_BAD(arr, b) \
	for (const struct kt_bad *b = (arr); b->name && ((kt_ctx = b->name), 1); b++)
#define END_BAD (kt_ctx = NULL)

/* The test program's absolute path (for re-executing itself). */
extern char kt_self[4096];

/* fork() that ends the test on failure; the child must leave by _exit. */
pid_t kt_fork(void);
/* Waits for pid (which must be a child) and returns the raw status. */
int kt_wait(pid_t pid);
/* Waits for pid and returns its exit code; a death by signal is a failure (-1). */
int kt_wait_exit(pid_t pid);
/* The state letter in /proc/<pid>/stat, or 0. */
char kt_proc_state(pid_t pid);
/* Polls /proc/<pid>/stat until the process sleeps (state S); 0 or -1. */
int kt_wait_sleeping(pid_t pid);

/* Whole-file helpers; they end the test on failure. */
void kt_write_file(const char *path, const char *data, int mode);
/* Reads up to cap-1 bytes, NUL-terminates; returns the length or -1. */
ssize_t kt_read_file(const char *path, char *buf, size_t cap);

/* How many lines of /proc/self/mounts name source as the device. */
int kt_count_mounts(const char *source);

/* Whether the test runs as root (uid 0); some tests need to be. */
int kt_is_root(void);
/*
 * Drops to an unprivileged uid/gid (kt_unpriv_uid(), no groups).  If the
 * suite does not run as root it is unprivileged already and nothing
 * changes.  Only ever call it in a child of the test.
 */
void kt_drop_privileges(void);
/* A uid no other process on the machine uses (for kill(-1) sandboxes). */
uid_t kt_unpriv_uid(void);

/* Blocks/unblocks one signal in the calling process. */
void kt_block(int sig);
void kt_unblock(int sig);
/* Installs a handler with the given flags (SA_SIGINFO implied if want). */
void kt_handle(int sig, void (*fn)(int), int flags);
void kt_handle_info(int sig, void (*fn)(int, siginfo_t *, void *), int flags);
void kt_default(int sig);

/* Whether the suite runs on Kite (uname's version names it). */
int kt_on_kite(void);
/* Whether the suite runs under QEMU's user-mode emulation. */
int kt_under_qemu_user(void);

/* What execve kept of the timers and prctl settings (the "timers" exec helper): 0 if right. */
int kt_timer_exec_helper(void);
/* The number of threads of the calling process (the "threads" exec helper). */
int kt_thread_count_helper(void);
/* Helper mode: argv[1] == "--helper=<name>" runs one of these (exec tests). */
int kt_helper_main(const char *name, int argc, char **argv);
/* "--helper=layout": print the stack, heap and mmap pages of a fresh exec (t_mmap.c). */
int kt_layout_helper(void);

/*
 * The exit code of a passed test's child: not 0, so that an execve that
 * wrongly succeeded (and exited 0 in the new image) cannot pass a test.
 */
#define KT_PASS 86

/* The system page size (4096 on every Kite port). */
#define KT_PAGE 4096UL

#endif
