/*
 * kernel/elf.c and kernel/exec_stack.c against real programs: the static
 * and static-PIE builds of tests/host/elf_fixture.c for each port
 * (EXEC_FIXTURES: "arch:kind:path,...") are parsed and compared with
 * what readelf -lW (READELF) says of them; the x86_64 ones also run
 * here under setarch -R (no stack randomisation) and dump their initial
 * stack, which must equal, byte for byte, the layout exec_stack.c makes
 * from the same strings and auxv values, and whose AT_PHDR, AT_PHNUM and
 * AT_ENTRY must agree with the parser.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "host_test.h"
#include <kernel/elf.h>
#include <kernel/exec_stack.h>
#include "elf_host.h"

struct fixture {
	char arch[16], kind[16], path[512];
};

static struct fixture fixtures[16];
static int nr_fixtures;

static void
load_fixture_list(void)
{
	const char *list = getenv("EXEC_FIXTURES");
	char *copy, *tok, *save;

	if (nr_fixtures || !list)
		return;
	copy = strdup(list);
	for (tok = strtok_r(copy, ",", &save); tok && nr_fixtures < 16;
	     tok = strtok_r(NULL, ",", &save)) {
		struct fixture *f = &fixtures[nr_fixtures];

		if (sscanf(tok, "%15[^:]:%15[^:]:%511s", f->arch, f->kind, f->path) == 3)
			nr_fixtures++;
	}
	free(copy);
}

static bool
arch_of(const char *name, enum elf_arch *a)
{
	if (!strcmp(name, "aarch64"))
		*a = ELF_ARCH_AARCH64;
	else if (!strcmp(name, "x86_64"))
		*a = ELF_ARCH_X86_64;
	else if (!strcmp(name, "i386"))
		*a = ELF_ARCH_I386;
	else
		return false;
	return true;
}

#define params elf_test_params


static bool
slurp(const char *path, struct mem_file *f)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *b;
	long n;

	if (!fp)
		return false;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	b = malloc(n > 0 ? (size_t)n : 1);
	if (n <= 0 || fread(b, 1, (size_t)n, fp) != (size_t)n) {
		fclose(fp);
		free(b);
		return false;
	}
	fclose(fp);
	f->buf = b;
	f->len = (size_t)n;
	return true;
}

/* ------------------------------------------------------------ readelf */

struct rphdr {
	char type[32];
	uint64_t offset, vaddr, filesz, memsz, align;
	unsigned int prot;
};

struct readelf {
	bool dyn;
	uint64_t entry, phoff;
	unsigned int phnum, n;
	struct rphdr ph[64];
};

static bool
run_readelf(const char *path, struct readelf *r)
{
	char cmd[1200], line[512];
	FILE *p;

	memset(r, 0, sizeof(*r));
	snprintf(cmd, sizeof(cmd), "'%s' -lW '%s'", getenv("READELF"), path);
	p = popen(cmd, "r");
	if (!p)
		return false;
	while (fgets(line, sizeof(line), p)) {
		unsigned long long a, b;
		struct rphdr ph = { 0 };
		unsigned long long off, va, pa, fs, ms, al;
		int used = 0;

		if (strstr(line, "Elf file type is DYN"))
			r->dyn = true;
		if (sscanf(line, "Entry point 0x%llx", &a) == 1)
			r->entry = a;
		if (sscanf(line, "There are %llu program headers, starting at offset %llu", &a, &b) == 2) {
			r->phnum = (unsigned int)a;
			r->phoff = b;
		}
		if (sscanf(line, " %31s 0x%llx 0x%llx 0x%llx 0x%llx 0x%llx %n",
			   ph.type, &off, &va, &pa, &fs, &ms, &used) != 6 || !used)
			continue;
		/* flags: "R", "R E", "RW ", "RWE", then the alignment */
		for (const char *c = line + used; *c && *c != '\n'; c++) {
			if (*c == '0' && c[1] == 'x') {
				al = strtoull(c, NULL, 16);
				ph.align = al;
				break;
			}
			if (*c == 'R')
				ph.prot |= ELF_PROT_READ;
			if (*c == 'W')
				ph.prot |= ELF_PROT_WRITE;
			if (*c == 'E')
				ph.prot |= ELF_PROT_EXEC;
		}
		ph.offset = off;
		ph.vaddr = va;
		ph.filesz = fs;
		ph.memsz = ms;
		if (r->n < 64)
			r->ph[r->n++] = ph;
	}
	return pclose(p) == 0 && r->phnum > 0;
}

