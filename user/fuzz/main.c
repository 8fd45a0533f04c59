/*
 * kite-fuzz, the harness: the command line, the scratch tmpfs, the
 * workers (forked, each generation with its own seed derived from the
 * run's; a dead worker is counted by how it died and replaced), waking
 * workers whose call blocks, the leak check around the whole run, and
 * the verdict as TAP.  See README.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"

#define POLL_NS		10000000L	/* how often the harness looks at the workers */
#define WAKE_AFTER	2		/* polls a call may block before the wake signal */
#define WAKE_EVERY	10		/* and again this often */
#define STUCK_SECONDS	60		/* blocked in one call despite the wake signal */
#define UNKILLABLE_SECONDS 60		/* not gone this long after SIGKILL: a hang */

struct wstate {
	int pid;			/* 0: not running */
	uint64_t gen;
	uint64_t target;		/* calls this worker makes in all (0: until the time is up) */
	uint64_t done;			/* made by finished generations */
	bool root;
	bool finished;
	unsigned int zero_gens;		/* consecutive generations that made no call */
	uint64_t last_seq[FZ_MAX_THREADS];
	unsigned int stall[FZ_MAX_THREADS];
	uint64_t last_sum;		/* of every slot's seq: any progress at all */
	unsigned int idle;		/* polls without any */
	double killed_at;		/* when it was SIGKILLed for being stuck */
};

static struct fz_options opt = {
	.calls = 20000,
	.workers = 4,
	.threads = 2,
	.root_workers = 1,
	.generation = 1500,
	.scratch = "/tmp/kite-fuzz",
	.leak_check = true,
	.tolerance_pages = 64,
	.tolerance_objs = 16,
};
static bool as_init;			/* pid 1: reap orphans, power off at the end */
static int replay_worker = -1;		/* -R w.g: only this worker's generation g */
static uint64_t replay_gen;
static struct wstate ws[FZ_MAX_WORKERS];
/*
 * Each generation's shared state, mapped fresh for it: a process a worker
 * left behind (a "thread" that escaped its group and its parent-death
 * signal) keeps writing only to its own generation's copy, which nobody
 * reads any more, and stops when that budget is spent.
 */
static struct fz_shared *shared[FZ_MAX_WORKERS];
static bool threads_seen;
static unsigned long deaths[65];	/* by signal */
static unsigned long exits_early;	/* a fuzzed exit or exit_group */
static unsigned long stuck_kills;
static unsigned long given_up;		/* workers that stopped making progress */
static unsigned long generations;
static uint64_t total_sentinels, total_violations, total_guards;
static uint64_t stat_made[FZ_STAT_NR], stat_ok[FZ_STAT_NR];
static int tap_n;
static int failures;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
tap(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
tap(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", ok ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!ok)
		failures++;
}

static uint64_t
worker_seed(unsigned int index, uint64_t gen)
{
	uint64_t x = opt.seed ^ ((uint64_t)index << 40) ^ (gen * 0x9e3779b97f4a7c15ULL);

	return splitmix64(&x);
}

static void
usage(void)
{
	fprintf(stderr,
		"usage: kite-fuzz [-s seed] [-n calls] [-t seconds] [-w workers] [-T threads]\n"
		"                 [-r root-workers] [-g calls-per-generation] [-d scratch-dir]\n"
		"                 [-L] [-p pages] [-o objects] [-v] [-S] [-R worker.gen] [--init]\n"
		"  -n 0 with -t: run for the time only.  -L: no leak check.  -v: log every call.\n"
		"  -R: replay one generation of one worker (as the report of its death names it).\n"
		"  -S: how often each call number was made and succeeded.\n");
	exit(2);
}

static void
parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "init", no_argument, NULL, 'I' },
		{ NULL, 0, NULL, 0 },
	};
	bool have_seed = false;
	int c;

	while ((c = getopt_long(argc, argv, "s:n:t:w:T:r:g:d:Lp:o:vSR:h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			opt.seed = strtoull(optarg, NULL, 0);
			have_seed = true;
			break;
		case 'n':
			opt.calls = strtoull(optarg, NULL, 0);
			break;
		case 't':
			opt.seconds = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 'w':
			opt.workers = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 'T':
			opt.threads = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 'r':
			opt.root_workers = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 'g':
			opt.generation = strtoull(optarg, NULL, 0);
			break;
		case 'd':
			opt.scratch = optarg;
			break;
		case 'L':
			opt.leak_check = false;
			break;
		case 'p':
			opt.tolerance_pages = strtol(optarg, NULL, 0);
			break;
		case 'o':
			opt.tolerance_objs = strtol(optarg, NULL, 0);
			break;
		case 'v':
			opt.verbose = true;
			break;
		case 'S':
			opt.stats = true;
			break;
		case 'I':
			as_init = true;
			break;
		case 'R': {
			char *dot;

			replay_worker = (int)strtol(optarg, &dot, 0);
			if (*dot != '.')
				usage();
			replay_gen = strtoull(dot + 1, NULL, 0);
			break;
		}
		default:
			usage();
		}
	}
	if (optind != argc || !opt.workers || opt.workers > FZ_MAX_WORKERS || !opt.threads ||
	    opt.threads > FZ_MAX_THREADS || (!opt.calls && !opt.seconds) || !opt.generation)
		usage();
	if (opt.root_workers > opt.workers)
		opt.root_workers = opt.workers;
	if (!have_seed && getrandom(&opt.seed, sizeof(opt.seed), 0) != sizeof(opt.seed))
		opt.seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
}

