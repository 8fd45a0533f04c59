/*
 * The per-process files' layouts (pid_format.h): Linux 6.1's
 * fs/proc/array.c, task_mmu.c, base.c and fd.c, field by field.
 */
#include <kernel/printk.h>
#include <kernel/seqbuf.h>
#include <string.h>

#include "pid_format.h"

static const struct {
	char letter;
	const char *name;
} states[] = {
	{ 'R', "R (running)" },
	{ 'S', "S (sleeping)" },
	{ 'D', "D (disk sleep)" },
	{ 'T', "T (stopped)" },
	{ 't', "t (tracing stop)" },
	{ 'X', "X (dead)" },
	{ 'Z', "Z (zombie)" },
	{ 'P', "P (parked)" },
	{ 'I', "I (idle)" },
};

const char *
proc_state_name(char state)
{
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (states[i].letter == state)
			return states[i].name;
	return states[0].name;
}

/* The first word of a signal set as stat shows it: decimal, 31 bits (Linux 2.0's). */
static unsigned long
sig_word(uint64_t set)
{
	return (unsigned long)(set & 0x7fffffffUL);
}

void
proc_format_stat(struct seqbuf *m, const struct proc_stat_info *st)
{
	bool mm = st->has_mm, ok = st->permitted;
	char comm[PROC_COMM_LEN];

	memcpy(comm, st->comm, sizeof(comm));
	comm[sizeof(comm) - 1] = '\0';
	seqbuf_printf(m, "%d (%s) %c %d %d %d %d %d %u %lu %lu %lu %lu", st->pid, comm, st->state,
		      st->ppid, st->pgrp, st->session, st->tty_nr, st->tpgid, st->flags,
		      st->minflt, st->cminflt, st->majflt, st->cmajflt);
	seqbuf_printf(m, " %llu %llu %lld %lld %d %d %d 0 %llu",
		      (unsigned long long)st->utime, (unsigned long long)st->stime,
		      (long long)st->cutime, (long long)st->cstime, st->priority, st->nice,
		      st->num_threads, (unsigned long long)st->starttime);
	/* Without permission the code bounds read 1 (there is an mm) or 0. */
	seqbuf_printf(m, " %lu %lu %lu %lu %lu %lu", st->vsize, mm ? st->rss : 0, st->rsslim,
		      mm ? (ok ? st->start_code : 1) : 0, mm ? (ok ? st->end_code : 1) : 0,
		      (ok && mm) ? st->start_stack : 0);
	/* kstkesp and kstkeip: zero unless the task is dumping core (Linux 5.x on). */
	seqbuf_printf(m, " 0 0 %lu %lu %lu %lu", sig_word(st->pending), sig_word(st->blocked),
		      sig_word(st->ignored), sig_word(st->caught));
	/* wchan (0/1), nswap, cnswap (always 0). */
	seqbuf_printf(m, " %d 0 0 %d %d %u %u 0 0 0", ok && st->sleeping ? 1 : 0, st->exit_signal,
		      st->processor, st->rt_priority, st->policy);
	if (mm && ok)
		seqbuf_printf(m, " %lu %lu %lu %lu %lu %lu %lu", st->start_data, st->end_data,
			      st->start_brk, st->arg_start, st->arg_end, st->env_start,
			      st->env_end);
	else
		seqbuf_puts(m, " 0 0 0 0 0 0 0");
	seqbuf_printf(m, " %d\n", ok ? st->exit_code : 0);
}

/* The sixteen hex digits of a 64-signal set, highest signal first. */
static void
show_sigset(struct seqbuf *m, const char *label, uint64_t set)
{
	seqbuf_printf(m, "%s\t%016llx\n", label, (unsigned long long)set);
}

/* Linux's seq_escape_str(..., ESCAPE_SPACE | ESCAPE_SPECIAL, "\n\\"). */
static void
show_escaped_name(struct seqbuf *m, const char *name, size_t max)
{
	for (size_t i = 0; i < max && name[i]; i++) {
		if (name[i] == '\n')
			seqbuf_puts(m, "\\n");
		else if (name[i] == '\\')
			seqbuf_puts(m, "\\\\");
		else
			seqbuf_putc(m, name[i]);
	}
}

