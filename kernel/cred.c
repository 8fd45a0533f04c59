/*
 * Credentials of threads (processes later): reference counting, the
 * copy-edit-commit cycle, and the questions permission checks ask.
 */
#include <kernel/atomic.h>
#include <kernel/cpu.h>
#include <kernel/cred.h>
#include <kernel/fs.h>
#include <kernel/panic.h>
#include <kernel/slab.h>
#include <string.h>
#include <kernel/thread.h>

struct cred init_cred = { .refs = 1 };	/* root, never freed */

const struct cred *
current_cred(void)
{
	struct thread *t = thread_current();

	return t && t->cred ? t->cred : &init_cred;
}

const struct cred *
get_cred(const struct cred *c)
{
	atomic_fetch_add(&((struct cred *)c)->refs, 1);
	return c;
}

void
put_cred(const struct cred *c)
{
	if (c && atomic_sub_return(&((struct cred *)c)->refs, 1) == 0) {
		if (c == &init_cred)
			panic("cred: the last reference to init_cred dropped");
		kfree((void *)c);
	}
}

struct cred *
cred_prepare(void)
{
	struct cred *c = kmalloc(sizeof(*c));

	if (!c)
		return NULL;
	*c = *current_cred();
	c->refs = 1;
	return c;
}

void
cred_commit(struct cred *c)
{
	struct thread *t = thread_current();
	unsigned long flags = spin_lock_irqsave(&thread_ctx_lock);
	const struct cred *old = t->cred;

	/* /proc/<pid> readers take their reference under the lock. */
	t->cred = c;
	spin_unlock_irqrestore(&thread_ctx_lock, flags);
	put_cred(old);
}

const struct cred *
get_thread_cred(struct thread *t)
{
	unsigned long flags = spin_lock_irqsave(&thread_ctx_lock);
	const struct cred *c = get_cred(t->cred ? t->cred : &init_cred);

	spin_unlock_irqrestore(&thread_ctx_lock, flags);
	return c;
}

bool
in_group_p(gid_t gid)
{
	const struct cred *c = current_cred();

	if (c->fsgid == gid)
		return true;
	for (unsigned int i = 0; i < c->ngroups; i++)
		if (c->groups[i] == gid)
			return true;
	return false;
}

bool
capable_fs(void)
{
	return current_cred()->fsuid == 0;
}
