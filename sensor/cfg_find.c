/*
 * cfg_find.c - the configuration search order (see cfg_find.h).
 *
 * The binary's own directory comes from /proc/self/exe, so a sensor
 * built in build/ finds rules/egress.yaml from any working directory and
 * an installed one never picks up a stray rules/ in the cwd.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg_find.h"

static int
cfg_find_set(char *out, size_t len, const char *path)
{
	return (size_t)snprintf(out, len, "%s", path) < len ? 0 : -1;
}

/* <dir of the running binary>/../rules/egress.yaml (".." resolved,
 * lexically: the binary's path is already free of links), or "" */
static void
cfg_find_source(char *out, size_t len)
{
	char exe[1024];
	ssize_t n;
	char *slash;

	out[0] = '\0';
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return;
	*slash = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return;
	*slash = '\0';		/* the binary's directory's parent */
	if ((size_t)snprintf(out, len, "%s/rules/egress.yaml", exe[0] != '\0' ?
	    exe : "") >= len)
		out[0] = '\0';
}

static void
cfg_find_tried(char *tried, size_t len, const char *path)
{
	size_t used = strlen(tried);

	if (used + 1 < len)
		(void)snprintf(tried + used, len - used, "%s%s",
		    used > 0 ? ", " : "", path);
}

int
cfg_find(const char *opt, char *out, size_t len, char *tried,
    size_t tried_len)
{
	const char *env = getenv(CFG_FIND_ENV);
	char src[1100];

	tried[0] = '\0';
	if (opt != NULL)
		return cfg_find_set(out, len, opt);
	if (env != NULL && env[0] != '\0')
		return cfg_find_set(out, len, env);
	if (access(CFG_FIND_SYSTEM, F_OK) == 0)
		return cfg_find_set(out, len, CFG_FIND_SYSTEM);
	cfg_find_tried(tried, tried_len, "$" CFG_FIND_ENV " (unset)");
	cfg_find_tried(tried, tried_len, CFG_FIND_SYSTEM);
	cfg_find_source(src, sizeof(src));
	if (src[0] != '\0') {
		if (access(src, F_OK) == 0)
			return cfg_find_set(out, len, src);
		cfg_find_tried(tried, tried_len, src);
	}
	return -1;
}
