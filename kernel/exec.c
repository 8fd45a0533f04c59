/*
 * execve: replace the calling process's program.  The arguments are
 * copied into the kernel first (the old address space goes away), "#!"
 * scripts are followed to their interpreter (at most BINPRM_MAX_DEPTH
 * deep), the ELF headers are checked by kernel/elf.c, and only then, at
 * the point of no return, a fresh address space gets the segments
 * (demand-paged from the file), the stack built by kernel/exec_stack.c,
 * and the thread its new registers.  Static programs only: PT_INTERP is
 * refused with ENOEXEC.
 */
#define pr_fmt(fmt) "exec: " fmt

#include <string.h>
#include <arch/user.h>
#include <kernel/binfmts.h>
#include <kernel/cred.h>
#include <kernel/elf.h>
#include <kernel/errno.h>
#include <kernel/exec_stack.h>
#include <kernel/fs.h>
#include <kernel/futex.h>
#include <kernel/mman.h>
#include <kernel/printk.h>
#include <kernel/process.h>
#include <kernel/random.h>
#include <kernel/slab.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>
#ifdef CONFIG_VDSO
#include <kernel/vdso.h>
#endif
#include "process_internal.h"

/* Where a static PIE goes (Linux's ELF_ET_DYN_BASE: two thirds up user space), plus mm_pie_base()'s offset. */
#define ET_DYN_BASE	((USER_TOP / 3 * 2) & PAGE_MASK)
/* No segment reaches the top 128 MiB, where the stack and mmap_base go. */
#define ELF_USER_TOP	(USER_TOP - PAGE_SIZE - (128UL << 20))

/* A growing list of kernel copies of strings (argv or envp). */
struct strv {
	char **s;
	size_t n, cap;
};

struct exec_args {
	struct strv argv, envp;
	size_t bytes;			/* strings and pointers: the ARG_MAX rule */
	uint64_t limit;
};

static void
strv_free(struct strv *v)
{
	for (size_t i = 0; i < v->n; i++)
		kfree(v->s[i]);
	kfree(v->s);
	v->s = NULL;
	v->n = v->cap = 0;
}

/* Insert s (kmalloc'ed: the list owns it now) at index at. */
static int
strv_adopt(struct strv *v, size_t at, char *s)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		char **n = kmalloc(cap * sizeof(*n));

		if (!n) {
			kfree(s);
			return -ENOMEM;
		}
		if (v->n)
			memcpy(n, v->s, v->n * sizeof(*n));
		kfree(v->s);
		v->s = n;
		v->cap = cap;
	}
	memmove(&v->s[at + 1], &v->s[at], (v->n - at) * sizeof(*v->s));
	v->s[at] = s;
	v->n++;
	return 0;
}

/* Insert a copy of s at index at. */
static int
strv_insert(struct strv *v, size_t at, const char *s, size_t len)
{
	char *copy = kmalloc(len + 1);

	if (!copy)
		return -ENOMEM;
	memcpy(copy, s, len);
	copy[len] = '\0';
	return strv_adopt(v, at, copy);
}

static int
account(struct exec_args *a, size_t len, unsigned int word)
{
	a->bytes += len + 1 + word;
	return a->bytes > a->limit ? -E2BIG : 0;
}

/* Copy a NULL-terminated user array of user strings. */
static int
copy_strings_user(struct exec_args *a, struct strv *v, const void __user *uarr)
{
	const unsigned int word = sizeof(uintptr_t);

	if (!uarr)
		return 0;		/* Linux accepts NULL as an empty list */
	for (size_t i = 0;; i++) {
		uintptr_t up;
		char *str;
		long len;
		int err;

		if (copy_from_user(&up, (const char __user *)uarr + i * word, word))
			return -EFAULT;
		if (!up)
			return 0;
		len = strndup_user((const char __user *)up, MAX_ARG_STRLEN, &str);
		if (len < 0)
			return len == -ENAMETOOLONG ? -E2BIG : (int)len;
		err = account(a, (size_t)len, word);
		if (err) {
			kfree(str);
			return err;
		}
		err = strv_adopt(v, v->n, str);
		if (err)
			return err;
	}
}

static int
copy_strings_kernel(struct exec_args *a, struct strv *v, const char *const *arr)
{
	int err = 0;

	for (size_t i = 0; arr && arr[i] && !err; i++) {
		size_t len = strlen(arr[i]);

		err = account(a, len, sizeof(uintptr_t));
		if (!err)
			err = strv_insert(v, v->n, arr[i], len);
	}
	return err;
}

