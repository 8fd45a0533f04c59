/*
 * kernel/exec_stack.c on the host: the initial stack for 64- and 32-bit
 * programs against layouts computed by hand from Linux 6.1's rules (the
 * addresses in the comments), every byte read back, the empty argv, the
 * E2BIG limits at their exact edges, and the buffer contract.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "host_test.h"
#include <kernel/exec_stack.h>

#define K_E2BIG		7
#define K_ENOMEM	12
#define K_EINVAL	22
#define K_ENOSPC	28

static const char *const argv2[] = { "prog", "-x" };
static const char *const envp1[] = { "A=1" };

static struct exec_stack_args
example(unsigned int word)
{
	struct exec_stack_args a = {
		.word_size = word,
		.stack_top = word == 8 ? 0x7ffffffff000ull : 0xc0000000ull,
		.rlimit_stack = 8 << 20,
		.argv = argv2, .argc = 2,
		.envp = envp1, .envc = 1,
		.execfn = "/bin/prog",
		.platform = word == 8 ? "x86_64" : "i686",
		.auxv = {
			.minsigstksz = 0xd30, .hwcap = 0x178bfbff, .pagesz = 4096,
			.clktck = 100, .phdr = 0x400040, .phent = 56, .phnum = 10,
			.base = 0, .flags = 0, .entry = 0x401520,
			.uid = 1000, .euid = 1001, .gid = 100, .egid = 101,
			.secure = 0, .hwcap2 = 2,
		},
	};
	for (int i = 0; i < 16; i++)
		a.random[i] = (uint8_t)(0xa0 + i);
	return a;
}

static uint64_t
word_at(const unsigned char *buf, uint64_t base, uint64_t addr, unsigned int w)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < w; i++)
		v |= (uint64_t)buf[addr - base + i] << (8 * i);
	return v;
}

static const char *
str_at(const unsigned char *buf, uint64_t base, uint64_t addr)
{
	return (const char *)buf + (addr - base);
}

/* Builds a into a buffer of exactly size bytes below the top. */
static unsigned char *
build(const struct exec_stack_args *a, struct exec_stack_layout *l, uint64_t *base)
{
	unsigned char *buf;

	CHECK(exec_stack_build(a, NULL, 0, l) == 0);
	buf = malloc(l->size);
	memset(buf, 0xee, l->size);
	CHECK(exec_stack_build(a, buf, l->size, l) == 0);
	*base = a->stack_top - l->size;
	return buf;
}

/* The auxv the example must produce, with the stack addresses filled in. */
static void
check_auxv(const unsigned char *buf, uint64_t base, const struct exec_stack_layout *l,
	   unsigned int w, const uint64_t (*want)[2], size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t t = word_at(buf, base, l->auxv + 2 * i * w, w);
		uint64_t v = word_at(buf, base, l->auxv + (2 * i + 1) * w, w);

		if (t != want[i][0] || v != want[i][1]) {
			printf("# auxv %zu: %llu=0x%llx, want %llu=0x%llx\n", i,
			       (unsigned long long)t, (unsigned long long)v,
			       (unsigned long long)want[i][0], (unsigned long long)want[i][1]);
			CHECK(0);
		}
	}
	CHECK(l->auxv_words == 2 * n);
	CHECK(l->auxv + l->auxv_words * w <= l->random);
}

/*
 * 64-bit, top 0x7ffffffff000: the zero word at ...eff8; "/bin/prog" at
 * ...efee, "A=1" at ...efea, "-x" at ...efe7, "prog" at ...efe2
 * (arg_start); aligned down to ...efe0; "x86_64" at ...efd9, the random
 * bytes at ...efc9; 19 auxv pairs + AT_NULL (40 words) and 6 words of
 * argc/argv/envp: ...efc9 - 46 * 8 = ...ee59, aligned: sp = ...ee50.
 */