void
proc_format_bitmap(struct seqbuf *m, uint64_t bits, unsigned int nbits)
{
	unsigned int top;

	if (nbits == 0)
		nbits = 1;
	if (nbits > 64)
		nbits = 64;
	if (nbits < 64)
		bits &= (1ULL << nbits) - 1;
	/* Groups of 32 bits from the top; the first one only as wide as its bits. */
	top = (nbits - 1) / 32;
	for (int g = (int)top; g >= 0; g--) {
		unsigned int chunk = (unsigned int)(bits >> (32 * g));
		unsigned int width = 8;

		if ((unsigned int)g == top && nbits % 32)
			width = (nbits % 32 + 3) / 4;
		seqbuf_printf(m, "%0*x%s", (int)width, chunk, g ? "," : "");
	}
}

void
proc_format_bitmap_list(struct seqbuf *m, uint64_t bits, unsigned int nbits)
{
	bool first = true;

	if (nbits > 64)
		nbits = 64;
	for (unsigned int i = 0; i < nbits;) {
		unsigned int j;

		if (!(bits & (1ULL << i))) {
			i++;
			continue;
		}
		for (j = i; j + 1 < nbits && (bits & (1ULL << (j + 1))); j++)
			;
		seqbuf_printf(m, j > i ? "%s%u-%u" : "%s%u", first ? "" : ",", i, j);
		first = false;
		i = j + 1;
	}
}

static void
show_kb(struct seqbuf *m, const char *label, unsigned long kb)
{
	seqbuf_printf(m, "%s\t%8lu kB\n", label, kb);
}

void
proc_format_status(struct seqbuf *m, const struct proc_status_info *st)
{
	seqbuf_puts(m, "Name:\t");
	show_escaped_name(m, st->name, sizeof(st->name));
	seqbuf_putc(m, '\n');
	if (st->umask >= 0)
		seqbuf_printf(m, "Umask:\t%#04o\n", (unsigned int)st->umask);
	seqbuf_printf(m, "State:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t%d\n",
		      proc_state_name(st->state), st->tgid, st->pid, st->ppid, st->tracer_pid);
	seqbuf_printf(m, "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\nFDSize:\t%u\nGroups:\t",
		      st->uid[0], st->uid[1], st->uid[2], st->uid[3], st->gid[0], st->gid[1],
		      st->gid[2], st->gid[3], st->fdsize);
	for (unsigned int g = 0; g < st->ngroups && g < PROC_NGROUPS; g++)
		seqbuf_printf(m, g ? " %u" : "%u", st->groups[g]);
	/* Linux's trailing space after the groups, kept for compatibility. */
	seqbuf_printf(m, " \nNStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", st->tgid,
		      st->pid, st->pgrp, st->session);
	if (st->has_mm) {
		show_kb(m, "VmPeak:", st->vm_kb.peak);
		show_kb(m, "VmSize:", st->vm_kb.size);
		show_kb(m, "VmLck:", st->vm_kb.lck);
		show_kb(m, "VmPin:", st->vm_kb.pin);
		show_kb(m, "VmHWM:", st->vm_kb.hwm);
		show_kb(m, "VmRSS:", st->vm_kb.rss);
		show_kb(m, "RssAnon:", st->vm_kb.rss_anon);
		show_kb(m, "RssFile:", st->vm_kb.rss_file);
		show_kb(m, "RssShmem:", st->vm_kb.rss_shmem);
		show_kb(m, "VmData:", st->vm_kb.data);
		show_kb(m, "VmStk:", st->vm_kb.stk);
		show_kb(m, "VmExe:", st->vm_kb.exe);
		show_kb(m, "VmLib:", st->vm_kb.lib);
		show_kb(m, "VmPTE:", st->vm_kb.pte);
		show_kb(m, "VmSwap:", st->vm_kb.swap);
		show_kb(m, "HugetlbPages:", 0);
		/* No core dumps and no transparent huge pages here. */
		seqbuf_puts(m, "CoreDumping:\t0\nTHP_enabled:\t0\n");
	}
	seqbuf_printf(m, "Threads:\t%d\nSigQ:\t%lu/%lu\n", st->threads, st->sigq, st->sigq_max);
	show_sigset(m, "SigPnd:", st->sig_pnd);
	show_sigset(m, "ShdPnd:", st->shd_pnd);
	show_sigset(m, "SigBlk:", st->sig_blk);
	show_sigset(m, "SigIgn:", st->sig_ign);
	show_sigset(m, "SigCgt:", st->sig_cgt);
	show_sigset(m, "CapInh:", st->cap_inh);
	show_sigset(m, "CapPrm:", st->cap_prm);
	show_sigset(m, "CapEff:", st->cap_eff);
	show_sigset(m, "CapBnd:", st->cap_bnd);
	show_sigset(m, "CapAmb:", st->cap_amb);
	/*
	 * Without seccomp there are no Seccomp lines; the speculation
	 * answers are Linux's for an architecture that does not report them.
	 */
	seqbuf_puts(m, "NoNewPrivs:\t0\nSpeculation_Store_Bypass:\tunknown\n"
		       "SpeculationIndirectBranch:\tunsupported\nCpus_allowed:\t");
	proc_format_bitmap(m, st->cpus_allowed, st->nr_cpu_ids);
	seqbuf_puts(m, "\nCpus_allowed_list:\t");
	proc_format_bitmap_list(m, st->cpus_allowed, st->nr_cpu_ids);
	seqbuf_printf(m, "\nvoluntary_ctxt_switches:\t%lu\nnonvoluntary_ctxt_switches:\t%lu\n",
		      st->voluntary_ctxt, st->nonvoluntary_ctxt);
}