static int
elf_read(void *ctx, void *buf, size_t n, loff_t off)
{
	return (int)file_read(ctx, buf, n, &off);
}

static struct file *
open_exec(const char *path, int *err)
{
	struct file *f = file_open(AT_FDCWD, path, O_RDONLY, 0);

	if (IS_ERR(f)) {
		*err = (int)PTR_ERR(f);
		return NULL;
	}
	if (!S_ISREG(f->inode->mode)) {
		*err = -EACCES;
		goto fail;
	}
	/* For root too, some x bit is needed (inode_permission() has Linux's rule). */
	*err = inode_permission(f->inode, MAY_EXEC);
	if (*err)
		goto fail;
	/* Nobody writes it while we read it (and later, the program's, while it runs). */
	*err = deny_write_access(f->inode);
	if (*err)
		goto fail;
	return f;
fail:
	fput(f);
	return NULL;
}

static void
close_exec(struct file *f)
{
	allow_write_access(f->inode);
	fput(f);
}

/* Map the PT_LOAD segments; the brk starts after the highest (moved by mm_randomize_brk()). */
static int
map_segments(struct mm *mm, struct file *f, const struct elf_info *info)
{
	vaddr_t prev_end = 0;

	for (unsigned int i = 0; i < info->nr_loads; i++) {
		/* Linux's start_data/end_data (RLIMIT_DATA counts them with the heap). */
		if (info->load[i].vaddr > mm->start_data)
			mm->start_data = info->load[i].vaddr;
		if (info->load[i].vaddr + info->load[i].filesz > mm->end_data)
			mm->end_data = info->load[i].vaddr + info->load[i].filesz;
	}

	for (unsigned int i = 0; i < info->nr_loads; i++) {
		const struct elf_segment *s = &info->load[i];
		vaddr_t start = s->vaddr & PAGE_MASK;
		vaddr_t end = (s->vaddr + s->memsz + PAGE_SIZE - 1) & PAGE_MASK;
		loff_t off = (loff_t)(s->offset - (s->vaddr - start));
		int err;

		if (start < prev_end)
			start = prev_end;	/* a page two segments share: the first maps it */
		if (start >= end)
			continue;
		off = (loff_t)(s->offset - (s->vaddr - start));
		err = mm_map_file_fixed(mm, start, end - start, s->prot, f, off,
					s->vaddr + s->filesz);
		if (err)
			return err;
		prev_end = end;
	}
	mm->brk_start = mm->brk = prev_end;
	mm_randomize_brk(mm);
	return 0;
}

static const char *
basename_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/*
 * From here on the old program is gone: a failure kills the process
 * (Linux's SIGSEGV after the point of no return).
 */
