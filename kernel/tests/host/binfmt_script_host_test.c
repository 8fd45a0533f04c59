/*
 * kernel/binfmt_script.c on the host: "#!" lines as Linux 6.1 parses
 * them (blanks, arguments, NULs, CRLF, the 256-byte buffer's edges, the
 * lines it refuses) and the interpreter's argument list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "host_test.h"
#include <kernel/binfmts.h>

#define K_ENOEXEC	8
#define K_E2BIG		7
#define N(a)		(sizeof(a) / sizeof((a)[0]))

/* Parses len bytes held in a heap block of exactly that size. */
static int
parse(const char *s, size_t len, struct script_info *out)
{
	char *b = malloc(len ? len : 1);
	int r;

	memcpy(b, s, len);
	r = script_parse(b, len, out);
	free(b);
	return r;
}

static const struct {
	const char *text;
	size_t len;		/* 0: strlen(text) */
	int err;
	const char *interp, *arg;	/* arg NULL: none */
} cases[] = {
	{ "#!/bin/sh\n", 0, 0, "/bin/sh", NULL },
	{ "#!/bin/sh\necho hi\n", 0, 0, "/bin/sh", NULL },
	{ "#! /bin/sh\n", 0, 0, "/bin/sh", NULL },
	{ "#!\t \t/bin/sh\t \n", 0, 0, "/bin/sh", NULL },
	{ "#!/bin/sh -e\n", 0, 0, "/bin/sh", "-e" },
	{ "#!/bin/sh\t-e\n", 0, 0, "/bin/sh", "-e" },
	{ "#! /usr/bin/env  python3 -u  -x \t\n", 0, 0, "/usr/bin/env", "python3 -u  -x" },
	{ "#!/bin/sh", 0, 0, "/bin/sh", NULL },		/* no newline: the padding ends it */
	{ "#!/bin/sh -e", 0, 0, "/bin/sh", "-e" },
	{ "#!/bin/sh\r\n", 0, 0, "/bin/sh\r", NULL },	/* the famous CRLF failure */
	{ "#!/bin/sh -e\r\n", 0, 0, "/bin/sh", "-e\r" },
	{ "#!/bin/sh\0 -x\n", 14, 0, "/bin/sh", NULL },	/* a NUL ends the name */
	{ "#!/bin/sh -x\0y\n", 15, 0, "/bin/sh", "-x" },	/* ... and the argument */
	{ "#!/bin/sh \0y\n", 13, 0, "/bin/sh", "" },	/* an empty argument */
	{ "#!", 0, 0, "", NULL },	/* Linux: open_exec("") fails, ENOENT */
	{ "#!\0\n", 4, 0, "", NULL },
	{ "#!\n", 0, -K_ENOEXEC, NULL, NULL },
	{ "#!   \n", 0, -K_ENOEXEC, NULL, NULL },
	{ "#!\t\n/bin/sh\n", 0, -K_ENOEXEC, NULL, NULL },
	{ "#/bin/sh\n", 0, -K_ENOEXEC, NULL, NULL },
	{ "# !/bin/sh\n", 0, -K_ENOEXEC, NULL, NULL },
	{ "!#/bin/sh\n", 0, -K_ENOEXEC, NULL, NULL },
	{ "#", 0, -K_ENOEXEC, NULL, NULL },
	{ "", 0, -K_ENOEXEC, NULL, NULL },
	{ "\177ELF", 0, -K_ENOEXEC, NULL, NULL },
};

HOST_TEST(lines)
{
	for (size_t i = 0; i < N(cases); i++) {
		struct script_info s;
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].text);
		int r = parse(cases[i].text, len, &s);

		if (r != cases[i].err)
			printf("# case %zu: got %d, want %d\n", i, r, cases[i].err);
		CHECK(r == cases[i].err);
		if (r) {
			CHECK(s.reason && s.reason[0]);
			continue;
		}
		CHECK(s.reason == NULL);
		CHECK_STREQ(s.interp, cases[i].interp);
		CHECK(s.has_arg == (cases[i].arg != NULL));
		CHECK_STREQ(s.arg, cases[i].arg ? cases[i].arg : "");
	}
}

/* A whole file of blanks after "#!", without a newline: nothing to run. */
HOST_TEST(blanks_only)
{
	char b[BINPRM_BUF_SIZE + 10];
	struct script_info s;

	memset(b, ' ', sizeof(b));
	b[0] = '#';
	b[1] = '!';
	CHECK(parse(b, sizeof(b), &s) == -K_ENOEXEC);
	CHECK(parse(b, BINPRM_BUF_SIZE, &s) == -K_ENOEXEC);
	/* shorter than the buffer: the NUL padding is "the name", as in Linux */
	CHECK(parse(b, 100, &s) == 0);
	CHECK_STREQ(s.interp, "");
}

