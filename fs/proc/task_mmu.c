/*
 * Address spaces as /proc shows them (Linux's fs/proc/task_mmu.c): the
 * maps file, one line per VMA with the file it maps named by its path,
 * [heap] and [stack]; and the counts behind status and statm, classified
 * as Linux's vm_stat_account() does (exec, stack or data memory) and
 * resident pages split into file, shmem and anonymous ones by what each
 * page is (a private copy of a file's page is anonymous).
 */
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/mm.h>
#include <kernel/mman.h>
#include <kernel/pagecache.h>
#include <kernel/radix.h>
#include <kernel/seqbuf.h>
#include <kernel/shmem.h>
#include <kernel/slab.h>
#include <kernel/stat.h>
#include <string.h>

#include "pid.h"
#include "pid_format.h"

/*
 * The pages of [v->start, v->end) in memory (mm->lock held), as Linux
 * counts them: a file's page-cache pages as file pages, those of the
 * kernel's tmpfs (shared anonymous memory, memfd) as shmem, anything
 * else (private copies too) as anonymous; the kernel's special pages as
 * the vDSO's (file pages).
 */
static void
present_pages(struct mm *mm, const struct vma *v, struct mm_counts *c)
{
	uint64_t idx = v->start >> PAGE_SHIFT, last = (v->end >> PAGE_SHIFT) - 1;
	struct page *p;

	while ((p = radix_next(&mm->pages, idx, &idx)) != NULL && idx <= last) {
		if (v->special)
			c->rss_file++;
		else if (!p->mapping)
			c->rss_anon++;
		else if (shmem_sb(p->mapping->host->sb))
			c->rss_shmem++;
		else
			c->rss_file++;
		idx++;
	}
}

/* Widen the image bounds by an area of the program's file. */
static void
image_area(struct mm_counts *c, const struct vma *v)
{
	vaddr_t file_end = v->file_end < v->end ? v->file_end : v->end;

	if (!c->start_code || v->start < c->start_code)
		c->start_code = v->start;
	if ((v->prot & PROT_EXEC) && file_end > c->end_code)
		c->end_code = file_end;
	if (v->start > c->start_data)
		c->start_data = v->start;
	if (file_end > c->end_data)
		c->end_data = file_end;
}

void
mm_counts(struct mm *mm, const struct inode *exe, struct mm_counts *c)
{
	struct vma *v;
	unsigned long text;

	memset(c, 0, sizeof(*c));
	mutex_lock(&mm->lock);
	c->total_vm = mm->total_vm;
	c->rss = mm->nr_pages;
	c->locked_vm = mm_locked_pages(mm);
	list_for_each_entry(v, &mm->vmas, node) {
		unsigned long pages = (v->end - v->start) >> PAGE_SHIFT;
		bool stack = v->flags & (VMA_STACK | VMA_GROWSDOWN);

		if (exe && v->file && v->file->inode == exe)
			image_area(c, v);
		present_pages(mm, v, c);
		if ((v->prot & (PROT_EXEC | PROT_WRITE)) == PROT_EXEC && !stack)
			c->exec_vm += pages;
		else if (stack)
			c->stack_vm += pages;
		else if ((v->prot & PROT_WRITE) && !(v->flags & VMA_SHARED))
			c->data_vm += pages;
	}
	/* Executable memory splits into the program's text and the rest (VmLib). */
	text = ((c->end_code + PAGE_SIZE - 1) & PAGE_MASK) - (c->start_code & PAGE_MASK);
	if (c->end_code <= c->start_code)
		text = 0;
	if (text > c->exec_vm * PAGE_SIZE)
		text = c->exec_vm * PAGE_SIZE;
	c->text_bytes = text;
	c->lib_bytes = c->exec_vm * PAGE_SIZE - text;
	mutex_unlock(&mm->lock);
}

/* The name of an area without a file: Linux's heap and stack rules. */
static const char *
anon_name(const struct mm *mm, const struct vma *v)
{
	if (v->special)
		return v->special->name;	/* [vdso], [vvar], [sigpage] as 32-bit Arm's */
	if ((v->flags & VMA_HEAP) || (v->start <= mm->brk && v->end >= mm->brk_start))
		return "[heap]";
	if (v->flags & VMA_STACK)
		return "[stack]";
	return NULL;
}

int
proc_pid_maps(struct seqbuf *m, struct process *p, const struct pid_node *n)
{
	struct task_snap s;
	struct vma *v;
	char *path;

	task_snapshot(p, NULL, &s, SNAP_MM);
	if (!s.mm) {
		task_snapshot_put(&s);
		return 0;
	}
	path = kmalloc(PATH_MAX);
	if (!path) {
		task_snapshot_put(&s);
		return -ENOMEM;
	}
	mutex_lock(&s.mm->lock);
	list_for_each_entry(v, &s.mm->vmas, node) {
		struct proc_maps_line l = {
			.start = v->start,
			.end = v->end,
			.read = v->prot & PROT_READ,
			.write = v->prot & PROT_WRITE,
			.exec = v->prot & PROT_EXEC,
			.shared = v->flags & VMA_SHARED,
		};

		if (v->file) {
			struct inode *inode = v->file->inode;

			l.pgoff = (unsigned long long)v->off;
			l.dev_major = MAJOR(inode->sb->dev);
			l.dev_minor = MINOR(inode->sb->dev);
			l.ino = (unsigned long)inode->ino;
			if (proc_path_text(&v->file->path, path, PATH_MAX) > 0) {
				l.name = path;
				l.name_is_path = true;
			}
		} else {
			l.name = anon_name(s.mm, v);
		}
		proc_format_maps_line(m, &l, sizeof(void *));
		if (m->overflow)
			break;		/* proc_generate retries with a larger buffer */
	}
	mutex_unlock(&s.mm->lock);
	kfree(path);
	task_snapshot_put(&s);
	return 0;
}