void
proc_format_statm(struct seqbuf *m, const struct proc_statm_info *st)
{
	if (!st->has_mm) {
		seqbuf_puts(m, "0 0 0 0 0 0 0\n");
		return;
	}
	seqbuf_printf(m, "%lu %lu %lu %lu 0 %lu 0\n", st->size, st->resident, st->shared, st->text,
		      st->data);
}

void
proc_format_maps_line(struct seqbuf *m, const struct proc_maps_line *l, unsigned int ptr_size)
{
	size_t pad_until = m->len + 25 + ptr_size * 6 - 1;

	seqbuf_printf(m, "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu ", l->start, l->end,
		      l->read ? 'r' : '-', l->write ? 'w' : '-', l->exec ? 'x' : '-',
		      l->shared ? 's' : 'p', l->pgoff, l->dev_major, l->dev_minor, l->ino);
	if (!l->name) {
		seqbuf_putc(m, '\n');
		return;
	}
	/* seq_pad(): the name starts one space past a fixed column. */
	while (m->len < pad_until && !m->overflow)
		seqbuf_putc(m, ' ');
	seqbuf_putc(m, ' ');
	if (!l->name_is_path) {
		seqbuf_puts(m, l->name);
	} else {
		/* seq_file_path(m, file, "\n"): a newline in a name shows as \012. */
		for (const char *c = l->name; *c; c++) {
			if (*c == '\n')
				seqbuf_puts(m, "\\012");
			else
				seqbuf_putc(m, *c);
		}
	}
	seqbuf_putc(m, '\n');
}

static const struct {
	const char *name, *unit;
} limit_names[PROC_NLIMITS] = {
	{ "Max cpu time", "seconds" },
	{ "Max file size", "bytes" },
	{ "Max data size", "bytes" },
	{ "Max stack size", "bytes" },
	{ "Max core file size", "bytes" },
	{ "Max resident set", "bytes" },
	{ "Max processes", "processes" },
	{ "Max open files", "files" },
	{ "Max locked memory", "bytes" },
	{ "Max address space", "bytes" },
	{ "Max file locks", "locks" },
	{ "Max pending signals", "signals" },
	{ "Max msgqueue size", "bytes" },
	{ "Max nice priority", NULL },
	{ "Max realtime priority", NULL },
	{ "Max realtime timeout", "us" },
};

static void
show_limit(struct seqbuf *m, uint64_t v)
{
	if (v == PROC_RLIM_INFINITY)
		seqbuf_printf(m, "%-20s ", "unlimited");
	else
		seqbuf_printf(m, "%-20llu ", (unsigned long long)v);
}

void
proc_format_limits(struct seqbuf *m, const uint64_t soft[PROC_NLIMITS],
		   const uint64_t hard[PROC_NLIMITS])
{
	seqbuf_printf(m, "%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit", "Hard Limit", "Units");
	for (unsigned int i = 0; i < PROC_NLIMITS; i++) {
		seqbuf_printf(m, "%-25s ", limit_names[i].name);
		show_limit(m, soft[i]);
		show_limit(m, hard[i]);
		if (limit_names[i].unit)
			seqbuf_printf(m, "%-10s\n", limit_names[i].unit);
		else
			seqbuf_putc(m, '\n');
	}
}

void
proc_format_fdinfo(struct seqbuf *m, long long pos, unsigned int flags, int mnt_id,
		   unsigned long ino)
{
	seqbuf_printf(m, "pos:\t%lld\nflags:\t0%o\nmnt_id:\t%d\nino:\t%lu\n", pos, flags, mnt_id,
		      ino);
}
