/*
 * Credentials: who a thread acts as, for permission checks.  A cred is
 * shared by reference and never changed once published; a change makes a
 * new one (cred_prepare, edit, cred_commit).  Processes take this over
 * from threads in the processes issue; until then every thread runs with
 * the credentials of the thread that created it (root at boot).
 */
#ifndef KERNEL_CRED_H
#define KERNEL_CRED_H

#include <kernel/types.h>

#define NGROUPS_MAX	65536		/* Linux's, for setgroups() */
#define CRED_GROUPS	32		/* supplementary groups kept */

struct cred {
	unsigned int refs;		/* atomic */
	uid_t uid, euid, suid, fsuid;
	gid_t gid, egid, sgid, fsgid;
	unsigned int ngroups;
	gid_t groups[CRED_GROUPS];
};

extern struct cred init_cred;		/* root */

const struct cred *current_cred(void);
const struct cred *get_cred(const struct cred *c);
void put_cred(const struct cred *c);
/* A private copy of the caller's credentials to edit, or NULL. */
struct cred *cred_prepare(void);
/* Install c (taking the reference) as the caller's; drops the old one. */
void cred_commit(struct cred *c);
/* Another thread's credentials, referenced (put_cred): init_cred when it has none. */
struct thread;
const struct cred *get_thread_cred(struct thread *t);
bool in_group_p(gid_t gid);		/* fsgid or a supplementary group */
bool capable_fs(void);			/* fsuid 0: passes file permission checks */

#endif