/* ---------------------------------------------------------------- workers */

/*
 * The scratch directory as the harness made it.  A root worker can walk
 * out of its chroot (after a chroot() that leaves its cwd outside the new
 * root, ".." goes on up, as on Linux) and chmod or chown the scratch
 * directory; unprivileged workers then cannot reach their own.
 */
static void
restore_scratch(void)
{
	struct stat st;

	if (stat(opt.scratch, &st) < 0 || !S_ISDIR(st.st_mode))
		return;
	if ((st.st_mode & 07777) == 0755 && st.st_uid == 0 && st.st_gid == 0)
		return;
	printf("# scratch %s was mode %04o, owner %u:%u (a root worker's doing): restored\n",
	       opt.scratch, (unsigned int)(st.st_mode & 07777), (unsigned int)st.st_uid,
	       (unsigned int)st.st_gid);
	if (chown(opt.scratch, 0, 0) < 0 || chmod(opt.scratch, 0755) < 0)
		printf("# restoring %s: %s\n", opt.scratch, strerror(errno));
}

static void
start_worker(unsigned int i)
{
	struct wstate *w = &ws[i];
	struct fz_shared *sh;
	uint64_t budget = opt.generation;
	int pid;

	if (w->target && w->target - w->done < budget)
		budget = w->target - w->done;
	restore_scratch();
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		printf("# mmap: %s\n", strerror(errno));
		return;
	}
	shared[i] = sh;
	sh->budget = budget;
	memset(w->last_seq, 0, sizeof(w->last_seq));
	memset(w->stall, 0, sizeof(w->stall));
	w->last_sum = 0;
	w->idle = 0;
	w->killed_at = 0;
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("# fork: %s\n", strerror(errno));
		return;
	}
	if (pid == 0)
		worker_main(&opt, sh, i, w->gen, worker_seed(i, w->gen), w->root);
	w->pid = pid;
	generations++;
}

static const char *
signame(int sig)
{
	static char buf[16];
	const char *s = sigabbrev_np(sig);

	if (s)
		return s;
	snprintf(buf, sizeof(buf), "%d", sig);
	return buf;
}

static int
rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;			/* carry on whatever fails */
}

/* Unmount everything at or under dir, deepest first; false if one stays. */
static bool
unmount_under(const char *dir)
{
	char mounts[64][256];
	unsigned int n = 0;
	char line[1024];
	FILE *f = fopen("/proc/mounts", "r");
	size_t len = strlen(dir);
	bool ok = true;

	if (f) {
		while (fgets(line, sizeof(line), f) && n < 64) {
			char dev[256], mp[256];

			if (sscanf(line, "%255s %255s", dev, mp) == 2 && !strncmp(mp, dir, len) &&
			    (mp[len] == '/' || mp[len] == '\0'))
				snprintf(mounts[n++], sizeof(mounts[0]), "%s", mp);
		}
		fclose(f);
	}
	for (unsigned int i = n; i-- > 0;) {
		if (umount2(mounts[i], 0) < 0 && umount2(mounts[i], MNT_DETACH) < 0) {
			printf("# umount %s: %s\n", mounts[i], strerror(errno));
			ok = false;
		}
	}
	return ok;
}