HOST_TEST(readelf_agrees)
{
	load_fixture_list();
	CHECK(nr_fixtures > 0);
	for (int i = 0; i < nr_fixtures; i++) {
		const struct fixture *fx = &fixtures[i];
		struct elf_params p;
		struct elf_info info;
		struct readelf re;
		struct mem_file f;
		enum elf_arch a;
		unsigned int loads = 0;
		bool tls = false, stack = false, stack_x = false;
		uint64_t phdr = 0;

		printf("# %s %s: %s\n", fx->arch, fx->kind, fx->path);
		CHECK(arch_of(fx->arch, &a));
		CHECK(slurp(fx->path, &f));
		CHECK(run_readelf(fx->path, &re));
		p = params(a);
		if (elf_parse(&p, f.buf, 256, (loff_t)f.len, mem_file_read, &f, &info)) {
			printf("# refused: %s\n", info.reason);
			CHECK(0);
			free((void *)f.buf);
			continue;
		}
		CHECK(info.type == (re.dyn ? ET_DYN : ET_EXEC));
		CHECK(re.dyn == !strcmp(fx->kind, "static-pie"));
		CHECK(info.entry == re.entry);
		CHECK(info.phnum == re.phnum && re.n == re.phnum);
		CHECK(info.phoff == re.phoff);
		for (unsigned int k = 0; k < re.n; k++) {
			const struct rphdr *ph = &re.ph[k];

			if (!strcmp(ph->type, "LOAD")) {
				const struct elf_segment *s = &info.load[loads];

				CHECK(loads < info.nr_loads);
				CHECK(s->vaddr == ph->vaddr && s->memsz == ph->memsz);
				CHECK(s->offset == ph->offset && s->filesz == ph->filesz);
				CHECK(s->align == ph->align && s->prot == ph->prot);
				if (ph->offset <= re.phoff && re.phoff < ph->offset + ph->filesz)
					phdr = re.phoff - ph->offset + ph->vaddr;
				loads++;
			} else if (!strcmp(ph->type, "TLS") && !tls) {
				tls = true;
				CHECK(info.tls_vaddr == ph->vaddr && info.tls_memsz == ph->memsz);
				CHECK(info.tls_filesz == ph->filesz && info.tls_align == ph->align);
			} else if (!strcmp(ph->type, "GNU_STACK")) {
				stack = true;
				stack_x = ph->prot & ELF_PROT_EXEC;
			}
			CHECK(strcmp(ph->type, "INTERP") != 0);
		}
		CHECK(loads == info.nr_loads && loads >= 2);
		CHECK(tls && info.has_tls);
		CHECK(info.stack == (!stack ? ELF_STACK_DEFAULT :
				     stack_x ? ELF_STACK_EXEC : ELF_STACK_NOEXEC));
		CHECK(info.phdr_mapped && info.phdr_addr == phdr);
		if (info.type == ET_DYN) {
			uint64_t bias = elf_load_bias(&info, a == ELF_ARCH_I386 ? 0x40000000 :
							  0x7f0000000000ull);
			uint64_t entry = info.entry;

			CHECK(elf_relocate(&p, &info, bias) == 0);
			CHECK(info.entry == entry + bias && info.start % info.max_align == 0);
		}
		free((void *)f.buf);
	}
}

/* ------------------------------------------------------------ a real stack */