HOST_TEST(layout_64)
{
	struct exec_stack_args a = example(8);
	struct exec_stack_layout l;
	uint64_t base;
	unsigned char *buf = build(&a, &l, &base);
	const uint64_t want[][2] = {
		{ AT_MINSIGSTKSZ, 0xd30 }, { AT_HWCAP, 0x178bfbff }, { AT_PAGESZ, 4096 },
		{ AT_CLKTCK, 100 }, { AT_PHDR, 0x400040 }, { AT_PHENT, 56 }, { AT_PHNUM, 10 },
		{ AT_BASE, 0 }, { AT_FLAGS, 0 }, { AT_ENTRY, 0x401520 }, { AT_UID, 1000 },
		{ AT_EUID, 1001 }, { AT_GID, 100 }, { AT_EGID, 101 }, { AT_SECURE, 0 },
		{ AT_RANDOM, 0x7fffffffefc9 }, { AT_HWCAP2, 2 }, { AT_EXECFN, 0x7fffffffefee },
		{ AT_PLATFORM, 0x7fffffffefd9 }, { AT_NULL, 0 },
	};

	CHECK(l.sp == 0x7fffffffee50);
	CHECK(l.size == 0x1b0);
	CHECK(l.argc == 2);
	CHECK(l.arg_start == 0x7fffffffefe2 && l.arg_end == 0x7fffffffefea);
	CHECK(l.env_start == 0x7fffffffefea && l.env_end == 0x7fffffffefee);
	CHECK(l.execfn == 0x7fffffffefee);
	CHECK(l.platform == 0x7fffffffefd9);
	CHECK(l.random == 0x7fffffffefc9);
	CHECK(l.auxv == 0x7fffffffee80);

	CHECK(word_at(buf, base, 0x7fffffffee50, 8) == 2);
	CHECK(word_at(buf, base, 0x7fffffffee58, 8) == 0x7fffffffefe2);
	CHECK(word_at(buf, base, 0x7fffffffee60, 8) == 0x7fffffffefe7);
	CHECK(word_at(buf, base, 0x7fffffffee68, 8) == 0);
	CHECK(word_at(buf, base, 0x7fffffffee70, 8) == 0x7fffffffefea);
	CHECK(word_at(buf, base, 0x7fffffffee78, 8) == 0);
	check_auxv(buf, base, &l, 8, want, sizeof(want) / sizeof(want[0]));
	CHECK(memcmp(buf + (0x7fffffffefe2 - base), "prog\0-x\0A=1\0/bin/prog\0", 22) == 0);
	CHECK(word_at(buf, base, 0x7fffffffeff8, 8) == 0);
	CHECK_STREQ(str_at(buf, base, 0x7fffffffefd9), "x86_64");
	for (int i = 0; i < 16; i++)
		CHECK(buf[0x7fffffffefc9 - base + i] == 0xa0 + i);
	/* the gaps are zero: after AT_NULL up to the random bytes, and the alignment */
	for (uint64_t p = l.auxv + l.auxv_words * 8; p < l.random; p++)
		CHECK(buf[p - base] == 0);
	CHECK(buf[0x7fffffffefe0 - base] == 0 && buf[0x7fffffffefe1 - base] == 0);
	free(buf);
}

/*
 * 32-bit, top 0xc0000000: the zero word at 0xbffffffc; "/bin/prog" at
 * 0xbffffff2, "A=1" at ...ee, "-x" at ...eb, "prog" at ...e6; aligned to
 * ...e0; "i686" at ...db, the random bytes at ...cb; 46 words of 4 bytes:
 * ...cb - 0xb8 = 0xbfffff13, aligned: sp = 0xbfffff10.
 */