/* A finished generation's scratch directory: its mounts and files go. */
static void
remove_generation_dir(unsigned int i, uint64_t gen)
{
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s/w%u.%" PRIu64, opt.scratch, i, gen);
	unmount_under(dir);
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

/* A worker ended: count how, and what each of its threads was doing. */
static void
worker_ended(unsigned int i, int status)
{
	struct wstate *w = &ws[i];
	struct fz_shared *sh = shared[i];
	uint64_t made = sh->done < sh->budget ? sh->done : sh->budget;

	kill(-w->pid, SIGKILL);		/* what it left in its session */
	w->done += made;
	total_sentinels += sh->sentinels;
	total_violations += sh->violations;
	total_guards += sh->guards;
	for (unsigned int n = 0; n < FZ_STAT_NR; n++) {
		stat_made[n] += sh->made[n];
		stat_ok[n] += sh->succeeded[n];
	}
	w->zero_gens = made ? 0 : w->zero_gens + 1;
	if (sh->setup_failed) {
		printf("# worker %u gen %" PRIu64 ": set-up failed\n", i, w->gen);
		w->zero_gens = 100;
	}
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);

		deaths[sig < 65 ? sig : 0]++;
		if (w->killed_at == 0 && (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL ||
					  sig == SIGFPE || sig == SIGSYS || sig == SIGABRT || sig == SIGTRAP)) {
			printf("# worker %u gen %" PRIu64 " (seed %#" PRIx64 ") died of SIG%s; its threads' last calls:\n",
			       i, w->gen, worker_seed(i, w->gen), signame(sig));
			for (unsigned int t = 0; t < opt.threads; t++) {
				const struct fz_slot *s = &sh->slot[t];

				if (!s->tid)
					continue;
				printf("#   thread %u: call %lu(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx) = %ld after %" PRIu64 " calls\n",
				       t, (unsigned long)s->nr, s->args[0], s->args[1], s->args[2],
				       s->args[3], s->args[4], s->args[5], s->ret, s->calls);
			}
		}
	} else if (WIFEXITED(status) && (WEXITSTATUS(status) != 0 || made < sh->budget)) {
		exits_early++;
	}
	threads_seen = threads_seen || sh->threads_mode;
	w->pid = 0;
	munmap(sh, sizeof(*sh));
	shared[i] = NULL;
	remove_generation_dir(i, w->gen);
	w->gen++;
	fflush(stdout);
}

/* The state letter of /proc/<pid>/stat, or '?'. */
static char
proc_state(int pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return '?';
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] && p[2] ? p[2] : '?';
}

/* /proc/<pid>/syscall's line (what a blocked thread waits in), or "?". */
static const char *
proc_syscall(int pid, char *buf, size_t size)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/syscall", pid);
	f = fopen(path, "r");
	if (!f || !fgets(buf, (int)size, f))
		snprintf(buf, size, "?");
	if (f)
		fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

/* What a worker's threads were doing when it was given up on. */
static void
dump_worker(unsigned int i)
{
	const struct fz_shared *sh = shared[i];

	printf("#   worker %u gen %" PRIu64 " (seed %#" PRIx64 ", -R %u.%" PRIu64 "), pid %d state %c\n",
	       i, ws[i].gen, worker_seed(i, ws[i].gen), i, ws[i].gen, ws[i].pid, proc_state(ws[i].pid));
	for (unsigned int t = 0; t < opt.threads; t++) {
		const struct fz_slot *s = &sh->slot[t];

		if (!s->tid)
			continue;
		char sys[256];

		printf("#   thread %u: tid %d state %c%s, %s call %ld(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx) = %ld after %" PRIu64 " calls; /proc/%d/syscall: %s\n",
		       t, s->tid, proc_state(s->tid), s->finished ? " (finished)" : "",
		       (s->seq & 1) ? "in" : "after", s->nr, s->args[0], s->args[1], s->args[2],
		       s->args[3], s->args[4], s->args[5], s->ret, s->calls, s->tid,
		       proc_syscall(s->tid, sys, sizeof(sys)));
	}
}