static int
exec_commit(struct file *f, struct elf_info *info, struct exec_args *a, const char *filename,
	    bool *committed)
{
	struct thread *me = thread_current();
	struct process *p = me->proc;
	struct mm *mm = mm_create(), *old;
	struct exec_stack_args sa;
	struct exec_stack_layout lay;
	const struct cred *c = current_cred();
	struct path old_exe;
	unsigned long flags;
	void *buf;
	int err;

	if (!mm) {
		allow_write_access(f->inode);
		return -ENOMEM;
	}
	mm->exe_file = fget_file(f);	/* it takes over the caller's deny_write_access() */
	/* The persona goes on (set-id programs lose the layout flags, as Linux's PER_CLEAR_ON_SETID). */
	mm->personality = me->mm ? READ_ONCE(me->mm->personality) : 0;
	if (c->uid != c->euid || c->gid != c->egid)
		mm->personality &= ~(ADDR_NO_RANDOMIZE | ADDR_COMPAT_LAYOUT | READ_IMPLIES_EXEC);
	mm_layout_init(mm, p->rlim[RLIMIT_STACK].rlim_cur);
	err = map_segments(mm, f, info);
#ifdef CONFIG_VDSO
	if (!err)
		err = vdso_map(mm);	/* before the auxv, which names it */
#endif
	if (err) {
		mm_put(mm);
		return err;
	}

	memset(&sa, 0, sizeof(sa));
	sa.word_size = info->word_size;
	sa.stack_top = mm->stack_top;
	sa.align_rnd = mm_stack_align_rnd(mm);
	sa.rlimit_stack = p->rlim[RLIMIT_STACK].rlim_cur;
	sa.argv = (const char *const *)a->argv.s;
	sa.argc = a->argv.n;
	sa.envp = (const char *const *)a->envp.s;
	sa.envc = a->envp.n;
	sa.execfn = filename;
	sa.platform = arch_elf_platform();
	get_random_bytes(sa.random, sizeof(sa.random));
	sa.auxv.minsigstksz = arch_signal_frame_size();
#ifdef CONFIG_VDSO
	sa.auxv.sysinfo_ehdr = mm->vdso;
#ifdef VDSO_SYM__kernel_vsyscall
	sa.auxv.sysinfo = vdso_entry(mm, VDSO_SYM__kernel_vsyscall);
#endif
#endif
	sa.auxv.hwcap = arch_elf_hwcap();
	sa.auxv.hwcap2 = arch_elf_hwcap2();
	sa.auxv.pagesz = PAGE_SIZE;
	sa.auxv.clktck = 100;
	sa.auxv.phdr = info->phdr_addr;
	sa.auxv.phent = info->phentsize;
	sa.auxv.phnum = info->phnum;
	sa.auxv.entry = info->entry;
	sa.auxv.uid = c->uid;
	sa.auxv.euid = c->euid;
	sa.auxv.gid = c->gid;
	sa.auxv.egid = c->egid;
	sa.auxv.secure = c->uid != c->euid || c->gid != c->egid;
	err = exec_stack_build(&sa, NULL, 0, &lay);
	if (err) {
		mm_put(mm);
		return err;
	}
	buf = kmalloc(lay.size);
	if (!buf) {
		mm_put(mm);
		return -ENOMEM;
	}
	err = exec_stack_build(&sa, buf, lay.size, &lay);
	/*
	 * The stack (it grows down to RLIMIT_STACK), and the signal
	 * trampoline at mmap_base where the vDSO has none of its own
	 * (x86_64, or no vDSO).
	 */
	if (!err)
		err = mm_setup_stack(mm, lay.size, info->stack == ELF_STACK_EXEC, sa.rlimit_stack);
#if !defined(CONFIG_VDSO) || !defined(VDSO_SYM__kernel_rt_sigreturn)
	if (!err)
		err = mm_map_sigpage(mm, mm->mmap_base);
#endif
	if (err) {
		kfree(buf);
		mm_put(mm);
		return err;
	}
	mm->arg_start = lay.arg_start;
	mm->arg_end = lay.arg_end;
	mm->env_start = lay.env_start;
	mm->env_end = lay.env_end;
	p->start_stack = (uintptr_t)lay.sp;
	p->auxv_start = (uintptr_t)lay.auxv;

	/* The other threads end first (Linux's de_thread); a fatal signal meanwhile fails the exec. */
	err = de_thread();
	if (err) {
		kfree(buf);
		mm_put(mm);
		return err;
	}
	/* The old image's robust futexes and tid word, as at exit (Linux's exec_mm_release). */
	futex_exit_release(me);

	/* The point of no return: the new address space becomes ours. */
	*committed = true;
	old = me->mm;
	me->mm = mm;
	mm_activate(mm);
	flags = spin_lock_irqsave(&tasklist_lock);
	p->mm = mm;
	p->execed = true;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (old)
		mm_put(old);
	err = copy_to_user((void __user *)(uintptr_t)lay.sp, buf, lay.size);
	kfree(buf);
	if (err)
		return err;

	arch_user_regs_init(me->user_regs, info->entry, lay.sp);
	arch_thread_fp_own(&me->arch);
	arch_set_tls(me, 0);
	files_close_on_exec();
	signals_exec_reset(p);
	proc_timers_exec(p);		/* POSIX timers go; itimers stay */
	prctl_exec_reset(me);
	process_set_comm(p, basename_of(filename));
	/* /proc/<pid>/exe readers take their reference under tasklist_lock. */
	flags = spin_lock_irqsave(&tasklist_lock);
	old_exe = p->exe;
	p->exe = f->path;
	path_get(&p->exe);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (old_exe.mnt)
		path_put(&old_exe);
	vfork_release(p);
	return 0;
}

