/*
 * The texts of the per-process files (no kernel state): Linux 6.1's
 * layouts of /proc/<pid>/stat, status, statm, maps, limits and fdinfo,
 * printed from structures that the collectors (fs/proc/array.c,
 * task_mmu.c, fd.c) fill.  Linux's rules about what a reader without
 * permission sees are applied here, so the host test checks them too
 * (fs/proc/tests/host/pid_format_host_test.c).
 */
#ifndef FS_PROC_PID_FORMAT_H
#define FS_PROC_PID_FORMAT_H

#include <kernel/types.h>

struct seqbuf;

#define PROC_COMM_LEN		16
#define PROC_NGROUPS		32
#define PROC_RLIM_INFINITY	(~0ULL)

/* /proc/<pid>/stat: do_task_stat()'s 52 fields, in Linux's meaning. */
struct proc_stat_info {
	int pid;
	char comm[PROC_COMM_LEN];	/* NUL-terminated; printed as it is */
	char state;			/* 'R', 'S', 'D', 'T', 'Z' */
	int ppid, pgrp, session;
	int tty_nr;			/* new_encode_dev() of the terminal, 0 without */
	int tpgid;			/* its foreground group, -1 without */
	unsigned int flags;		/* PF_* */
	unsigned long minflt, cminflt, majflt, cmajflt;
	uint64_t utime, stime, cutime, cstime;	/* clock ticks (USER_HZ) */
	int priority, nice, num_threads;
	uint64_t starttime;		/* clock ticks after boot */
	unsigned long vsize;		/* bytes */
	unsigned long rss;		/* pages */
	unsigned long rsslim;		/* RLIMIT_RSS's soft limit */
	bool has_mm;			/* a user address space (not a zombie's) */
	bool permitted;			/* the reader may see addresses (ptrace read access) */
	unsigned long start_code, end_code, start_stack;
	uint64_t pending, blocked, ignored, caught;	/* signal sets: bit n-1 is signal n */
	bool sleeping;			/* the wchan field (0/1, permitted readers only) */
	int exit_signal, processor;
	unsigned int rt_priority, policy;
	unsigned long start_data, end_data, start_brk;
	unsigned long arg_start, arg_end, env_start, env_end;
	int exit_code;			/* a zombie's wait status */
};

void proc_format_stat(struct seqbuf *m, const struct proc_stat_info *st);

/* /proc/<pid>/status. */
struct proc_status_info {
	char name[PROC_COMM_LEN];
	int umask;			/* -1: no fs context (not printed) */
	char state;			/* as in stat */
	int tgid, pid, ppid, tracer_pid, pgrp, session;
	unsigned int uid[4], gid[4];	/* real, effective, saved, fs */
	unsigned int fdsize;
	unsigned int ngroups;
	unsigned int groups[PROC_NGROUPS];
	bool has_mm;			/* the Vm* lines */
	struct {
		unsigned long peak, size, lck, pin, hwm, rss, rss_anon, rss_file, rss_shmem;
		unsigned long data, stk, exe, lib, pte, swap;
	} vm_kb;
	int threads;
	unsigned long sigq, sigq_max;
	uint64_t sig_pnd, shd_pnd, sig_blk, sig_ign, sig_cgt;
	uint64_t cap_inh, cap_prm, cap_eff, cap_bnd, cap_amb;
	uint64_t cpus_allowed;		/* bit n: CPU n */
	unsigned int nr_cpu_ids;	/* bits of the mask Linux prints */
	unsigned long voluntary_ctxt, nonvoluntary_ctxt;
};

void proc_format_status(struct seqbuf *m, const struct proc_status_info *st);

/* /proc/<pid>/statm: pages; has_mm false prints seven zeros. */
struct proc_statm_info {
	bool has_mm;
	unsigned long size, resident, shared, text, data;
};

void proc_format_statm(struct seqbuf *m, const struct proc_statm_info *st);

/* One line of /proc/<pid>/maps (show_map_vma()). */
struct proc_maps_line {
	unsigned long start, end;
	bool read, write, exec, shared;
	unsigned long long pgoff;	/* bytes into the file */
	unsigned int dev_major, dev_minor;
	unsigned long ino;
	const char *name;		/* a path (newlines escaped), "[heap]", "[stack]", or NULL */
	bool name_is_path;
};

/* ptr_size: the kernel's pointer size, which sets the name column (73 or 49). */
void proc_format_maps_line(struct seqbuf *m, const struct proc_maps_line *l,
			   unsigned int ptr_size);

/* /proc/<pid>/limits: soft and hard limits of RLIMIT_CPU .. RLIMIT_RTTIME. */
#define PROC_NLIMITS	16
void proc_format_limits(struct seqbuf *m, const uint64_t soft[PROC_NLIMITS],
			const uint64_t hard[PROC_NLIMITS]);

/* /proc/<pid>/fdinfo/<fd>. */
void proc_format_fdinfo(struct seqbuf *m, long long pos, unsigned int flags, int mnt_id,
			unsigned long ino);

/* A bitmap of nbits bits as Linux's "%*pb" (32-bit hex groups, commas) and "%*pbl". */
void proc_format_bitmap(struct seqbuf *m, uint64_t bits, unsigned int nbits);
void proc_format_bitmap_list(struct seqbuf *m, uint64_t bits, unsigned int nbits);

/* The "State:" line's text for a state letter ("S (sleeping)"). */
const char *proc_state_name(char state);

#endif