/* Wake threads blocked in a call; give up on (and report) stuck ones. */
static bool
watch_workers(double t)
{
	bool hang = false;

	for (unsigned int i = 0; i < opt.workers; i++) {
		struct wstate *w = &ws[i];
		struct fz_shared *sh = shared[i];

		if (!w->pid)
			continue;
		if (w->killed_at) {
			if (t - w->killed_at > UNKILLABLE_SECONDS) {
				printf("# worker %u (pid %d) survived SIGKILL for %d s: the kernel hangs\n",
				       i, w->pid, UNKILLABLE_SECONDS);
				dump_worker(i);
				hang = true;
			}
			continue;
		}
		/*
		 * No call at all for a while (a thread stopped itself, the worker
		 * waits for a stopped helper): continue the group, then give up.
		 */
		{
			uint64_t sum = 0;

			for (unsigned int k = 0; k < opt.threads; k++)
				sum += sh->slot[k].seq;
			if (sum != w->last_sum) {
				w->last_sum = sum;
				w->idle = 0;
			} else if (++w->idle % 100 == 0) {
				/* Its group, and each thread in case one left the group. */
				kill(-w->pid, SIGCONT);
				for (unsigned int k = 0; k < opt.threads; k++)
					if (sh->slot[k].tid)
						kill(sh->slot[k].tid, SIGCONT);
				if (w->idle * (POLL_NS / 1e9) >= STUCK_SECONDS) {
					printf("# worker %u (pid %d) made no call for %d s: killed\n", i,
					       w->pid, STUCK_SECONDS);
					dump_worker(i);
					stuck_kills++;
					kill(-w->pid, SIGKILL);
					kill(w->pid, SIGKILL);
					w->killed_at = t;
					continue;
				}
			}
		}
		for (unsigned int k = 0; k < opt.threads; k++) {
			struct fz_slot *s = &sh->slot[k];
			uint64_t seq = s->seq;

			if (!s->tid || s->finished || !(seq & 1) || seq != w->last_seq[k]) {
				w->last_seq[k] = seq;
				w->stall[k] = 0;
				continue;
			}
			w->stall[k]++;
			if (w->stall[k] >= WAKE_AFTER && (w->stall[k] - WAKE_AFTER) % WAKE_EVERY == 0)
				syscall(SYS_tkill, s->tid, FZ_WAKE_SIG);
			if (w->stall[k] * (POLL_NS / 1e9) >= STUCK_SECONDS) {
				printf("# worker %u thread %u stuck %d s in a call: killed\n", i, k,
				       STUCK_SECONDS);
				dump_worker(i);
				stuck_kills++;
				kill(-w->pid, SIGKILL);
				kill(w->pid, SIGKILL);
				w->killed_at = t;
				break;
			}
		}
	}
	return hang;
}

