/*
 * Limits execve shares with Linux (<uapi/linux/binfmts.h>, fs/exec.c) and
 * the "#!" script parser (kernel/binfmt_script.c).  The parser only reads
 * the bytes it is given; opening the interpreter and looping over formats
 * is the exec code's.
 */
#ifndef KERNEL_BINFMTS_H
#define KERNEL_BINFMTS_H

#include <kernel/types.h>

#define BINPRM_BUF_SIZE		256		/* bytes exec reads first */
#define MAX_ARG_STRLEN		131072		/* one string with its NUL (32 pages) */
#define MAX_ARG_STRINGS		0x7FFFFFFF
#define ARG_MAX			131072		/* argument bytes always allowed */
#define _STK_LIM		(8UL << 20)	/* default RLIMIT_STACK */

/*
 * Interpreter rewrites: Linux's exec_binprm() tries the formats at depths
 * 0..BINPRM_MAX_DEPTH and returns -ELOOP after that, so a chain of at
 * most 5 "#!" scripts may lead to the program (its comment, unchanged
 * since the count moved, still says "4 levels").
 */
#define BINPRM_MAX_DEPTH	5

struct script_info {
	char interp[BINPRM_BUF_SIZE];	/* the interpreter's path */
	char arg[BINPRM_BUF_SIZE];	/* the optional argument */
	/*
	 * An argument is passed; it may be "" (Linux passes an empty one
	 * for "#!/bin/sh \0...", where a NUL follows the blanks).
	 */
	bool has_arg;
	const char *reason;		/* on failure, why (for the kernel log) */
};

/*
 * Parses the "#!" line in the first len bytes of a file as Linux 6.1's
 * fs/binfmt_script.c does (only the first BINPRM_BUF_SIZE bytes count;
 * bytes past len read as NUL, as exec's zero-padded buffer does): blanks
 * (space, tab) after "#!" are skipped, the interpreter runs up to a
 * blank, a NUL or the end of the line, and the rest of the line, less
 * leading and trailing blanks, is one argument, inner blanks kept, cut
 * at a NUL.  -ENOEXEC (and out->reason) when the file does not start
 * with "#!", names no interpreter, or has no newline in the buffer and
 * no blank or NUL after the interpreter's name (it may be cut short); a
 * long argument is cut to the buffer instead.
 */
int script_parse(const void *buf, size_t len, struct script_info *out);

/*
 * The argument list the interpreter gets, as Linux builds it: argv[0] is
 * dropped and replaced by the interpreter, its argument when there is
 * one, and filename (the path execve was given).  Fills out[] (pointers
 * into s, filename and argv) and returns the new count, or -E2BIG when
 * out_cap is too small.  argc may be 0 (Linux gave such a call an empty
 * argv[0], which is the one dropped).
 */
long script_argv(const struct script_info *s, const char *filename,
		 const char *const *argv, size_t argc, const char **out, size_t out_cap);

#endif
