/*
 * fs/proc/pid_format.c: the per-process files' layouts.  Fixed structures
 * against texts written out by hand from Linux's format strings, and the
 * host's own /proc/self files (this test runs on Linux) parsed back into
 * the structures and printed again: the same bytes (stat, statm, maps,
 * limits), the same 52 stat fields, and status labels in Linux's order.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "host_test.h"
#include "kernel/seqbuf.h"
#include "../../pid_format.h"

static char out[16384];
static struct seqbuf sb;

static struct seqbuf *
fresh(void)
{
	seqbuf_init(&sb, out, sizeof(out));
	out[0] = '\0';
	return &sb;
}

/* The whole of a host file (NUL-terminated, static), or NULL. */
static const char *
host_file(const char *path)
{
	static char buf[65536];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static unsigned int
count_fields(const char *line)
{
	const char *rparen = strrchr(line, ')');
	unsigned int n = 2;		/* pid and (comm) */

	if (!rparen)
		return 0;
	for (const char *p = rparen + 1; *p && *p != '\n'; p++)
		if (*p != ' ' && (p[-1] == ' ' || p == rparen + 1))
			n++;
	return n;
}

static struct proc_stat_info
sample_stat(void)
{
	struct proc_stat_info st = {
		.pid = 42, .comm = "sh", .state = 'S', .ppid = 1, .pgrp = 42, .session = 42,
		.tty_nr = (4 << 8) | 64, .tpgid = 42, .flags = 0x400000,
		.minflt = 10, .cminflt = 11, .majflt = 1, .cmajflt = 2,
		.utime = 3, .stime = 4, .cutime = 5, .cstime = 6,
		.priority = 20, .nice = 0, .num_threads = 1, .starttime = 123,
		.vsize = 1 << 20, .rss = 17, .rsslim = ~0UL, .has_mm = true, .permitted = true,
		.start_code = 0x400000, .end_code = 0x401000, .start_stack = 0x7ffff000,
		.pending = 1ULL << 9 | 1ULL << 40, .blocked = 1ULL << 1, .ignored = 1ULL << 2,
		.caught = 1ULL << 16, .sleeping = true, .exit_signal = 17, .processor = 1,
		.start_data = 0x402000, .end_data = 0x403000, .start_brk = 0x404000,
		.arg_start = 0x7fffff00, .arg_end = 0x7fffff10, .env_start = 0x7fffff10,
		.env_end = 0x7fffff20, .exit_code = 0,
	};

	return st;
}

HOST_TEST(stat_sample)
{
	struct proc_stat_info st = sample_stat();

	proc_format_stat(fresh(), &st);
	CHECK_STREQ(out, "42 (sh) S 1 42 42 1088 42 4194304 10 11 1 2 3 4 5 6 20 0 1 0 123 "
			 "1048576 17 18446744073709551615 4194304 4198400 2147479552 0 0 512 2 4 "
			 "65536 1 0 0 17 1 0 0 0 0 0 4202496 4206592 4210688 2147483392 "
			 "2147483408 2147483408 2147483424 0\n");
	CHECK(count_fields(out) == 52);
}

HOST_TEST(stat_hides_addresses)
{
	struct proc_stat_info st = sample_stat();

	/* Another user's process: code bounds read 1, addresses and wchan 0. */
	st.permitted = false;
	st.exit_code = 9;
	proc_format_stat(fresh(), &st);
	CHECK_STREQ(out, "42 (sh) S 1 42 42 1088 42 4194304 10 11 1 2 3 4 5 6 20 0 1 0 123 "
			 "1048576 17 18446744073709551615 1 1 0 0 0 512 2 4 65536 0 0 0 17 1 "
			 "0 0 0 0 0 0 0 0 0 0 0 0 0\n");
	/* A zombie: no address space, its wait status in the last field. */
	st = sample_stat();
	st.has_mm = false;
	st.vsize = 0;
	st.state = 'Z';
	st.exit_code = 0x100;
	proc_format_stat(fresh(), &st);
	CHECK_STREQ(out, "42 (sh) Z 1 42 42 1088 42 4194304 10 11 1 2 3 4 5 6 20 0 1 0 123 "
			 "0 0 18446744073709551615 0 0 0 0 0 512 2 4 65536 1 0 0 17 1 0 0 0 0 0 "
			 "0 0 0 0 0 0 0 256\n");
	CHECK(count_fields(out) == 52);
	/* A name with spaces and a parenthesis is printed as it is (ps finds the last ')'). */
	st = sample_stat();
	memcpy(st.comm, "a b) c", 7);
	proc_format_stat(fresh(), &st);
	CHECK(strncmp(out, "42 (a b) c) S 1 ", 16) == 0);
	CHECK(count_fields(out) == 52);
}

/* Parse the host's /proc/self/stat into the structure and print it again. */
HOST_TEST(stat_host_round_trip)
{
	const char *text = host_file("/proc/self/stat");
	unsigned long long v[53] = { 0 };
	struct proc_stat_info st;
	const char *lp, *rp, *p;
	char *end;
	unsigned int n = 3;

	CHECK(text != NULL);
	if (!text)
		return;
	CHECK(count_fields(text) == 52);
	lp = strchr(text, '(');
	rp = strrchr(text, ')');
	CHECK(lp && rp && rp > lp && rp - lp - 1 < PROC_COMM_LEN);
	if (!lp || !rp || rp - lp - 1 >= PROC_COMM_LEN)
		return;
	memset(&st, 0, sizeof(st));
	st.pid = atoi(text);
	memcpy(st.comm, lp + 1, (size_t)(rp - lp - 1));
	st.state = rp[2];
	for (p = rp + 3; n < 53 && *p == ' '; n++) {
		v[n + 1] = strtoull(p + 1, &end, 10);
		if (p[1] == '-')
			v[n + 1] = (unsigned long long)strtoll(p + 1, &end, 10);
		p = end;
	}
	CHECK(n == 52);
	st.ppid = (int)v[4];
	st.pgrp = (int)v[5];
	st.session = (int)v[6];
	st.tty_nr = (int)v[7];
	st.tpgid = (int)v[8];
	st.flags = (unsigned int)v[9];
	st.minflt = v[10];
	st.cminflt = v[11];
	st.majflt = v[12];
	st.cmajflt = v[13];
	st.utime = v[14];
	st.stime = v[15];
	st.cutime = v[16];
	st.cstime = v[17];
	st.priority = (int)v[18];
	st.nice = (int)v[19];
	st.num_threads = (int)v[20];
	st.starttime = v[22];
	st.vsize = v[23];
	st.rss = v[24];
	st.rsslim = v[25];
	st.has_mm = true;
	st.permitted = true;
	st.start_code = v[26];
	st.end_code = v[27];
	st.start_stack = v[28];
	st.pending = v[31];
	st.blocked = v[32];
	st.ignored = v[33];
	st.caught = v[34];
	st.sleeping = v[35];
	st.exit_signal = (int)v[38];
	st.processor = (int)v[39];
	st.rt_priority = (unsigned int)v[40];
	st.policy = (unsigned int)v[41];
	st.start_data = v[45];
	st.end_data = v[46];
	st.start_brk = v[47];
	st.arg_start = v[48];
	st.arg_end = v[49];
	st.env_start = v[50];
	st.env_end = v[51];
	st.exit_code = (int)v[52];
	/* What this kernel always shows as 0 is 0 for a fresh process on Linux too. */
	CHECK(v[21] == 0 && v[29] == 0 && v[30] == 0 && v[36] == 0 && v[37] == 0);
	if (v[42] || v[43] || v[44]) {
		printf("# host stat has delay-accounting or guest time: compared by fields only\n");
		return;
	}
	proc_format_stat(fresh(), &st);
	CHECK_STREQ(out, text);
}

HOST_TEST(statm_layouts)
{
	struct proc_statm_info st = { true, 765, 437, 409, 5, 123 };
	const char *text = host_file("/proc/self/statm");
	unsigned long v[7];

	proc_format_statm(fresh(), &st);
	CHECK_STREQ(out, "765 437 409 5 0 123 0\n");
	st.has_mm = false;
	proc_format_statm(fresh(), &st);
	CHECK_STREQ(out, "0 0 0 0 0 0 0\n");
	CHECK(text != NULL);
	if (!text)
		return;
	CHECK(sscanf(text, "%lu %lu %lu %lu %lu %lu %lu", &v[0], &v[1], &v[2], &v[3], &v[4],
		     &v[5], &v[6]) == 7);
	st = (struct proc_statm_info){ true, v[0], v[1], v[2], v[3], v[5] };
	proc_format_statm(fresh(), &st);
	CHECK_STREQ(out, text);
}

HOST_TEST(maps_lines)
{
	struct proc_maps_line l = {
		.start = 0x400000, .end = 0x401000, .read = true, .exec = true,
		.pgoff = 0x2000, .dev_major = 0, .dev_minor = 0x12, .ino = 7,
		.name = "/bin/busybox", .name_is_path = true,
	};

	proc_format_maps_line(fresh(), &l, 8);
	/* The name starts in column 74 (one past 25 + 6 * 8 - 1) on 64-bit kernels. */
	CHECK_STREQ(out, "00400000-00401000 r-xp 00002000 00:12 7"
			 "                                  /bin/busybox\n");
	CHECK(strchr(out, '/') - out == 73);
	proc_format_maps_line(fresh(), &l, 4);
	CHECK(strchr(out, '/') - out == 49);
	l = (struct proc_maps_line){ .start = 0x7ffde000, .end = 0x7ffff000, .read = true,
				     .write = true, .name = "[stack]" };
	proc_format_maps_line(fresh(), &l, 4);
	CHECK_STREQ(out, "7ffde000-7ffff000 rw-p 00000000 00:00 0          [stack]\n");
	/* Anonymous memory: no padding, the line ends after the inode's space. */
	l.name = NULL;
	l.shared = true;
	proc_format_maps_line(fresh(), &l, 8);
	CHECK_STREQ(out, "7ffde000-7ffff000 rw-s 00000000 00:00 0 \n");
	/* A newline in a path is escaped as Linux's seq_file_path() does. */
	l.name = "/tmp/a\nb";
	l.name_is_path = true;
	l.start = 0x10000;
	l.end = 0x11000;
	proc_format_maps_line(fresh(), &l, 4);
	CHECK_STREQ(out, "00010000-00011000 rw-s 00000000 00:00 0          /tmp/a\\012b\n");
	/* A long line is not padded further. */
	l = (struct proc_maps_line){ .start = 0xffffffffff600000UL, .end = 0xffffffffff601000UL,
				     .exec = true, .pgoff = 0, .ino = 123456789012UL,
				     .name = "[vsyscall]" };
	proc_format_maps_line(fresh(), &l, 8);
	CHECK_STREQ(out, "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 123456789012"
			 "       [vsyscall]\n");
}

/* Every line of the host's /proc/self/maps, parsed and printed again. */
HOST_TEST(maps_host_round_trip)
{
	const char *text = host_file("/proc/self/maps");
	char copy[65536], *line, *save = NULL;
	unsigned int lines = 0;

	CHECK(text != NULL);
	if (!text)
		return;
	snprintf(copy, sizeof(copy), "%s", text);
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct proc_maps_line l = { 0 };
		char perms[5];
		unsigned long long off;
		unsigned int maj, min;
		int name_at = 0;
		char expect[4200];

		if (sscanf(line, "%lx-%lx %4s %llx %x:%x %lu %n", &l.start, &l.end, perms, &off,
			   &maj, &min, &l.ino, &name_at) < 7)
			continue;
		l.read = perms[0] == 'r';
		l.write = perms[1] == 'w';
		l.exec = perms[2] == 'x';
		l.shared = perms[3] == 's';
		l.pgoff = off;
		l.dev_major = maj;
		l.dev_minor = min;
		if (name_at && line[name_at]) {
			l.name = line + name_at;
			l.name_is_path = line[name_at] == '/';
		}
		proc_format_maps_line(fresh(), &l, 8);
		snprintf(expect, sizeof(expect), "%s\n", line);
		CHECK_STREQ(out, expect);
		lines++;
	}
	CHECK(lines > 3);
}

