/*
 * Starting user space as Linux does: the kernel runs /init from the
 * initramfs (rdinit= names another) as pid 1, or else init=, /sbin/init,
 * /etc/init, /bin/init, /bin/sh, with fds 0, 1 and 2 on /dev/console.
 * Command-line words the kernel does not know are passed on: "name=value"
 * words into init's environment, the others (and everything after "--")
 * into its arguments.
 */
#define pr_fmt(fmt) "init: " fmt

#include <string.h>
#include <arch/user.h>
#include <kernel/cmdline.h>
#include <kernel/cred.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/mman.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/process.h>
#include <kernel/slab.h>
#include "process_internal.h"

#define MAX_INIT_ARGS	32
#define MAX_INIT_ENVS	32

static const char *init_argv[MAX_INIT_ARGS + 2] = { NULL };
static const char *init_envp[MAX_INIT_ENVS + 2] = { "HOME=/", "TERM=linux" };
static char cmdline_copy[1024];

/* Parameters of the kernel itself: they stay out of init's way. */
static bool
kernel_param(const char *word, size_t keylen)
{
	static const char *const known[] = {
		"console", "earlycon", "loglevel", "quiet", "debug", "rdinit", "init", "root",
		"rootfstype", "rw", "ro", "norandmaps", "acpi", "nosmp", "maxcpus", "mem",
		"panic", "initrd", "rng_seed", "random.trust_cpu", "nokaslr",
		"nowatchdog", "nosoftlockup", "watchdog_thresh", "softlockup_panic",
		"hung_task_panic",
	};

	/* A dotted key ("ktest.filter") is a subsystem's parameter, as in Linux. */
	if (memchr(word, '.', keylen))
		return true;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strlen(known[i]) == keylen && !strncmp(word, known[i], keylen))
			return true;
	return false;
}

/* Split the command line into init's arguments and environment. */
static void
parse_cmdline(const char *path)
{
	unsigned int nargs = 1, nenvs = 2;
	bool rest = false;
	char *w;

	init_argv[0] = path;
	strlcpy(cmdline_copy, cmdline_get(), sizeof(cmdline_copy));
	for (w = cmdline_copy; *w;) {
		char *end, *eq;
		size_t keylen;

		while (*w == ' ')
			w++;
		if (!*w)
			break;
		for (end = w; *end && *end != ' '; end++)
			;
		if (*end)
			*end++ = '\0';
		eq = strchr(w, '=');
		keylen = eq ? (size_t)(eq - w) : strlen(w);
		if (!rest && !strcmp(w, "--")) {
			rest = true;
		} else if (rest || !kernel_param(w, keylen)) {
			if (eq && !rest) {
				if (nenvs < MAX_INIT_ENVS)
					init_envp[nenvs++] = w;
			} else if (nargs < MAX_INIT_ARGS) {
				init_argv[nargs++] = w;
			}
		}
		w = end;
	}
	init_argv[nargs] = NULL;
	init_envp[nenvs] = NULL;
}

static void
open_console(void)
{
	struct file *f = file_open(AT_FDCWD, "/dev/console", O_RDWR, 0);

	if (IS_ERR(f)) {
		pr_warn("Warning: unable to open an initial console.\n");
		return;
	}
	for (int i = 0; i < 3; i++)
		fd_install_min(f, (unsigned int)i, false);
	fput(f);
}

static bool
try_init(const char *path)
{
	int err;

	init_argv[0] = path;
	err = kernel_execve(path, init_argv, init_envp);
	if (!err)
		return true;
	if (err != -ENOENT)
		pr_err("Failed to execute %s (error %d)\n", path, err);
	return false;
}

static void
init_entry(void *unused)
{
	static const char *const fallbacks[] = {
		"/sbin/init", "/etc/init", "/bin/init", "/bin/sh",
	};
	struct thread *me = thread_current();
	char rdinit[256], init[256];
	struct process *p;

	(void)unused;
	p = process_alloc(NULL);
	if (!p || process_register(p, 1))
		panic("init: no memory for pid 1");
	p->sighand = sighand_alloc(NULL);
	if (!p->sighand)
		panic("init: no memory for pid 1");
	p->pgid = p->sid = 1;
	p->exit_signal = 0;
	init_process = p;
	process_attach_current(p);
	me->user_regs = arch_user_regs_of(me);
	me->altstack_flags = 2;		/* SS_DISABLE */
	if (unshare_files() || unshare_fs())
		panic("init: no memory for its file tables");
	open_console();

	if (cmdline_value("rdinit", rdinit, sizeof(rdinit)) <= 0)
		strlcpy(rdinit, "/init", sizeof(rdinit));
	parse_cmdline(rdinit);
	if (try_init(rdinit))
		goto started;
	if (cmdline_value("init", init, sizeof(init)) > 0) {
		if (try_init(init))
			goto started;
		panic("Requested init %s failed.", init);
	}
	for (size_t i = 0; i < sizeof(fallbacks) / sizeof(fallbacks[0]); i++)
		if (try_init(fallbacks[i]))
			goto started;
	panic("No working init found.  Try passing init= option to kernel.");
started:
	pr_info("%s started as pid 1\n", init_argv[0]);
	arch_user_enter(me->user_regs);
}

void
process_start_init(void)
{
	reaper_start();
	if (!thread_create("init", init_entry, NULL, THREAD_PRIO_DEFAULT, 0))
		panic("init: cannot create its thread");
}
