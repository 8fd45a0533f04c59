/*
 * The new program's initial stack: argument and environment strings,
 * execfn, platform string, AT_RANDOM bytes, argc/argv/envp and the auxv,
 * at the addresses Linux 6.1 gives them (fs/exec.c's copy_strings() and
 * bprm_stack_limits(), fs/binfmt_elf.c's create_elf_tables()), with the
 * same E2BIG limits.  Writes a kernel buffer only; no side effects.
 */
#include <string.h>
#include <kernel/compiler.h>
#include <kernel/errno.h>
#include <kernel/exec_stack.h>

#define AUXV_MAX_PAIRS	24	/* the fixed entries and AT_NULL */

uint64_t
exec_arg_limit(uint64_t rlimit_stack)
{
	uint64_t limit = MIN((uint64_t)_STK_LIM / 4 * 3, rlimit_stack / 4);

	return MAX(limit, (uint64_t)ARG_MAX);
}

static int
refuse(struct exec_stack_layout *out, int err, const char *why)
{
	out->reason = why;
	return err;
}

/* A string's size with its NUL, or 0 when over MAX_ARG_STRLEN. */
static uint64_t
arg_size(const char *s)
{
	size_t n = strnlen(s, MAX_ARG_STRLEN) + 1;

	return n > MAX_ARG_STRLEN ? 0 : n;
}

/* Sum of the sizes of n strings, stopping (with 0) past max or on a bad one. */
static int
list_size(const char *const *v, size_t n, uint64_t max, uint64_t *sum)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t len = arg_size(v[i]);

		if (!len)
			return -1;
		*sum += len;
		if (*sum > max)
			return 1;
	}
	return 0;
}

struct writer {
	unsigned char *buf;	/* NULL: layout only */
	uint64_t base;		/* user address of buf[0] */
	unsigned int word;
};

static void
put_bytes(const struct writer *w, uint64_t addr, const void *src, size_t n)
{
	if (w->buf)
		memcpy(w->buf + (addr - w->base), src, n);
}

static void
put_word(const struct writer *w, uint64_t addr, uint64_t v)
{
	unsigned char b[8];

	for (unsigned int i = 0; i < w->word; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	put_bytes(w, addr, b, w->word);
}

/* Copies n strings upwards from addr; returns the address after them. */
static uint64_t
put_strings(const struct writer *w, uint64_t addr, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(v[i]) + 1;

		put_bytes(w, addr, v[i], len);
		addr += len;
	}
	return addr;
}

/* Pointers to n strings packed from str up, at *slot upwards, then NULL. */
static uint64_t
put_pointers(const struct writer *w, uint64_t *slot, uint64_t str,
	     const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		put_word(w, *slot, str);
		*slot += w->word;
		str += strlen(v[i]) + 1;
	}
	put_word(w, *slot, 0);
	*slot += w->word;
	return str;
}

/* The auxv pairs in Linux 6.1's order (ARCH_DLINFO first); returns the count. */
static size_t
auxv_pairs(const struct exec_auxv *x, const struct exec_stack_layout *l,
	   bool platform, uint64_t (*v)[2])
{
	size_t n = 0;

#define AUX(type, val) do { v[n][0] = (type); v[n][1] = (val); n++; } while (0)
	if (x->sysinfo)
		AUX(AT_SYSINFO, x->sysinfo);
	if (x->sysinfo_ehdr)
		AUX(AT_SYSINFO_EHDR, x->sysinfo_ehdr);
	if (x->minsigstksz)
		AUX(AT_MINSIGSTKSZ, x->minsigstksz);
	AUX(AT_HWCAP, x->hwcap);
	AUX(AT_PAGESZ, x->pagesz);
	AUX(AT_CLKTCK, x->clktck);
	AUX(AT_PHDR, x->phdr);
	AUX(AT_PHENT, x->phent);
	AUX(AT_PHNUM, x->phnum);
	AUX(AT_BASE, x->base);
	AUX(AT_FLAGS, x->flags);
	AUX(AT_ENTRY, x->entry);
	AUX(AT_UID, x->uid);
	AUX(AT_EUID, x->euid);
	AUX(AT_GID, x->gid);
	AUX(AT_EGID, x->egid);
	AUX(AT_SECURE, x->secure);
	AUX(AT_RANDOM, l->random);
	AUX(AT_HWCAP2, x->hwcap2);
	AUX(AT_EXECFN, l->execfn);
	if (platform)
		AUX(AT_PLATFORM, l->platform);
#undef AUX
	return n;
}