static int
do_exec(const char *filename, struct exec_args *a)
{
	const struct elf_params params = {
		.arch = ELF_ARCH_NATIVE,
		.user_top = ELF_USER_TOP,
		.page_size = PAGE_SIZE,
		.max_mapped = ELF_USER_TOP / 2,
	};
	char *path = kmalloc(PATH_MAX), *head = kmalloc(BINPRM_BUF_SIZE);
	struct elf_info *info = kmalloc(sizeof(*info));
	struct script_info *si = kmalloc(sizeof(*si));
	struct file *f = NULL;
	bool committed = false;
	int err = -ENOMEM;

	if (!path || !head || !info || !si)
		goto out;
	strlcpy(path, filename, PATH_MAX);
	for (unsigned int depth = 0;; depth++) {
		loff_t pos = 0;
		ssize_t n;

		f = open_exec(path, &err);
		if (!f)
			goto out;
		memset(head, 0, BINPRM_BUF_SIZE);
		n = file_read(f, head, BINPRM_BUF_SIZE, &pos);
		if (n < 0) {
			err = (int)n;
			goto out;
		}
		if (n < 2 || head[0] != '#' || head[1] != '!')
			break;
		if (depth >= BINPRM_MAX_DEPTH) {
			err = -ELOOP;
			goto out;
		}
		err = script_parse(head, (size_t)n, si);
		if (err)
			goto out;
		/* argv becomes: interpreter, [argument], the script's path, argv[1..]. */
		if (a->argv.n) {
			kfree(a->argv.s[0]);
			memmove(&a->argv.s[0], &a->argv.s[1], --a->argv.n * sizeof(char *));
		}
		err = strv_insert(&a->argv, 0, path, strlen(path));
		if (!err && si->has_arg)
			err = strv_insert(&a->argv, 0, si->arg, strlen(si->arg));
		if (!err)
			err = strv_insert(&a->argv, 0, si->interp, strlen(si->interp));
		if (err)
			goto out;
		strlcpy(path, si->interp, PATH_MAX);
		close_exec(f);
		f = NULL;
	}
	err = elf_parse(&params, head, BINPRM_BUF_SIZE, f->inode->size, elf_read, f, info);
	if (err == 0 && info->type == ET_DYN)
		err = elf_relocate(&params, info,
				   elf_load_bias(info, mm_pie_base(thread_current()->mm, ET_DYN_BASE)));
	if (err) {
		pr_debug("%s: %s\n", path, info->reason);
		goto out;
	}
	/* The program's denial of writers passes to its address space (or ends there). */
	err = exec_commit(f, info, a, filename, &committed);
	fput(f);
	f = NULL;
	if (err && committed) {
		/* Past the point of no return there is no program to go back to. */
		force_sig_fault(SIGSEGV, 0x80, 0);
	}
out:
	if (f)
		close_exec(f);
	kfree(path);
	kfree(head);
	kfree(info);
	kfree(si);
	return err;
}

static void
args_init(struct exec_args *a, struct process *p)
{
	memset(a, 0, sizeof(*a));
	a->limit = exec_arg_limit(p ? p->rlim[RLIMIT_STACK].rlim_cur : _STK_LIM);
}

static void
args_free(struct exec_args *a)
{
	strv_free(&a->argv);
	strv_free(&a->envp);
}

int
kernel_execve(const char *path, const char *const argv[], const char *const envp[])
{
	struct exec_args a;
	int err;

	args_init(&a, current_process());
	err = copy_strings_kernel(&a, &a.argv, argv);
	if (!err)
		err = copy_strings_kernel(&a, &a.envp, envp);
	if (!err)
		err = do_exec(path, &a);
	args_free(&a);
	return err;
}

static long
execveat_common(int dirfd, const char __user *upath, const void __user *uargv,
		const void __user *uenvp, int flags)
{
	struct exec_args a;
	char *path;
	long err;

	if (flags)
		return -EINVAL;		/* AT_EMPTY_PATH / AT_SYMLINK_NOFOLLOW: not yet */
	if (dirfd != AT_FDCWD)
		return -EINVAL;
	err = getname(upath, &path);
	if (err < 0)
		return err;
	if (!path[0]) {
		kfree(path);
		return -ENOENT;
	}
	args_init(&a, current_process());
	err = copy_strings_user(&a, &a.argv, uargv);
	if (!err)
		err = copy_strings_user(&a, &a.envp, uenvp);
	if (!err)
		err = do_exec(path, &a);
	args_free(&a);
	kfree(path);
	return err;
}

SYSCALL_DEFINE3(execve, const char __user *, path, const void __user *, argv,
		const void __user *, envp)
{
	return execveat_common(AT_FDCWD, path, argv, envp, 0);
}

SYSCALL_DEFINE5(execveat, int, dirfd, const char __user *, path, const void __user *, argv,
		const void __user *, envp, int, flags)
{
	return execveat_common(dirfd, path, argv, envp, flags);
}