/* MemFree in kB (-1 if unknown), for the progress lines. */
static long
mem_free_kb(void)
{
	char buf[256];
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(buf, sizeof(buf), f))
		if (sscanf(buf, "MemFree: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

static bool
time_up(double start)
{
	return opt.seconds && now() - start >= opt.seconds;
}

/* Run the workers until every one made its calls (or the time is up). */
static bool
run_workers(void)
{
	double start = now(), last_report = start;
	bool hang = false;

	for (unsigned int i = 0; i < opt.workers; i++) {
		ws[i].root = i < opt.root_workers;
		if (opt.calls)
			ws[i].target = opt.calls / opt.workers + (i < opt.calls % opt.workers);
		if (replay_worker >= 0) {
			/* One generation of one worker, as it ran (its seed, its budget). */
			if ((int)i != replay_worker) {
				ws[i].finished = true;
				continue;
			}
			ws[i].gen = replay_gen;
			ws[i].target = opt.generation;
		}
		start_worker(i);
	}
	for (;;) {
		struct timespec ts = { 0, POLL_NS };
		unsigned int running = 0;
		double t;
		int status, pid;

		while ((pid = waitpid(-1, &status, WNOHANG | WUNTRACED | __WALL)) > 0) {
			bool ours = false;

			for (unsigned int i = 0; i < opt.workers; i++)
				ours = ours || ws[i].pid == pid;
			/* A stopped orphan or CLONE_PARENT child: nobody continues it, so it goes. */
			if (!ours && WIFSTOPPED(status))
				kill(pid, SIGKILL);
			for (unsigned int i = 0; i < opt.workers; i++) {
				if (ws[i].pid != pid)
					continue;
				if (WIFSTOPPED(status)) {
					kill(pid, SIGCONT);	/* it stopped itself */
					break;
				}
				worker_ended(i, status);
				if (ws[i].zero_gens >= 20) {
					printf("# worker %u makes no progress: giving up on it\n", i);
					ws[i].finished = true;
					given_up++;
				} else if ((ws[i].target && ws[i].done >= ws[i].target) || time_up(start) ||
					   replay_worker >= 0) {
					ws[i].finished = true;
				} else {
					start_worker(i);
				}
				break;
			}
			/* Anything else: an orphan or a CLONE_PARENT child; reaped. */
		}
		for (unsigned int i = 0; i < opt.workers; i++)
			running += ws[i].pid != 0;
		if (!running)
			break;
		t = now();
		if (watch_workers(t)) {
			hang = true;
			break;
		}
		if (t - last_report >= 60) {
			uint64_t done = 0;

			for (unsigned int i = 0; i < opt.workers; i++)
				done += ws[i].done + (ws[i].pid && shared[i] ? shared[i]->done : 0);
			printf("# %.0f s: %" PRIu64 " calls, %lu generations, MemFree %ld kB\n",
			       t - start, done, generations, mem_free_kb());
			fflush(stdout);
			last_report = t;
		}
		nanosleep(&ts, NULL);
	}
	return !hang;
}

/* Files the unprivileged workers left outside their scratch tmpfs (a cwd walked up). */
static unsigned long strays;

static int
stray_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)ftw;
	if (!strcmp(path, "/proc") || !strcmp(path, "/dev") || !strcmp(path, "/sys") ||
	    !strncmp(path, opt.scratch, strlen(opt.scratch)))
		return type == FTW_D ? FTW_SKIP_SUBTREE : 0;
	if (st->st_uid == FZ_UID) {
		if (strays++ < 10)
			printf("# the workers left %s behind (removed)\n", path);
		if (type == FTW_D)
			nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
		else
			unlink(path);
		return type == FTW_D ? FTW_SKIP_SUBTREE : 0;
	}
	return 0;
}