/* The 256-byte buffer: where a line may end and what is cut. */
HOST_TEST(buffer_edges)
{
	char b[400];
	struct script_info s;

	/* a name filling the buffer with no end in sight: refused */
	memset(b, 'a', sizeof(b));
	b[0] = '#';
	b[1] = '!';
	CHECK(parse(b, sizeof(b), &s) == -K_ENOEXEC);
	CHECK(strstr(s.reason, "cut") != NULL);
	b[256] = '\n';
	CHECK(parse(b, sizeof(b), &s) == -K_ENOEXEC);
	/* the newline as the buffer's last byte: the name fits */
	b[255] = '\n';
	CHECK(parse(b, sizeof(b), &s) == 0);
	CHECK(strlen(s.interp) == 253 && !s.has_arg);
	/* a blank as the last byte ends the name, nothing after it */
	b[255] = ' ';
	CHECK(parse(b, sizeof(b), &s) == 0);
	CHECK(strlen(s.interp) == 253 && !s.has_arg);
	/* a NUL there too (a 255-byte file) */
	CHECK(parse(b, 255, &s) == 0);
	CHECK(strlen(s.interp) == 253);

	/* a long argument is cut before the buffer's last byte */
	memset(b, 'x', sizeof(b));
	memcpy(b, "#!/bin/sh ", 10);
	CHECK(parse(b, sizeof(b), &s) == 0);
	CHECK_STREQ(s.interp, "/bin/sh");
	CHECK(s.has_arg && strlen(s.arg) == 245);
	/* the same with its newline just inside: nothing dropped */
	b[255] = '\n';
	CHECK(parse(b, sizeof(b), &s) == 0);
	CHECK(s.has_arg && strlen(s.arg) == 245);
	b[255] = 'x';
	b[254] = '\n';
	CHECK(parse(b, sizeof(b), &s) == 0);
	CHECK(s.has_arg && strlen(s.arg) == 244);
	/* trailing blanks before the cut go too */
	memset(b + 200, ' ', 200);
	CHECK(parse(b, sizeof(b), &s) == 0);
	CHECK(strlen(s.arg) == 190);
}

/* Whatever the bytes, the result keeps its promises (a small fuzz). */
HOST_TEST(random_lines)
{
	/* NUL last: half of the lines are drawn without it */
	static const char alphabet[] = { ' ', '\t', '\n', '/', 'a', '#', '!', '\r', '\0' };
	unsigned int seed = 1;

	for (int n = 0; n < 200000; n++) {
		char b[300];
		size_t len;
		struct script_info s;

		size_t nalpha;

		seed = seed * 1103515245 + 12345;
		len = (seed >> 8) % sizeof(b);
		nalpha = seed & 0x80000000u ? sizeof(alphabet) : sizeof(alphabet) - 1;
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245 + 12345;
			b[i] = alphabet[(seed >> 16) % nalpha];
		}
		if (len >= 2 && (seed & 0x300)) {
			b[0] = '#';
			b[1] = '!';
		}
		if (parse(b, len, &s))
			continue;
		CHECK(strlen(s.interp) < BINPRM_BUF_SIZE - 2);
		CHECK(!strpbrk(s.interp, " \t\n"));
		CHECK(!strchr(s.arg, '\n'));
		CHECK(!s.has_arg ? s.arg[0] == '\0' :
		      (s.arg[0] != ' ' && s.arg[0] != '\t'));
		/*
		 * Trailing blanks are trimmed, but a NUL (or the end of a short
		 * file) may cut the argument after one, as in Linux.
		 */
		if (s.arg[0] && len >= 256 && !memchr(b, '\0', 256)) {
			char last = s.arg[strlen(s.arg) - 1];

			CHECK(last != ' ' && last != '\t');
		}
	}
}

HOST_TEST(interpreter_argv)
{
	struct script_info s;
	const char *argv[] = { "./x.sh", "a", "b c" };
	const char *out[8];

	CHECK(parse("#!/bin/sh -e\n", 13, &s) == 0);
	CHECK(script_argv(&s, "/tmp/x.sh", argv, 3, out, 8) == 5);
	CHECK_STREQ(out[0], "/bin/sh");
	CHECK_STREQ(out[1], "-e");
	CHECK_STREQ(out[2], "/tmp/x.sh");
	CHECK_STREQ(out[3], "a");
	CHECK_STREQ(out[4], "b c");
	CHECK(script_argv(&s, "/tmp/x.sh", argv, 3, out, 4) == -K_E2BIG);
	/* an empty argv: Linux had put "" there, the one dropped */
	CHECK(script_argv(&s, "/tmp/x.sh", argv, 0, out, 8) == 3);
	CHECK_STREQ(out[2], "/tmp/x.sh");

	CHECK(parse("#!/bin/sh\n", 10, &s) == 0);
	CHECK(script_argv(&s, "x.sh", argv, 1, out, 8) == 2);
	CHECK_STREQ(out[0], "/bin/sh");
	CHECK_STREQ(out[1], "x.sh");
}