struct dump {
	uint64_t sp, top;
	unsigned char *mem;
};

static bool
run_dump(const char *path, struct dump *d)
{
	char cmd[1200];
	static char hex[1 << 20];
	unsigned long long sp, top;
	FILE *p;
	bool ok;

	snprintf(cmd, sizeof(cmd),
		 "env -i A=1 'LONGER_NAME=with spaces' EMPTY= setarch -R '%s' --dump-stack one 'two words' ''",
		 path);
	p = popen(cmd, "r");
	if (!p)
		return false;
	ok = fscanf(p, "sp %llx\ntop %llx\n%1048575s", &sp, &top, hex) == 3;
	if (pclose(p) != 0 || !ok || top <= sp || strlen(hex) != 2 * (top - sp))
		return false;
	d->sp = sp;
	d->top = top;
	d->mem = malloc(top - sp);
	for (uint64_t i = 0; i < top - sp; i++) {
		unsigned int b;

		sscanf(hex + 2 * i, "%2x", &b);
		d->mem[i] = (unsigned char)b;
	}
	return true;
}

static uint64_t
dword(const struct dump *d, uint64_t addr)
{
	uint64_t v;

	memcpy(&v, d->mem + (addr - d->sp), 8);
	return v;
}

static const char *
dstr(const struct dump *d, uint64_t addr)
{
	return (const char *)d->mem + (addr - d->sp);
}