HOST_TEST(limits_host_round_trip)
{
	const char *text = host_file("/proc/self/limits");
	uint64_t soft[PROC_NLIMITS], hard[PROC_NLIMITS];
	const char *p;

	CHECK(text != NULL);
	if (!text)
		return;
	p = strchr(text, '\n');
	for (unsigned int i = 0; i < PROC_NLIMITS && p; i++) {
		char s[32], h[32];

		/* The values start in column 26 and 47. */
		CHECK(sscanf(p + 1 + 26, "%31s %31s", s, h) == 2);
		soft[i] = strcmp(s, "unlimited") ? strtoull(s, NULL, 10) : PROC_RLIM_INFINITY;
		hard[i] = strcmp(h, "unlimited") ? strtoull(h, NULL, 10) : PROC_RLIM_INFINITY;
		p = strchr(p + 1, '\n');
	}
	proc_format_limits(fresh(), soft, hard);
	CHECK_STREQ(out, text);
}

HOST_TEST(status_sample)
{
	struct proc_status_info st = {
		.name = "a\\b\nc", .umask = 022, .state = 'S', .tgid = 7, .pid = 7, .ppid = 1,
		.pgrp = 7, .session = 1, .uid = { 1000, 1000, 1000, 1000 }, .gid = { 100, 100, 100, 100 },
		.fdsize = 64, .ngroups = 2, .groups = { 100, 27 }, .has_mm = true,
		.vm_kb = { .peak = 3060, .size = 3060, .hwm = 1776, .rss = 1776, .rss_anon = 116,
			   .rss_file = 1660, .data = 360, .stk = 132, .exe = 20, .lib = 1528 },
		.threads = 1, .sigq = 0, .sigq_max = 4096,
		.sig_blk = 1ULL << 1, .sig_ign = 1ULL << 63, .sig_cgt = 1ULL << 16 | 1,
		.cap_bnd = 0x1ffffffffffULL, .cpus_allowed = 3, .nr_cpu_ids = 2,
		.voluntary_ctxt = 5, .nonvoluntary_ctxt = 1,
	};

	proc_format_status(fresh(), &st);
	CHECK_STREQ(out,
		    "Name:\ta\\\\b\\nc\n"
		    "Umask:\t0022\n"
		    "State:\tS (sleeping)\n"
		    "Tgid:\t7\nNgid:\t0\nPid:\t7\nPPid:\t1\nTracerPid:\t0\n"
		    "Uid:\t1000\t1000\t1000\t1000\nGid:\t100\t100\t100\t100\n"
		    "FDSize:\t64\nGroups:\t100 27 \n"
		    "NStgid:\t7\nNSpid:\t7\nNSpgid:\t7\nNSsid:\t1\n"
		    "VmPeak:\t    3060 kB\nVmSize:\t    3060 kB\nVmLck:\t       0 kB\n"
		    "VmPin:\t       0 kB\nVmHWM:\t    1776 kB\nVmRSS:\t    1776 kB\n"
		    "RssAnon:\t     116 kB\nRssFile:\t    1660 kB\nRssShmem:\t       0 kB\n"
		    "VmData:\t     360 kB\nVmStk:\t     132 kB\nVmExe:\t      20 kB\n"
		    "VmLib:\t    1528 kB\nVmPTE:\t       0 kB\nVmSwap:\t       0 kB\n"
		    "HugetlbPages:\t       0 kB\nCoreDumping:\t0\nTHP_enabled:\t0\n"
		    "Threads:\t1\nSigQ:\t0/4096\n"
		    "SigPnd:\t0000000000000000\nShdPnd:\t0000000000000000\n"
		    "SigBlk:\t0000000000000002\nSigIgn:\t8000000000000000\n"
		    "SigCgt:\t0000000000010001\n"
		    "CapInh:\t0000000000000000\nCapPrm:\t0000000000000000\n"
		    "CapEff:\t0000000000000000\nCapBnd:\t000001ffffffffff\n"
		    "CapAmb:\t0000000000000000\n"
		    "NoNewPrivs:\t0\nSpeculation_Store_Bypass:\tunknown\n"
		    "SpeculationIndirectBranch:\tunsupported\n"
		    "Cpus_allowed:\t3\nCpus_allowed_list:\t0-1\n"
		    "voluntary_ctxt_switches:\t5\nnonvoluntary_ctxt_switches:\t1\n");
	/* A zombie: no fs (no Umask), no address space (no Vm lines), no groups. */
	st.umask = -1;
	st.has_mm = false;
	st.ngroups = 0;
	st.state = 'Z';
	proc_format_status(fresh(), &st);
	CHECK(strstr(out, "Umask") == NULL && strstr(out, "VmPeak") == NULL);
	CHECK(strstr(out, "State:\tZ (zombie)\n") != NULL);
	CHECK(strstr(out, "Groups:\t \nNStgid:") != NULL);
}

