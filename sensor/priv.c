/*
 * priv.c - privilege drop (see priv.h).  May call fatal: it runs once,
 * before the first packet.
 */
#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include "log.h"
#include "priv.h"

int
priv_check(const char *user)
{
	return getpwnam(user) != NULL ? 0 : -1;
}

int
priv_lookup(const char *user, uid_t *uid, gid_t *gid)
{
	struct passwd *pw;

	if ((pw = getpwnam(user)) == NULL)
		return -1;
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

void
priv_drop(const char *user)
{
	struct passwd *pw;

	if ((pw = getpwnam(user)) == NULL)
		fatalx(2, "priv: unknown user '%s'", user);
	if (setgroups(1, &pw->pw_gid) == -1)
		fatal(1, "priv: setgroups");
	if (setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) == -1)
		fatal(1, "priv: setresgid %u", (unsigned)pw->pw_gid);
	if (setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1)
		fatal(1, "priv: setresuid %u", (unsigned)pw->pw_uid);
	/* Make sure root cannot be regained. */
	if (pw->pw_uid != 0 && (setuid(0) != -1 || seteuid(0) != -1))
		fatalx(1, "priv: could regain root after dropping it");
	log_info("priv: running as %s (uid %u)", user, (unsigned)pw->pw_uid);
}