HOST_TEST(layout_32)
{
	struct exec_stack_args a = example(4);
	struct exec_stack_layout l;
	uint64_t base;
	unsigned char *buf;

	a.auxv.phent = 32;
	a.auxv.hwcap = 0xbfebfbff;
	buf = build(&a, &l, &base);
	CHECK(l.sp == 0xbfffff10 && l.size == 0xf0);
	CHECK(l.arg_start == 0xbfffffe6 && l.arg_end == 0xbfffffee);
	CHECK(l.env_start == 0xbfffffee && l.env_end == 0xbffffff2);
	CHECK(l.execfn == 0xbffffff2 && l.platform == 0xbfffffdb && l.random == 0xbfffffcb);
	CHECK(l.auxv == 0xbfffff28);
	CHECK(word_at(buf, base, 0xbfffff10, 4) == 2);
	CHECK(word_at(buf, base, 0xbfffff14, 4) == 0xbfffffe6);
	CHECK(word_at(buf, base, 0xbfffff18, 4) == 0xbfffffeb);
	CHECK(word_at(buf, base, 0xbfffff1c, 4) == 0);
	CHECK(word_at(buf, base, 0xbfffff20, 4) == 0xbfffffee);
	CHECK(word_at(buf, base, 0xbfffff24, 4) == 0);
	CHECK(word_at(buf, base, 0xbfffff28, 4) == AT_MINSIGSTKSZ);
	CHECK(word_at(buf, base, 0xbfffff30, 4) == AT_HWCAP);
	CHECK(word_at(buf, base, 0xbfffff34, 4) == 0xbfebfbff);
	/* AT_RANDOM is the 16th pair */
	CHECK(word_at(buf, base, 0xbfffff28 + 15 * 8, 4) == AT_RANDOM);
	CHECK(word_at(buf, base, 0xbfffff28 + 15 * 8 + 4, 4) == 0xbfffffcb);
	CHECK(word_at(buf, base, 0xbfffff28 + 19 * 8, 4) == AT_NULL);
	CHECK(l.auxv_words == 40);
	CHECK_STREQ(str_at(buf, base, 0xbfffffdb), "i686");
	CHECK_STREQ(str_at(buf, base, 0xbffffff2), "/bin/prog");
	CHECK(word_at(buf, base, 0xbffffffc, 4) == 0);
	free(buf);
}

/* Optional entries: AT_SYSINFO(_EHDR) first, extras after AT_PLATFORM. */
HOST_TEST(optional_entries)
{
	struct exec_stack_args a = example(8);
	struct exec_stack_layout l, plain;
	const uint64_t extra[] = { 27, 28, 28, 32 };
	uint64_t base;
	unsigned char *buf;

	CHECK(exec_stack_build(&a, NULL, 0, &plain) == 0);
	a.auxv.sysinfo_ehdr = 0x7ffff7fc1000;
	a.auxv.extra = extra;
	a.auxv.nr_extra = 2;
	buf = build(&a, &l, &base);
	CHECK(l.auxv_words == plain.auxv_words + 6);
	CHECK(word_at(buf, base, l.auxv, 8) == AT_SYSINFO_EHDR);
	CHECK(word_at(buf, base, l.auxv + 8, 8) == 0x7ffff7fc1000);
	CHECK(word_at(buf, base, l.auxv + 16, 8) == AT_MINSIGSTKSZ);
	CHECK(word_at(buf, base, l.auxv + (l.auxv_words - 8) * 8, 8) == AT_PLATFORM);
	CHECK(word_at(buf, base, l.auxv + (l.auxv_words - 6) * 8, 8) == 27);
	CHECK(word_at(buf, base, l.auxv + (l.auxv_words - 5) * 8, 8) == 28);
	CHECK(word_at(buf, base, l.auxv + (l.auxv_words - 4) * 8, 8) == 28);
	CHECK(word_at(buf, base, l.auxv + (l.auxv_words - 3) * 8, 8) == 32);
	CHECK(word_at(buf, base, l.auxv + (l.auxv_words - 2) * 8, 8) == AT_NULL);
	free(buf);

	/* no platform, no AT_MINSIGSTKSZ: both left out; sysinfo (i386) first */
	a = example(4);
	a.platform = NULL;
	a.auxv.minsigstksz = 0;
	a.auxv.sysinfo = 0xb7fff420;
	a.auxv.sysinfo_ehdr = 0xb7fff000;
	buf = build(&a, &l, &base);
	CHECK(l.platform == 0);
	CHECK(l.random == 0xbfffffe0 - 16);
	CHECK(word_at(buf, base, l.auxv, 4) == AT_SYSINFO);
	CHECK(word_at(buf, base, l.auxv + 8, 4) == AT_SYSINFO_EHDR);
	CHECK(word_at(buf, base, l.auxv + 16, 4) == AT_HWCAP);
	CHECK(word_at(buf, base, l.auxv + (l.auxv_words - 4) * 4, 4) == AT_EXECFN);
	CHECK(l.sp % 16 == 0);
	free(buf);
}

