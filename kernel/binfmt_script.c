/*
 * "#!" scripts: the interpreter line's parser and the argument list the
 * interpreter gets, with Linux 6.1's rules (fs/binfmt_script.c): the
 * line must end inside the first BINPRM_BUF_SIZE bytes unless the
 * interpreter's name visibly ends there, so that a cut path is never run,
 * while a cut argument is fine (the interpreter reads the script itself).
 * Pure functions over the caller's bytes.
 */
#include <string.h>
#include <kernel/binfmts.h>
#include <kernel/compiler.h>
#include <kernel/errno.h>

static bool
blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The first index in [i, last] whose byte is not blank, or -1. */
static int
skip_blanks(const char *b, int i, int last)
{
	for (; i <= last; i++)
		if (!blank(b[i]))
			return i;
	return -1;
}

/* The first index in [i, last] holding a blank or a NUL, or -1. */
static int
find_end_of_word(const char *b, int i, int last)
{
	for (; i <= last; i++)
		if (blank(b[i]) || !b[i])
			return i;
	return -1;
}

static int
refuse(struct script_info *out, const char *why)
{
	out->reason = why;
	return -ENOEXEC;
}

int
script_parse(const void *buf, size_t len, struct script_info *out)
{
	char b[BINPRM_BUF_SIZE] = { 0 };
	const int last = BINPRM_BUF_SIZE - 1;
	int end, name, sep, arg;
	const char *nl;

	memset(out, 0, sizeof(*out));
	memcpy(b, buf, MIN(len, sizeof(b)));
	if (b[0] != '#' || b[1] != '!')
		return refuse(out, "not a #! script");
	nl = memchr(b, '\n', sizeof(b));
	if (nl) {
		end = (int)(nl - b);
	} else {
		int first = skip_blanks(b, 2, last);

		if (first < 0)
			return refuse(out, "#! line of blanks only");
		if (find_end_of_word(b, first, last) < 0)
			return refuse(out, "#! interpreter path cut short by the 256-byte limit");
		end = last;	/* the buffer's last byte is dropped, as in Linux */
	}
	while (blank(b[end - 1]))	/* stops at the '!' at worst */
		end--;
	name = skip_blanks(b, 2, end);
	if (name < 0 || name == end)
		return refuse(out, "#! names no interpreter");
	sep = find_end_of_word(b, name, end);
	arg = sep >= 0 && b[sep] ? skip_blanks(b, sep, end) : -1;
	if (sep < 0)
		sep = end;
	memcpy(out->interp, b + name, (size_t)(sep - name));
	out->interp[sep - name] = '\0';
	if (arg >= 0 && arg < end) {
		size_t n = strnlen(b + arg, (size_t)(end - arg));

		memcpy(out->arg, b + arg, n);
		out->arg[n] = '\0';
		out->has_arg = true;
	}
	return 0;
}

long
script_argv(const struct script_info *s, const char *filename,
	    const char *const *argv, size_t argc, const char **out, size_t out_cap)
{
	size_t keep = argc ? argc - 1 : 0;
	size_t n = 2 + (s->has_arg ? 1 : 0) + keep;
	size_t i = 0;

	if (n > out_cap)
		return -E2BIG;
	out[i++] = s->interp;
	if (s->has_arg)
		out[i++] = s->arg;
	out[i++] = filename;
	for (size_t k = 1; k < argc; k++)
		out[i++] = argv[k];
	return (long)n;
}