/* Every label this kernel prints appears in the host's status, in the same order. */
HOST_TEST(status_labels_in_linux_order)
{
	const char *text = host_file("/proc/self/status");
	struct proc_status_info st = { .name = "x", .umask = 022, .state = 'R', .has_mm = true,
				       .nr_cpu_ids = 1, .cpus_allowed = 1 };
	const char *host_at;
	char *line, *save = NULL;
	unsigned int n = 0;

	CHECK(text != NULL);
	if (!text)
		return;
	host_at = text;
	proc_format_status(fresh(), &st);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char label[64];
		const char *tab = strchr(line, '\t');
		const char *found;

		CHECK(tab != NULL && tab[-1] == ':');
		if (!tab)
			continue;
		snprintf(label, sizeof(label), "\n%.*s\t", (int)(tab - line), line);
		found = n == 0 ? (strncmp(text, label + 1, strlen(label + 1)) ? NULL : text)
			       : strstr(host_at, label);
		if (!found)
			fprintf(stderr, "# label %s not found in order\n", label + 1);
		CHECK(found != NULL);
		if (found)
			host_at = found + 1;
		n++;
	}
	CHECK(n >= 45);
}

HOST_TEST(cpu_bitmaps)
{
	proc_format_bitmap(fresh(), 3, 2);
	CHECK_STREQ(out, "3");
	proc_format_bitmap(fresh(), 1, 8);
	CHECK_STREQ(out, "01");
	proc_format_bitmap(fresh(), 0x5, 36);
	CHECK_STREQ(out, "0,00000005");
	proc_format_bitmap(fresh(), 1ULL << 33 | 1, 64);
	CHECK_STREQ(out, "00000002,00000001");
	proc_format_bitmap_list(fresh(), 0xb, 8);
	CHECK_STREQ(out, "0-1,3");
	proc_format_bitmap_list(fresh(), 0, 8);
	CHECK_STREQ(out, "");
	proc_format_bitmap_list(fresh(), 0xf0, 8);
	CHECK_STREQ(out, "4-7");
}

HOST_TEST(fdinfo_layout)
{
	proc_format_fdinfo(fresh(), 12, 0100002, 25, 4026532);
	CHECK_STREQ(out, "pos:\t12\nflags:\t0100002\nmnt_id:\t25\nino:\t4026532\n");
}

HOST_TEST(state_names)
{
	CHECK_STREQ(proc_state_name('R'), "R (running)");
	CHECK_STREQ(proc_state_name('D'), "D (disk sleep)");
	CHECK_STREQ(proc_state_name('T'), "T (stopped)");
	CHECK_STREQ(proc_state_name('Z'), "Z (zombie)");
}