/* An empty argv becomes { "" } (Linux 5.18+). */
HOST_TEST(empty_argv)
{
	struct exec_stack_args a = example(8);
	struct exec_stack_layout l;
	uint64_t base;
	unsigned char *buf;

	a.argc = 0;
	a.envc = 0;
	buf = build(&a, &l, &base);
	CHECK(l.argc == 1);
	CHECK(l.arg_start == 0x7fffffffefed && l.arg_end == 0x7fffffffefee);
	CHECK(l.env_start == l.env_end && l.env_start == l.execfn);
	CHECK(word_at(buf, base, l.sp, 8) == 1);
	CHECK(word_at(buf, base, l.sp + 8, 8) == l.arg_start);
	CHECK(word_at(buf, base, l.sp + 16, 8) == 0);
	CHECK(word_at(buf, base, l.sp + 24, 8) == 0);
	CHECK(buf[l.arg_start - base] == '\0');
	CHECK(l.auxv == l.sp + 32);
	free(buf);
}

/* Every pointer leads to its string; the stack pointer is 16-aligned. */
HOST_TEST(many_strings)
{
	for (unsigned int w = 4; w <= 8; w += 4) {
		enum { NA = 300, NE = 200 };
		static char sa[NA][16], se[NE][24];
		const char *argv[NA], *envp[NE];
		struct exec_stack_args a = example(w);
		struct exec_stack_layout l;
		uint64_t base, rnd;
		unsigned char *buf;

		for (int i = 0; i < NA; i++) {
			snprintf(sa[i], sizeof(sa[i]), "arg%d%.*s", i, i % 7, "xxxxxxx");
			argv[i] = sa[i];
		}
		for (int i = 0; i < NE; i++) {
			snprintf(se[i], sizeof(se[i]), "V%d=%.*s", i, i % 13, "yyyyyyyyyyyyy");
			envp[i] = se[i];
		}
		a.argv = argv;
		a.argc = NA;
		a.envp = envp;
		a.envc = NE;
		for (rnd = 0; rnd < 40; rnd += 13) {
			a.align_rnd = rnd;
			buf = build(&a, &l, &base);
			CHECK(l.sp % 16 == 0);
			CHECK(l.random + 16 + strlen(a.platform) + 1 == ((l.arg_start - rnd) & ~15ull));
			CHECK(word_at(buf, base, l.sp, w) == NA);
			for (int i = 0; i < NA; i++)
				CHECK_STREQ(str_at(buf, base, word_at(buf, base, l.sp + (1 + i) * w, w)), argv[i]);
			CHECK(word_at(buf, base, l.sp + (1 + NA) * w, w) == 0);
			for (int i = 0; i < NE; i++)
				CHECK_STREQ(str_at(buf, base,
						   word_at(buf, base, l.sp + (2 + NA + i) * w, w)),
					    envp[i]);
			CHECK(word_at(buf, base, l.sp + (2 + NA + NE) * w, w) == 0);
			CHECK(l.auxv == l.sp + (3 + NA + NE) * w);
			CHECK(word_at(buf, base, l.sp + (2 + NA) * w, w) == l.env_start);
			CHECK(l.env_end == l.execfn && l.arg_end == l.env_start);
			free(buf);
		}
	}
}

HOST_TEST(arg_limit)
{
	CHECK(exec_arg_limit(8 << 20) == 2 << 20);
	CHECK(exec_arg_limit(~0ull) == 6 << 20);	/* RLIM_INFINITY: 3/4 of _STK_LIM */
	CHECK(exec_arg_limit(64 << 10) == 131072);	/* at least ARG_MAX */
	CHECK(exec_arg_limit(0) == 131072);
	CHECK(exec_arg_limit(1 << 30) == 6 << 20);
}