/* Kill whatever the workers left behind, as the fuzzer's uid and by group. */
static void
kill_leftovers(void)
{
	int pid;

	if (as_init) {
		/* As init: everything but us (Linux spares pid 1). */
		kill(-1, SIGKILL);
	}
	pid = fork();

	if (pid == 0) {
		if (setresgid(FZ_GID, FZ_GID, FZ_GID) == 0 && setresuid(FZ_UID, FZ_UID, FZ_UID) == 0)
			kill(-1, SIGKILL);
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
	for (unsigned int i = 0; i < opt.workers; i++)
		if (ws[i].pid)
			kill(-ws[i].pid, SIGKILL);
	/* Reap our children; as init, the orphans too (a little patience). */
	for (int round = 0; round < 50; round++) {
		struct timespec ts = { 0, 20000000 };

		while (waitpid(-1, NULL, WNOHANG | __WALL) > 0)
			;
		nanosleep(&ts, NULL);
	}
	nftw("/", stray_one, 16, FTW_PHYS | FTW_MOUNT | FTW_ACTIONRETVAL);
}

/* Unmount everything under the scratch directory, deepest first, then it. */
static bool
unmount_scratch(void)
{
	bool ok = unmount_under(opt.scratch);

	rmdir(opt.scratch);
	return ok;
}

int
main(int argc, char **argv)
{
	struct fz_mem_snapshot *before = NULL, *after = NULL;
	char path[4096];
	bool ran;
	uint64_t calls = 0, sentinels = 0, violations = 0, guards = 0;
	unsigned long deaths_all = 0;

	parse_args(argc, argv);
	as_init = as_init || getpid() == 1;
	printf("TAP version 13\n");
	printf("# kite-fuzz seed %#" PRIx64 ": kite-fuzz -s %#" PRIx64 " -n %" PRIu64 " -t %u -w %u -T %u -r %u -g %" PRIu64 "%s%s\n",
	       opt.seed, opt.seed, opt.calls, opt.seconds, opt.workers, opt.threads,
	       opt.root_workers, opt.generation, opt.leak_check ? "" : " -L",
	       opt.verbose ? " -v" : "");
	printf("1..4\n");
	fflush(stdout);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_DFL);


	/* The scratch file system: a tmpfs of its own, unmounted at the end. */
	mkdir(opt.scratch, 0755);
	if (mount("tmpfs", opt.scratch, "tmpfs", 0, "size=64m,mode=0755") < 0) {
		printf("Bail out! mount tmpfs on %s: %s\n", opt.scratch, strerror(errno));
		return 1;
	}
	if (opt.leak_check) {
		/* Read once first: the harness's own buffers exist before the snapshot. */
		leak_snapshot();
		before = leak_snapshot();
	}
	snprintf(path, sizeof(path), "%s/shared", opt.scratch);
	mkdir(path, 0777);
	chmod(path, 0777);

	ran = run_workers();
	kill_leftovers();

	for (unsigned int i = 0; i < opt.workers; i++)
		calls += ws[i].done;
	sentinels = total_sentinels;
	violations = total_violations;
	guards = total_guards;
	for (int s = 0; s < 65; s++)
		deaths_all += deaths[s];
	printf("# %" PRIu64 " calls by %u workers (%u as root) in %lu generations; %s\n", calls,
	       opt.workers, opt.root_workers, generations,
	       threads_seen ? "threads" : "processes for threads (no CLONE_THREAD)");
	if (deaths_all || exits_early || stuck_kills) {
		printf("# ended early: %lu by a fuzzed exit, %lu stuck and killed; died of:", exits_early,
		       stuck_kills);
		for (int s = 0; s < 65; s++)
			if (deaths[s])
				printf(" %s%s %lu", sigabbrev_np(s) ? "SIG" : "signal ", signame(s), deaths[s]);
		printf("\n");
	}
	if (opt.stats) {
		unsigned int distinct = 0, ok = 0;

		for (unsigned int n = 0; n < FZ_STAT_NR; n++) {
			if (!stat_made[n])
				continue;
			distinct++;
			ok += stat_ok[n] != 0;
			printf("# call %3u: %6" PRIu64 " made, %6" PRIu64 " succeeded\n", n, stat_made[n],
			       stat_ok[n]);
		}
		printf("# %u call numbers made, %u of them succeeded at least once\n", distinct, ok);
	}
	if (given_up)
		printf("# %lu workers gave up (set-up failed or no call made 20 times)\n", given_up);
	tap(ran && !given_up, "fuzz: every worker ran, no hang (%" PRIu64 " calls)", calls);
	tap(violations == 0 || !ran, "sentinels: no kernel memory read or written (%" PRIu64 " checks, %" PRIu64 " guard and canary checks, %" PRIu64 " violations)",
	    sentinels, guards, violations);

	if (!ran) {
		tap(false, "scratch unmounted # SKIP after a hang");
		tap(false, "no leak # SKIP after a hang");
	} else {
		bool unmounted = unmount_scratch();

		tap(unmounted, "scratch tmpfs unmounted");
		if (!opt.leak_check || !unmounted) {
			printf("ok %d - no leak # SKIP %s\n", ++tap_n,
			       opt.leak_check ? "scratch still mounted" : "-L");
		} else {
			after = leak_snapshot();
			tap(leak_compare(before, after, &opt), "no leak: free pages and slab objects back");
		}
	}
	printf("# kite-fuzz seed %#" PRIx64 ": %s\n", opt.seed, failures ? "FAILED" : "passed");
	fflush(stdout);
	if (as_init) {
		sync();
		reboot(RB_POWER_OFF);
	}
	return failures ? 1 : 0;
}
