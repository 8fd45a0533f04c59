/*
 * The initial user stack of a new program, laid out byte for byte as
 * Linux 6.1's execve does (fs/exec.c copies the strings, fs/binfmt_elf.c's
 * create_elf_tables() the rest), into a kernel buffer that the exec code
 * then copies to the top of the new stack.  From the top down:
 *
 *   a zero word; the execfn string (AT_EXECFN); the environment strings,
 *   then the argument strings, each list in ascending order (argv[0] is
 *   lowest: arg_start); down to a 16-byte boundary; the platform string
 *   (AT_PLATFORM); 16 random bytes (AT_RANDOM); padding; and at the
 *   16-byte-aligned stack pointer: argc, argv[], NULL, envp[], NULL, the
 *   auxv pairs ending with AT_NULL.
 *
 * Pure: no allocation, no user memory, no global state.
 */
#ifndef KERNEL_EXEC_STACK_H
#define KERNEL_EXEC_STACK_H

#include <kernel/auxvec.h>
#include <kernel/binfmts.h>
#include <kernel/types.h>

/*
 * The values of the auxv entries that are not addresses on the stack,
 * in Linux 6.1's order.  Entries marked "0 omits" are left out when 0.
 */
struct exec_auxv {
	uint64_t sysinfo;	/* AT_SYSINFO (i386 vDSO entry); 0 omits */
	uint64_t sysinfo_ehdr;	/* AT_SYSINFO_EHDR (the vDSO); 0 omits */
	uint64_t minsigstksz;	/* AT_MINSIGSTKSZ (the port's signal frame); 0 omits */
	uint64_t hwcap;		/* AT_HWCAP */
	uint64_t pagesz;	/* AT_PAGESZ */
	uint64_t clktck;	/* AT_CLKTCK (USER_HZ: 100) */
	uint64_t phdr;		/* AT_PHDR (struct elf_info's phdr_addr) */
	uint64_t phent;		/* AT_PHENT */
	uint64_t phnum;		/* AT_PHNUM */
	uint64_t base;		/* AT_BASE (interpreter's load address: 0) */
	uint64_t flags;		/* AT_FLAGS */
	uint64_t entry;		/* AT_ENTRY (the program's, relocated) */
	uint64_t uid, euid, gid, egid;	/* AT_UID, AT_EUID, AT_GID, AT_EGID */
	uint64_t secure;	/* AT_SECURE */
	uint64_t hwcap2;	/* AT_HWCAP2 (every port of Linux 6.1 has it) */
	/*
	 * Pairs (type, value) put after AT_PLATFORM, before AT_NULL, where
	 * later Linux versions add entries (AT_RSEQ_*): nr_extra pairs.
	 */
	const uint64_t *extra;
	size_t nr_extra;
};

struct exec_stack_args {
	unsigned int word_size;		/* 4 or 8: the program's pointer size */
	uint64_t stack_top;		/* user address just above the stack */
	uint64_t rlimit_stack;		/* RLIMIT_STACK's soft limit (~0: infinity) */
	/*
	 * Bytes dropped below the strings before the 16-byte alignment:
	 * arch_align_stack()'s randomisation (x86: < 8192, arm64: < a
	 * page), or 0 for none.
	 */
	uint64_t align_rnd;
	const char *const *argv;	/* argc NUL-terminated strings */
	size_t argc;
	const char *const *envp;	/* envc NUL-terminated strings */
	size_t envc;
	const char *execfn;		/* the path given to execve */
	const char *platform;		/* "aarch64", "x86_64", "i686"; NULL omits AT_PLATFORM */
	uint8_t random[16];		/* AT_RANDOM's bytes */
	struct exec_auxv auxv;
};

/* Where things are, as user addresses. */
struct exec_stack_layout {
	uint64_t sp;		/* the initial stack pointer: argc is there */
	uint64_t size;		/* stack_top - sp: the bytes to copy */
	size_t argc;		/* 1 when argv was empty (Linux adds "") */
	/* /proc/<pid>/cmdline and environ: mm->arg_start.. env_end */
	uint64_t arg_start, arg_end, env_start, env_end;
	uint64_t execfn, platform, random;	/* AT_EXECFN, AT_PLATFORM, AT_RANDOM */
	uint64_t auxv;		/* the first auxv pair (/proc/<pid>/auxv) */
	size_t auxv_words;	/* words from auxv to the end of AT_NULL */
	const char *reason;	/* on failure, why (for the kernel log) */
};

/*
 * Lays out the stack into buf, which holds the buf_size bytes just below
 * a->stack_top, and fills *out; with buf NULL only computes *out (so the
 * caller can size buf: out->size bytes).  Bytes of buf below out->sp are
 * left alone; every byte from out->sp up is written (padding as zeros).
 * Returns 0, or:
 *  -E2BIG   a string longer than MAX_ARG_STRLEN with its NUL, more than
 *           MAX_ARG_STRINGS strings, or the strings and their pointers
 *           over Linux's limit: a quarter of rlimit_stack, at most
 *           3/4 of _STK_LIM, at least ARG_MAX;
 *  -ENOSPC  buf_size < out->size (a caller's mistake);
 *  -ENOMEM  the layout would reach below address 0;
 *  -EINVAL  word_size not 4 or 8, or stack_top out of the word's range.
 */
int exec_stack_build(const struct exec_stack_args *a, void *buf, size_t buf_size,
		     struct exec_stack_layout *out);

/* Linux's limit on argument and environment bytes (strings and pointers). */
uint64_t exec_arg_limit(uint64_t rlimit_stack);

#endif
