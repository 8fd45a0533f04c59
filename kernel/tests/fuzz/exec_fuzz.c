/*
 * libFuzzer harness for execve's parsers (clang -fsanitize=fuzzer,address,
 * undefined; see kernel/meson.build): each input is a file, parsed as an
 * ELF executable for all three ports (with the first 256 bytes given up
 * front and the rest read through the callback, and again with only 16
 * bytes up front: both must agree), relocated when it is accepted, and
 * parsed as a "#!" script.  Traps when a result breaks the parsers'
 * promises; ASan reports any read outside the input.
 *
 * meson test runs it briefly with a fixed seed and run count; longer, by
 * hand, from the build directory (new inputs go to the first directory):
 *   mkdir -p /tmp/exec-corpus
 *   kernel/exec_fuzz /tmp/exec-corpus ../../kernel/tests/fuzz/corpus -max_total_time=3600 -jobs=2
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/binfmts.h>
#include <kernel/elf.h>
#include "../host/elf_host.h"

#define REQUIRE(cond) do { if (!(cond)) __builtin_trap(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len);

static void
check_reason(const char *r, size_t size)
{
	REQUIRE(memchr(r, '\0', size) != NULL);
	REQUIRE(!strchr(r, '\n'));
}

static void
check_accepted(const struct elf_params *p, const struct elf_info *in, size_t len)
{
	uint64_t mapped = 0;
	bool entry_ok = false;

	REQUIRE(in->reason[0] == '\0');
	REQUIRE(in->type == ET_EXEC || in->type == ET_DYN);
	REQUIRE(!in->has_interp);
	REQUIRE(in->nr_loads >= 1 && in->nr_loads <= ELF_MAX_LOADS);
	REQUIRE((uint64_t)in->phnum * in->phentsize <= 4096);
	REQUIRE(in->phoff + (uint64_t)in->phnum * in->phentsize <= len);
	REQUIRE(in->start <= in->end && in->end <= p->user_top);
	REQUIRE(in->max_align >= p->page_size && !(in->max_align & (in->max_align - 1)));
	for (unsigned int i = 0; i < in->nr_loads; i++) {
		const struct elf_segment *s = &in->load[i];

		REQUIRE(s->filesz <= s->memsz);
		REQUIRE(s->vaddr + s->memsz >= s->vaddr);
		REQUIRE(s->vaddr >= in->start && s->vaddr + s->memsz <= in->end);
		if (s->filesz) {
			REQUIRE(s->offset + s->filesz <= len);
			REQUIRE((s->offset & (p->page_size - 1)) == (s->vaddr & (p->page_size - 1)));
		}
		if (i)
			REQUIRE(s->vaddr >= in->load[i - 1].vaddr + in->load[i - 1].memsz);
		if ((s->prot & ELF_PROT_EXEC) && in->entry >= s->vaddr &&
		    in->entry < s->vaddr + s->memsz)
			entry_ok = true;
		mapped += ((s->vaddr + s->memsz + p->page_size - 1) & ~(p->page_size - 1)) -
			  (s->vaddr & ~(p->page_size - 1));
	}
	REQUIRE(entry_ok);
	REQUIRE(mapped == in->mapped && mapped <= p->max_mapped);
}

static void
fuzz_elf(enum elf_arch arch, const uint8_t *buf, size_t len)
{
	struct elf_params p = elf_test_params(arch);
	struct mem_file f = { buf, len };
	static struct elf_info a, b;
	int ra, rb;

	ra = elf_parse(&p, buf, len < 256 ? len : 256, (loff_t)len, mem_file_read, &f, &a);
	rb = elf_parse(&p, buf, len < 16 ? len : 16, (loff_t)len, mem_file_read, &f, &b);
	REQUIRE(ra == rb && memcmp(&a, &b, sizeof(a)) == 0);
	check_reason(a.reason, sizeof(a.reason));
	check_reason(a.interp, sizeof(a.interp));
	if (ra) {
		REQUIRE(ra == -8 || ra == -12 || ra == -22);	/* ENOEXEC, ENOMEM, EINVAL */
		REQUIRE(a.reason[0] != '\0');
		return;
	}
	check_accepted(&p, &a, len);
	if (a.type == ET_DYN) {
		/* a base from the input's own bytes */
		uint64_t base = len >= 8 ? ((uint64_t)buf[len - 1] << 40 | (uint64_t)buf[len - 2] << 24) : 0;
		uint64_t bias = elf_load_bias(&a, base % p.user_top);

		if (elf_relocate(&p, &a, bias) == 0) {
			REQUIRE(a.end <= p.user_top && a.start <= a.end);
			REQUIRE(a.start % a.max_align == 0);
			REQUIRE(a.entry - bias == b.entry);
		} else {
			REQUIRE(a.reason[0] != '\0');
		}
	} else {
		REQUIRE(elf_load_bias(&a, 0x1000000) == 0);
	}
}

static void
fuzz_script(const uint8_t *buf, size_t len)
{
	static struct script_info s;
	const char *argv[2] = { "x", "y" }, *out[4];

	if (script_parse(buf, len, &s)) {
		REQUIRE(s.reason && s.reason[0]);
		return;
	}
	REQUIRE(len >= 2 && buf[0] == '#' && buf[1] == '!');
	REQUIRE(strlen(s.interp) <= BINPRM_BUF_SIZE - 3);
	REQUIRE(!strpbrk(s.interp, " \t\n"));
	REQUIRE(strlen(s.arg) <= BINPRM_BUF_SIZE - 4 && !strchr(s.arg, '\n'));
	REQUIRE(s.has_arg || s.arg[0] == '\0');
	REQUIRE(s.arg[0] != ' ' && s.arg[0] != '\t');
	REQUIRE(script_argv(&s, "f", argv, 2, out, 4) == 3 + s.has_arg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len)
{
	/* an exact-size copy, so ASan sees a read past the file */
	uint8_t *copy = malloc(len ? len : 1);

	memcpy(copy, buf, len);
	fuzz_elf(ELF_ARCH_AARCH64, copy, len);
	fuzz_elf(ELF_ARCH_X86_64, copy, len);
	fuzz_elf(ELF_ARCH_I386, copy, len);
	fuzz_script(copy, len);
	free(copy);
	return 0;
}