int
exec_stack_build(const struct exec_stack_args *a, void *buf, size_t buf_size,
		 struct exec_stack_layout *out)
{
	static const char *const empty_argv[] = { "" };
	const char *const *argv = a->argv;
	uint64_t pairs[AUXV_MAX_PAIRS][2];
	uint64_t w = a->word_size, top = a->stack_top;
	uint64_t max_addr = w == 4 ? (uint64_t)1 << 32 : ~(uint64_t)0;
	uint64_t limit, need, strings = 0, p, sp, items, slot, str;
	size_t argc = a->argc, npairs;
	struct writer wr;
	int r;

	memset(out, 0, sizeof(*out));
	if ((w != 4 && w != 8) || top > max_addr)
		return refuse(out, -EINVAL, "bad word size or stack top");
	if (a->argc > MAX_ARG_STRINGS || a->envc > MAX_ARG_STRINGS)
		return refuse(out, -E2BIG, "more than MAX_ARG_STRINGS arguments or variables");
	if (a->auxv.nr_extra > AUXV_MAX_PAIRS)
		return refuse(out, -EINVAL, "too many extra auxv entries");
	if (!argc) {			/* Linux 5.18+: argv[0] = "" */
		argv = empty_argv;
		argc = 1;
	}

	/* bprm_stack_limits(): the strings, and a pointer for each. */
	limit = exec_arg_limit(a->rlimit_stack);
	need = ((uint64_t)argc + a->envc) * w;
	if (limit <= need)
		return refuse(out, -E2BIG, "argument and environment pointers over the limit");
	limit -= need;
	strings = arg_size(a->execfn);
	if (!strings)
		return refuse(out, -E2BIG, "execfn longer than MAX_ARG_STRLEN");
	r = strings > limit ? 1 : list_size(a->envp, a->envc, limit, &strings);
	if (!r)
		r = list_size(argv, argc, limit, &strings);
	if (r < 0)
		return refuse(out, -E2BIG, "a string longer than MAX_ARG_STRLEN");
	if (r > 0)
		return refuse(out, -E2BIG, "argument and environment strings over the limit");

	/* Strings: the top word stays zero (bprm->p starts a pointer below). */
	if (top < w + strings)
		return refuse(out, -ENOMEM, "stack top too low");
	out->argc = argc;
	out->execfn = top - w - (strlen(a->execfn) + 1);
	out->env_end = out->execfn;
	out->arg_start = top - w - strings;
	/* env strings sit just above argv's */
	str = out->arg_start;
	for (size_t i = 0; i < argc; i++)
		str += strlen(argv[i]) + 1;
	out->arg_end = out->env_start = str;

	/* create_elf_tables() */
	p = out->arg_start;
	if (a->align_rnd >= p)
		return refuse(out, -ENOMEM, "stack top too low");
	p = (p - a->align_rnd) & ~(uint64_t)15;
	if (a->platform) {
		p -= strlen(a->platform) + 1;
		out->platform = p;
	}
	p -= sizeof(a->random);
	out->random = p;
	npairs = auxv_pairs(&a->auxv, out, a->platform, pairs);
	out->auxv_words = 2 * (npairs + a->auxv.nr_extra + 1);
	items = (argc + 1) + (a->envc + 1) + 1;
	need = (out->auxv_words + items) * w;
	if (p < need)
		return refuse(out, -ENOMEM, "stack top too low");
	sp = (p - need) & ~(uint64_t)15;
	out->sp = sp;
	out->size = top - sp;
	out->auxv = sp + (items * w);
	if (!buf)
		return 0;
	if (buf_size < out->size)
		return refuse(out, -ENOSPC, "buffer smaller than the stack");

	wr.buf = buf;
	wr.base = top - buf_size;
	wr.word = a->word_size;
	memset(wr.buf + (sp - wr.base), 0, out->size);
	put_strings(&wr, out->arg_start, argv, argc);
	put_strings(&wr, out->env_start, a->envp, a->envc);
	put_bytes(&wr, out->execfn, a->execfn, strlen(a->execfn) + 1);
	if (a->platform)
		put_bytes(&wr, out->platform, a->platform, strlen(a->platform) + 1);
	put_bytes(&wr, out->random, a->random, sizeof(a->random));
	slot = sp;
	put_word(&wr, slot, argc);
	slot += w;
	put_pointers(&wr, &slot, out->arg_start, argv, argc);
	put_pointers(&wr, &slot, out->env_start, a->envp, a->envc);
	for (size_t i = 0; i < npairs; i++, slot += 2 * w) {
		put_word(&wr, slot, pairs[i][0]);
		put_word(&wr, slot + w, pairs[i][1]);
	}
	for (size_t i = 0; i < a->auxv.nr_extra; i++, slot += 2 * w) {
		put_word(&wr, slot, a->auxv.extra[2 * i]);
		put_word(&wr, slot + w, a->auxv.extra[2 * i + 1]);
	}
	/* AT_NULL: already zero */
	return 0;
}