/*
 * The limit at its edge, 8 MiB RLIMIT_STACK: 2 MiB for strings and
 * pointers.  15 environment strings of 131072 bytes and argv[0]; with
 * 16 pointers of 8 bytes, 2097152 - 128 - 15 * 131072 - 3 ("/x") =
 * 130941 bytes are left for argv[0] with its NUL.
 */
HOST_TEST(e2big_edges)
{
	static char big[MAX_ARG_STRLEN + 1];
	static char arg0[130942];
	const char *envp[15];
	const char *argv[1] = { arg0 };
	struct exec_stack_args a = example(8);
	struct exec_stack_layout l;

	memset(big, 'e', MAX_ARG_STRLEN - 1);	/* 131071 chars: the longest allowed */
	for (int i = 0; i < 15; i++)
		envp[i] = big;
	memset(arg0, 'a', 130940);
	a.execfn = "/x";
	a.argv = argv;
	a.argc = 1;
	a.envp = envp;
	a.envc = 15;
	CHECK(exec_stack_build(&a, NULL, 0, &l) == 0);
	arg0[130940] = 'a';			/* one byte more */
	CHECK(exec_stack_build(&a, NULL, 0, &l) == -K_E2BIG);
	CHECK(strstr(l.reason, "limit") != NULL);
	a.rlimit_stack = ~0ull;			/* 6 MiB */
	CHECK(exec_stack_build(&a, NULL, 0, &l) == 0);

	/* one string of MAX_ARG_STRLEN characters is too long, wherever it is */
	big[MAX_ARG_STRLEN - 1] = 'e';
	a.envc = 1;
	CHECK(exec_stack_build(&a, NULL, 0, &l) == -K_E2BIG);
	CHECK(strstr(l.reason, "MAX_ARG_STRLEN") != NULL);
	a.envc = 0;
	argv[0] = big;
	CHECK(exec_stack_build(&a, NULL, 0, &l) == -K_E2BIG);
	argv[0] = "a";
	a.execfn = big;
	CHECK(exec_stack_build(&a, NULL, 0, &l) == -K_E2BIG);

	/* the pointers alone over the limit */
	a = example(8);
	a.rlimit_stack = 0;			/* ARG_MAX: 131072 */
	a.argc = 131072 / 8;
	a.envc = 0;
	CHECK(exec_stack_build(&a, NULL, 0, &l) == -K_E2BIG);
	a.argc = MAX_ARG_STRINGS + 1ull;
	CHECK(exec_stack_build(&a, NULL, 0, &l) == -K_E2BIG);
}

HOST_TEST(buffer_contract)
{
	struct exec_stack_args a = example(8);
	struct exec_stack_layout l, l2;
	unsigned char *buf;

	CHECK(exec_stack_build(&a, NULL, 0, &l) == 0);
	buf = malloc(l.size + 64);
	CHECK(exec_stack_build(&a, buf, l.size - 1, &l2) == -K_ENOSPC);
	/* a bigger buffer: the same layout, the bytes below sp untouched */
	memset(buf, 0x77, l.size + 64);
	CHECK(exec_stack_build(&a, buf, l.size + 64, &l2) == 0);
	CHECK(l2.sp == l.sp && l2.size == l.size);
	for (int i = 0; i < 64; i++)
		CHECK(buf[i] == 0x77);
	CHECK(buf[64] == 2);			/* argc at sp */
	free(buf);

	a.word_size = 2;
	CHECK(exec_stack_build(&a, NULL, 0, &l) == -K_EINVAL);
	a = example(4);
	a.stack_top = 0x100000000ull + 0x1000;
	CHECK(exec_stack_build(&a, NULL, 0, &l) == -K_EINVAL);
	a.stack_top = 0x80;			/* the strings fit, the tables do not */
	CHECK(exec_stack_build(&a, NULL, 0, &l) == -K_ENOMEM);
	a.stack_top = 0x0;
	CHECK(exec_stack_build(&a, NULL, 0, &l) == -K_ENOMEM);
}