HOST_TEST(linux_stack_agrees)
{
	static const int order[] = {
		AT_HWCAP, AT_PAGESZ, AT_CLKTCK, AT_PHDR, AT_PHENT, AT_PHNUM, AT_BASE,
		AT_FLAGS, AT_ENTRY, AT_UID, AT_EUID, AT_GID, AT_EGID, AT_SECURE, AT_RANDOM,
		AT_HWCAP2, AT_EXECFN, AT_PLATFORM,
	};
	int compared = 0;

	load_fixture_list();
	if (access("/usr/bin/setarch", X_OK) != 0) {
		printf("# no setarch: not compared\n");
		return;
	}
	for (int i = 0; i < nr_fixtures; i++) {
		const struct fixture *fx = &fixtures[i];
		struct exec_stack_args a = { .word_size = 8 };
		struct exec_stack_layout l;
		const char *argv[16], *envp[16];
		uint64_t extra[32];
		struct elf_params p = params(ELF_ARCH_X86_64);
		struct elf_info info;
		struct mem_file f;
		struct dump d;
		uint64_t at, bias;
		size_t k, o = 0;
		unsigned char *buf;

		if (strcmp(fx->arch, "x86_64"))
			continue;
		if (!run_dump(fx->path, &d)) {
			printf("# %s: the program could not dump its stack here: not compared\n",
			       fx->path);
			continue;
		}
		/* the dump's own structure: argc, argv, envp, auxv */
		a.stack_top = d.top;
		a.rlimit_stack = 8 << 20;
		a.argc = dword(&d, d.sp);
		CHECK(a.argc == 5);
		for (k = 0; k < a.argc && k < 16; k++)
			argv[k] = dstr(&d, dword(&d, d.sp + 8 * (1 + k)));
		a.argv = argv;
		at = d.sp + 8 * (2 + a.argc);
		for (k = 0; dword(&d, at + 8 * k) && k < 16; k++)
			envp[k] = dstr(&d, dword(&d, at + 8 * k));
		a.envp = envp;
		a.envc = k;
		CHECK(a.envc == 3);
		at += 8 * (k + 1);
		for (;; at += 16) {
			uint64_t t = dword(&d, at), v = dword(&d, at + 8);

			if (t == AT_NULL)
				break;
			if (t == AT_SYSINFO_EHDR && o == 0) {
				a.auxv.sysinfo_ehdr = v;
				continue;
			}
			if (t == AT_MINSIGSTKSZ && o == 0) {
				a.auxv.minsigstksz = v;
				continue;
			}
			if (o >= sizeof(order) / sizeof(order[0])) {
				if (a.auxv.nr_extra < 16) {
					extra[2 * a.auxv.nr_extra] = t;
					extra[2 * a.auxv.nr_extra + 1] = v;
					a.auxv.nr_extra++;
				}
				continue;
			}
			if ((int)t != order[o]) {
				printf("# auxv entry %llu where Linux 6.1 has %d: not compared\n",
				       (unsigned long long)t, order[o]);
				goto next;
			}
			o++;
			switch (t) {
			case AT_HWCAP: a.auxv.hwcap = v; break;
			case AT_PAGESZ: a.auxv.pagesz = v; break;
			case AT_CLKTCK: a.auxv.clktck = v; break;
			case AT_PHDR: a.auxv.phdr = v; break;
			case AT_PHENT: a.auxv.phent = v; break;
			case AT_PHNUM: a.auxv.phnum = v; break;
			case AT_BASE: a.auxv.base = v; break;
			case AT_FLAGS: a.auxv.flags = v; break;
			case AT_ENTRY: a.auxv.entry = v; break;
			case AT_UID: a.auxv.uid = v; break;
			case AT_EUID: a.auxv.euid = v; break;
			case AT_GID: a.auxv.gid = v; break;
			case AT_EGID: a.auxv.egid = v; break;
			case AT_SECURE: a.auxv.secure = v; break;
			case AT_RANDOM: memcpy(a.random, dstr(&d, v), 16); break;
			case AT_HWCAP2: a.auxv.hwcap2 = v; break;
			case AT_EXECFN: a.execfn = dstr(&d, v); break;
			case AT_PLATFORM: a.platform = dstr(&d, v); break;
			}
		}
		if (o != sizeof(order) / sizeof(order[0])) {
			printf("# the auxv lacks entries Linux 6.1 has: not compared\n");
			goto next;
		}
		a.auxv.extra = extra;
		printf("# %s: sp 0x%llx, top 0x%llx, %zu extra auxv entries\n", fx->path,
		       (unsigned long long)d.sp, (unsigned long long)d.top, a.auxv.nr_extra);

		/* exec_stack.c from the same inputs: the same bytes */
		CHECK(exec_stack_build(&a, NULL, 0, &l) == 0);
		CHECK(l.sp == d.sp && l.size == d.top - d.sp);
		if (l.size == d.top - d.sp) {
			buf = malloc(l.size);
			CHECK(exec_stack_build(&a, buf, l.size, &l) == 0);
			CHECK(memcmp(buf, d.mem, l.size) == 0);
			for (size_t b = 0; b < l.size; b++)
				if (buf[b] != d.mem[b]) {
					printf("# first difference at 0x%llx: 0x%02x, Linux 0x%02x\n",
					       (unsigned long long)(d.sp + b), buf[b], d.mem[b]);
					break;
				}
			free(buf);
		}
		CHECK_STREQ(argv[0], fx->path);
		CHECK_STREQ(argv[1], "--dump-stack");
		CHECK_STREQ(argv[3], "two words");
		CHECK_STREQ(argv[4], "");
		CHECK_STREQ(envp[1], "LONGER_NAME=with spaces");

		/* the parser's AT_PHDR, AT_PHNUM and AT_ENTRY are Linux's */
		CHECK(slurp(fx->path, &f));
		CHECK(elf_parse(&p, f.buf, 256, (loff_t)f.len, mem_file_read, &f, &info) == 0);
		bias = a.auxv.entry - info.entry;
		CHECK(info.type == ET_DYN || bias == 0);
		CHECK(elf_relocate(&p, &info, bias) == 0);
		CHECK(info.phdr_addr == a.auxv.phdr);
		CHECK(info.phnum == a.auxv.phnum && info.phentsize == a.auxv.phent);
		free((void *)f.buf);
		compared++;
next:
		free(d.mem);
	}
	printf("# %d real stacks compared\n", compared);
}
