/*
 * cfg.c - the typed configuration loaded from one YAML file (see cfg.h).
 *
 * The YAML is read into a yconf tree, then each top-level section is
 * checked and copied into a freshly allocated struct cfg: sensor name,
 * named networks, named lists (inline or from domain-list files resolved
 * against the config's directory), flow-table limits and outputs.  Last
 * the `rules:` sequence is handed to rules.c, which resolves names
 * against the networks and lists just built.  Every problem is reported
 * as "file:line:col: message" and parsing continues, so one run shows all
 * of them; the result is returned only when there were none.  This file
 * owns the cfg it returns and never touches a live one: a reload is a new
 * load followed by a pointer swap done by the caller.
 */
#include <sys/stat.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "cfg_include.h"
#include "domset.h"
#include "log.h"
#include "rules.h"
#include "yconf.h"


struct cfg_ctx {
	struct cfg		*c;
	struct yconf_errs	*e;
	char			 dir[1024];	/* config's directory, "" = cwd */
};

#define FLOW_U32(m, lo, hi)	YCONF_U32(struct cfg_flow, m, lo, hi)
#define REDIS_U32(m, lo, hi)	YCONF_U32(struct cfg_redis, m, lo, hi)

static const struct yconf_u32_field cfg_flow_fields[] = {
	FLOW_U32(capacity, 16, 1u << 26),
	FLOW_U32(tcp_syn_timeout, 1, 86400),
	FLOW_U32(tcp_established_timeout, 1, 86400),
	FLOW_U32(tcp_closed_timeout, 1, 86400),
	FLOW_U32(udp_timeout, 1, 86400),
	FLOW_U32(icmp_timeout, 1, 86400),
	FLOW_U32(other_timeout, 1, 86400),
	FLOW_U32(active_timeout, 0, 86400),
	FLOW_U32(ndpi_max_packets, 1, 1000),
	FLOW_U32(ndpi_states, 0, 1u << 26),
	{ NULL, 0, 0, 0 }
};

static const struct yconf_u32_field cfg_redis_fields[] = {
	REDIS_U32(flows_maxlen, 1, 1000000000),
	REDIS_U32(alerts_maxlen, 1, 1000000000),
	REDIS_U32(health_ttl, 1, 86400),
	REDIS_U32(health_interval, 1, 86400),
	REDIS_U32(timeout_ms, 1, 60000),
	REDIS_U32(stats_maxlen, 1, 1000000000),
	REDIS_U32(ring_kb, 64, 4u << 20),
	{ NULL, 0, 0, 0 }
};

static const char *const cfg_default_internal[] = {
	"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7", NULL
};

static void
cfg_defaults(struct cfg *c)
{
	snprintf(c->sensor_name, sizeof(c->sensor_name), "egress-sensor");
	c->flow.capacity = 131072;
	c->workers = 1;
	c->flow.tcp_syn_timeout = 30;
	c->flow.tcp_established_timeout = 600;
	c->flow.tcp_closed_timeout = 10;
	c->flow.udp_timeout = 60;
	c->flow.icmp_timeout = 30;
	c->flow.other_timeout = 60;
	c->flow.active_timeout = 300;
	c->flow.ndpi_max_packets = 32;
	c->output.alert_budget = 100;
	snprintf(c->output.redis.prefix, sizeof(c->output.redis.prefix),
	    "egress");
	c->output.redis.flows_maxlen = 100000;
	c->output.redis.alerts_maxlen = 100000;
	c->output.redis.health_ttl = 30;
	c->output.redis.health_interval = 5;
	c->output.redis.timeout_ms = 200;
	c->output.redis.stats_maxlen = 10000;
	c->output.redis.spool_max_bytes = 256ULL << 20;
	c->output.redis.ring_kb = 16384;
	c->output.redis.legacy_sensors_set = true;
	cfg_ssh_defaults(&c->ssh);
	cfg_mining_defaults(&c->mining);
	cfg_incident_defaults(&c->incident);
}

/* Names of networks, lists, sensors: [A-Za-z0-9_.-], 1..63 bytes. */
static bool
cfg_name_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n >= CFG_NAME_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
		    s[i] == '-' || s[i] == '.'))
			return false;
	return true;
}

static void
cfg_sensor(struct cfg_ctx *x, const struct yconf_node *n)
{
	static const char *const keys[] = { "name", NULL };
	const struct yconf_node *v;
	char name[CFG_NAME_MAX];

	if (n == NULL || yconf_is_null(n) ||
	    (yconf_check_keys(x->e, n, keys, "sensor") == -1 &&
	    n->type != YCONF_MAP))
		return;
	if ((v = yconf_get(n, "name")) == NULL ||
	    yconf_str(x->e, v, name, sizeof(name)) == -1)
		return;
	if (!cfg_name_ok(name)) {
		yconf_error(x->e, v, "sensor.name '%s': use 1-63 of "
		    "[A-Za-z0-9_.-]", name);
		return;
	}
	snprintf(x->c->sensor_name, sizeof(x->c->sensor_name), "%s", name);
}

static bool
cfg_name_taken(const struct cfg *c, const char *name)
{
	return cfg_net(c, name) != NULL;
}

/* Checks a network or list name at its key; true when usable. */
static bool
cfg_new_name(struct cfg_ctx *x, const struct yconf_node *v, const char *what,
    size_t n, size_t max)
{
	if (!cfg_name_ok(v->key)) {
		yconf_error_key(x->e, v, "%s '%s': names use 1-63 of "
		    "[A-Za-z0-9_.-]", what, v->key);
		return false;
	}
	if (cfg_name_taken(x->c, v->key)) {
		yconf_error_key(x->e, v, "%s '%s': name already used by a "
		    "network or list", what, v->key);
		return false;
	}
	if (n >= max) {
		yconf_error_key(x->e, v, "%s '%s': more than %zu %ss", what,
		    v->key, max, what);
		return false;
	}
	return true;
}

/*
 * A network written other than canonically (host bits set, as in
 * 10.1.2.3/8, or a prefix with a leading zero, as in 10.0.0.0/08) is
 * accepted as the network it denotes, with a warning naming it.
 */
static void
cfg_cidr_canonical(struct cfg_ctx *x, const struct yconf_node *item,
    const struct cidr *ci)
{
	const char *slash = strchr(item->str, '/');
	char addr[64], net[64];
	struct ip_addr a;
	size_t n;

	if (slash == NULL || (n = (size_t)(slash - item->str)) >= sizeof(addr))
		return;
	memcpy(addr, item->str, n);
	addr[n] = '\0';
	if (ip_addr_parse(addr, &a) == -1)
		return;
	if (memcmp(a.b, ci->net.b, sizeof(a.b)) == 0 &&
	    !(slash[1] == '0' && slash[2] != '\0'))
		return;
	log_warnx("%s:%u:%u: warning: '%s' is not canonical: read as %s/%u",
	    x->e->file != NULL ? x->e->file : "config", item->line, item->col,
	    item->str, ip_addr_format(&ci->net, net, sizeof(net)),
	    ip_addr_is_v4(&ci->net) ? ci->prefix - 96 : ci->prefix);
}

/* Adds one CIDR scalar to set; reports and returns -1 when it is not. */
static int
cfg_cidr(struct cfg_ctx *x, const struct yconf_node *item,
    struct cidr_set *set, bool quiet)
{
	struct cidr ci;

	if (item->type != YCONF_SCALAR || cidr_parse(item->str, &ci) == -1) {
		if (!quiet)
			yconf_error(x->e, item, "'%s': not an address or "
			    "network", item->type == YCONF_SCALAR ?
			    item->str : "...");
		return -1;
	}
	if (cidr_set_add(set, &ci) == -1) {
		yconf_error(x->e, item, "out of memory");
		return -1;
	}
	cfg_cidr_canonical(x, item, &ci);
	return 0;
}

static void
cfg_networks(struct cfg_ctx *x, const struct yconf_node *n)
{
	const struct yconf_node *v, *item;
	struct cfg_net *net;

	if (n == NULL || yconf_is_null(n))
		return;
	if (n->type != YCONF_MAP) {
		yconf_error(x->e, n, "networks: expected a map of name: "
		    "[cidr, ...]");
		return;
	}
	for (v = n->child; v != NULL; v = v->next) {
		if (!cfg_new_name(x, v, "network", x->c->n_nets, CFG_MAX_NETS))
			continue;
		net = &x->c->nets[x->c->n_nets++];
		snprintf(net->name, sizeof(net->name), "%s", v->key);
		cidr_set_init(&net->set);
		if (v->type == YCONF_SCALAR && !yconf_is_null(v))
			(void)cfg_cidr(x, v, &net->set, false);
		else if (v->type == YCONF_SEQ)
			for (item = v->child; item != NULL; item = item->next)
				(void)cfg_cidr(x, item, &net->set, false);
		else if (v->type == YCONF_MAP)
			yconf_error(x->e, v, "network '%s': expected a list "
			    "of networks", v->key);
	}
}

/* v's path relative to the file that names it.  0 or -1 (too long). */
static int
cfg_list_path(const struct cfg_ctx *x, const struct yconf_node *v,
    char *path, size_t len)
{
	int n;

	if (v->file != NULL && v->str[0] != '/' && strrchr(v->file, '/'))
		/* from an included file: relative to that file */
		n = snprintf(path, len, "%.*s/%s",
		    (int)(strrchr(v->file, '/') - v->file), v->file, v->str);
	else if (v->str[0] == '/' || x->dir[0] == '\0')
		n = snprintf(path, len, "%s", v->str);
	else
		n = snprintf(path, len, "%s/%s", x->dir, v->str);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* An inline entry that names an existing file (a list file meant). */
static bool
cfg_list_is_file(const struct cfg_ctx *x, const struct yconf_node *v)
{
	char path[2048];
	struct stat st;

	return cfg_list_path(x, v, path, sizeof(path)) == 0 &&
	    stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static void
cfg_list_inline(struct cfg_ctx *x, const struct yconf_node *seq,
    struct cfg_list *l)
{
	const struct yconf_node *item;

	for (item = seq->child; item != NULL; item = item->next) {
		if (item->type != YCONF_SCALAR) {
			yconf_error(x->e, item, "list '%s': entries must be "
			    "scalars", l->name);
			continue;
		}
		if (cfg_cidr(x, item, &l->nets, true) == 0)
			continue;
		if (strchr(item->str, '/') != NULL)
			yconf_error(x->e, item, "list '%s': '%s' looks like a "
			    "file path, not a name; files go in {files: [...], "
			    "entries: [...]}", l->name, item->str);
		else if (cfg_list_is_file(x, item))
			yconf_error(x->e, item, "list '%s': '%s' is a file next "
			    "to the config, not a name; files go in {files: "
			    "[...], entries: [...]}", l->name, item->str);
		else if (strcmp(l->name, CFG_LIST_SSH_ALLOWED) == 0)
			yconf_error(x->e, item, "list '%s': '%s': only "
			    "addresses and networks (SSH carries no host name "
			    "to match)", l->name, item->str);
		else if (domset_add(l->names, item->str, item->len) == -1)
			yconf_error(x->e, item, "list '%s': '%s' is neither "
			    "a network nor a name", l->name, item->str);
	}
}

static void
cfg_list_file(struct cfg_ctx *x, const struct yconf_node *v,
    struct cfg_list *l)
{
	char path[2048], err[1024];

	if (v->len == 0) {
		yconf_error(x->e, v, "list '%s': empty file name", l->name);
		return;
	}
	if (cfg_list_path(x, v, path, sizeof(path)) == -1) {
		yconf_error(x->e, v, "list '%s': path too long", l->name);
		return;
	}
	if (domset_load_file(l->names, path, err, sizeof(err)) == -1)
		yconf_error(x->e, v, "list '%s': %s", l->name, err);
	else if (strcmp(l->name, CFG_LIST_SSH_ALLOWED) == 0 &&
	    domset_count(l->names) > 0)
		yconf_error(x->e, v, "list '%s': %s holds host names; only "
		    "addresses and networks can be matched (SSH carries no "
		    "host name)", l->name, path);
}

/* {files: FILE | [FILE, ...], entries: [entry, ...]} */
static void
cfg_list_map(struct cfg_ctx *x, const struct yconf_node *v,
    struct cfg_list *l)
{
	static const char *const keys[] = { "files", "entries", NULL };
	const struct yconf_node *f, *i;

	if (yconf_check_keys(x->e, v, keys, "list") == -1 ||
	    v->n_children == 0) {
		if (v->n_children == 0)
			yconf_error(x->e, v, "list '%s': give files:, entries: "
			    "or both", l->name);
		return;
	}
	if ((f = yconf_get(v, "files")) != NULL) {
		if (f->type == YCONF_SCALAR && !yconf_is_null(f))
			cfg_list_file(x, f, l);
		else if (f->type == YCONF_SEQ)
			for (i = f->child; i != NULL; i = i->next)
				if (i->type == YCONF_SCALAR)
					cfg_list_file(x, i, l);
				else
					yconf_error(x->e, i, "list '%s': files: "
					    "expected file names", l->name);
		else
			yconf_error(x->e, f, "list '%s': files: expected a "
			    "file name or a list of them", l->name);
	}
	if ((f = yconf_get(v, "entries")) != NULL) {
		if (f->type == YCONF_SEQ)
			cfg_list_inline(x, f, l);
		else if (!yconf_is_null(f))
			yconf_error(x->e, f, "list '%s': entries: expected a "
			    "list", l->name);
	}
}

static void
cfg_lists(struct cfg_ctx *x, const struct yconf_node *n)
{
	const struct yconf_node *v;
	struct cfg_list *l;

	if (n == NULL || yconf_is_null(n))
		return;
	if (n->type != YCONF_MAP) {
		yconf_error(x->e, n, "lists: expected a map of name: [entry, "
		    "...] or name: file");
		return;
	}
	for (v = n->child; v != NULL; v = v->next) {
		if (!cfg_new_name(x, v, "list", x->c->n_lists, CFG_MAX_LISTS))
			continue;
		l = &x->c->lists[x->c->n_lists];
		snprintf(l->name, sizeof(l->name), "%s", v->key);
		cidr_set_init(&l->nets);
		if ((l->names = domset_new()) == NULL) {
			yconf_error_key(x->e, v, "out of memory");
			return;
		}
		x->c->n_lists++;
		if (v->type == YCONF_SEQ)
			cfg_list_inline(x, v, l);
		else if (v->type == YCONF_SCALAR && !yconf_is_null(v))
			cfg_list_file(x, v, l);
		else if (v->type == YCONF_MAP)
			cfg_list_map(x, v, l);
	}
}

static void
cfg_flow(struct cfg_ctx *x, const struct yconf_node *n)
{
	static const char *const keys[] = { "capacity", "tcp_syn_timeout",
	    "tcp_established_timeout", "tcp_closed_timeout", "udp_timeout",
	    "icmp_timeout", "other_timeout", "active_timeout",
	    "ndpi_max_packets", "ndpi_states", NULL };

	if (n == NULL || yconf_is_null(n))
		return;
	if (yconf_check_keys(x->e, n, keys, "flow") == -1 &&
	    n->type != YCONF_MAP)
		return;
	yconf_u32_fields(x->e, n, cfg_flow_fields, &x->c->flow);
}

/* output.redis.spool: {dir, max_bytes}. */
static void
cfg_spool(struct cfg_ctx *x, const struct yconf_node *n)
{
	static const char *const keys[] = { "dir", "max_bytes", NULL };
	struct cfg_redis *r = &x->c->output.redis;
	const struct yconf_node *v;

	if (n == NULL || yconf_is_null(n) ||
	    (yconf_check_keys(x->e, n, keys, "output.redis.spool") == -1 &&
	    n->type != YCONF_MAP))
		return;
	if ((v = yconf_get(n, "dir")) != NULL)
		(void)yconf_str(x->e, v, r->spool_dir, sizeof(r->spool_dir));
	if ((v = yconf_get(n, "max_bytes")) != NULL)
		(void)yconf_u64(x->e, v, 1ULL << 20, 1ULL << 42,
		    &r->spool_max_bytes);
}

static void
cfg_redis_strings(struct cfg_ctx *x, const struct yconf_node *n)
{
	struct cfg_redis *r = &x->c->output.redis;
	const struct yconf_node *v;
	char b[8];

	if ((v = yconf_get(n, "url")) != NULL)
		(void)yconf_str(x->e, v, r->url, sizeof(r->url));
	if ((v = yconf_get(n, "user")) != NULL)
		(void)yconf_str(x->e, v, r->user, sizeof(r->user));
	if ((v = yconf_get(n, "password_file")) != NULL)
		(void)yconf_str(x->e, v, r->password_file,
		    sizeof(r->password_file));
	if ((v = yconf_get(n, "legacy_sensors_set")) != NULL &&
	    yconf_str(x->e, v, b, sizeof(b)) == 0) {
		if (strcmp(b, "true") == 0 || strcmp(b, "false") == 0)
			r->legacy_sensors_set = b[0] == 't';
		else
			yconf_error(x->e, v, "output.redis.legacy_sensors_set:"
			    " want true or false");
	}
	cfg_spool(x, yconf_get(n, "spool"));
}

static void
cfg_redis(struct cfg_ctx *x, const struct yconf_node *n)
{
	static const char *const keys[] = { "url", "prefix", "flows_maxlen",
	    "alerts_maxlen", "health_ttl", "health_interval", "timeout_ms",
	    "stats_maxlen", "user", "password_file", "spool", "ring_kb",
	    "legacy_sensors_set", NULL };
	struct cfg_redis *r = &x->c->output.redis;
	const struct yconf_node *v;
	char prefix[CFG_NAME_MAX];

	if (n == NULL || yconf_is_null(n) ||
	    (yconf_check_keys(x->e, n, keys, "output.redis") == -1 &&
	    n->type != YCONF_MAP))
		return;
	cfg_redis_strings(x, n);
	if ((v = yconf_get(n, "prefix")) != NULL &&
	    yconf_str(x->e, v, prefix, sizeof(prefix)) == 0) {
		if (!cfg_name_ok(prefix))
			yconf_error(x->e, v, "output.redis.prefix '%s': use "
			    "1-63 of [A-Za-z0-9_.-]", prefix);
		else
			snprintf(r->prefix, sizeof(r->prefix), "%s", prefix);
	}
	yconf_u32_fields(x->e, n, cfg_redis_fields, r);
}

static void
cfg_output(struct cfg_ctx *x, const struct yconf_node *n)
{
	static const char *const keys[] = { "json", "stats_interval",
	    "alert_budget", "redis", NULL };
	const struct yconf_node *v;

	if (n == NULL || yconf_is_null(n))
		return;
	if (yconf_check_keys(x->e, n, keys, "output") == -1 &&
	    n->type != YCONF_MAP)
		return;
	if ((v = yconf_get(n, "json")) != NULL)
		(void)yconf_str(x->e, v, x->c->output.json,
		    sizeof(x->c->output.json));
	if ((v = yconf_get(n, "stats_interval")) != NULL)
		(void)yconf_u32(x->e, v, 0, 86400,
		    &x->c->output.stats_interval);
	if ((v = yconf_get(n, "alert_budget")) != NULL)
		(void)yconf_u32(x->e, v, 0, 1000000,
		    &x->c->output.alert_budget);
	if ((v = yconf_get(n, "redis")) != NULL)
		cfg_redis(x, v);
}

/* Adds "internal" with RFC 1918 + ULA unless the file defined it. */
static int
cfg_internal_default(struct cfg *c)
{
	struct cfg_net *net;
	struct cidr ci;
	size_t i;

	if (cfg_net(c, "internal") != NULL)
		return 0;
	if (c->n_nets >= CFG_MAX_NETS)
		return -1;
	net = &c->nets[c->n_nets++];
	snprintf(net->name, sizeof(net->name), "internal");
	cidr_set_init(&net->set);
	for (i = 0; cfg_default_internal[i] != NULL; i++)
		if (cidr_parse(cfg_default_internal[i], &ci) == -1 ||
		    cidr_set_add(&net->set, &ci) == -1)
			return -1;
	return 0;
}

static void
cfg_set_dir(struct cfg_ctx *x, const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t n;

	x->dir[0] = '\0';
	if (slash == NULL)
		return;
	n = (size_t)(slash - path);
	if (n == 0)
		n = 1;		/* "/x.yaml": the root directory */
	if (n >= sizeof(x->dir))
		n = sizeof(x->dir) - 1;
	memcpy(x->dir, path, n);
	x->dir[n] = '\0';
}

static struct cfg *
cfg_build(const struct yconf_node *root, const char *path,
    struct yconf_errs *e)
{
	static const char *const keys[] = { "sensor", "networks", "lists",
	    "flow", "output", "ssh", "mining", "incident", "rules", "include",
	    "workers", NULL };
	const struct yconf_node *v;
	struct cfg_ctx x;
	unsigned before = e->count;

	memset(&x, 0, sizeof(x));
	x.e = e;
	if ((x.c = calloc(1, sizeof(*x.c))) == NULL) {
		yconf_error_at(e, 1, 1, "out of memory");
		return NULL;
	}
	cfg_defaults(x.c);
	snprintf(x.c->path, sizeof(x.c->path), "%s", path);
	cfg_set_dir(&x, path);
	if (yconf_check_keys(e, root, keys, "config") == -1 &&
	    root->type != YCONF_MAP)
		goto fail;
	cfg_sensor(&x, yconf_get(root, "sensor"));
	cfg_networks(&x, yconf_get(root, "networks"));
	cfg_lists(&x, yconf_get(root, "lists"));
	cfg_flow(&x, yconf_get(root, "flow"));
	if ((v = yconf_get(root, "workers")) != NULL && !yconf_is_null(v))
		(void)yconf_u32(e, v, 1, CFG_WORKERS_MAX, &x.c->workers);
	cfg_output(&x, yconf_get(root, "output"));
	cfg_ssh_parse(e, yconf_get(root, "ssh"), &x.c->ssh);
	cfg_mining_parse(e, yconf_get(root, "mining"), &x.c->mining);
	cfg_incident_parse(e, yconf_get(root, "incident"), &x.c->incident);
	if (cfg_internal_default(x.c) == -1) {
		yconf_error_at(e, 1, 1, "networks: no room for 'internal'");
		goto fail;
	}
	x.c->internal = cfg_net(x.c, "internal");
	x.c->ssh_allowed = cfg_list(x.c, CFG_LIST_SSH_ALLOWED);
	x.c->mining_pools = cfg_list(x.c, CFG_LIST_MINING_POOLS);
	x.c->rules_given = yconf_get(root, "rules") != NULL &&
	    !yconf_is_null(yconf_get(root, "rules"));
	x.c->rules = rules_build_errs(yconf_get(root, "rules"), x.c, e);
	if (x.c->rules == NULL || e->count != before)
		goto fail;
	return x.c;
fail:
	cfg_free(x.c);
	return NULL;
}

struct cfg *
cfg_load_string_errs(const char *text, size_t len, const char *name,
    struct yconf_errs *e)
{
	struct cfg_include inc = { .n = 0 };
	struct yconf_node *root;
	struct cfg *c = NULL;

	e->file = name;
	if ((root = yconf_load_string(text, len, e)) != NULL &&
	    (root = cfg_include_expand(root, name, e, &inc)) != NULL)
		c = cfg_build(root, name, e);
	yconf_free(root);
	cfg_include_fini(&inc);
	return c;
}

static struct cfg *
cfg_load_file(const char *path, struct yconf_errs *e, bool allow_empty)
{
	struct cfg_include inc = { .n = 0 };
	struct yconf_node *root;
	struct cfg *c = NULL;

	e->file = path;
	if ((root = cfg_include_load(path, e, &inc)) != NULL) {
		/* An empty document is the only node without a position. */
		if (!allow_empty && root->line == 0)
			yconf_error_at(e, 1, 1, "no settings and no rules "
			    "(empty or only comments): refusing an empty "
			    "policy (--allow-empty-config accepts it at start)");
		else
			c = cfg_build(root, path, e);
	}
	yconf_free(root);
	cfg_include_fini(&inc);
	return c;
}

struct cfg *
cfg_load_errs(const char *path, struct yconf_errs *e)
{
	return cfg_load_file(path, e, false);
}

struct cfg *
cfg_load_empty_ok(const char *path, bool allow_empty)
{
	struct yconf_errs e = { 0 };

	return cfg_load_file(path, &e, allow_empty);
}

struct cfg *
cfg_load(const char *path)
{
	return cfg_load_empty_ok(path, false);
}

struct cfg *
cfg_load_string(const char *text, size_t len, const char *name)
{
	struct yconf_errs e = { 0 };

	return cfg_load_string_errs(text, len, name, &e);
}

struct cfg *
cfg_default(void)
{
	return cfg_load_string("", 0, "<defaults>");
}

void
cfg_free(struct cfg *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n_nets; i++)
		cidr_set_fini(&c->nets[i].set);
	for (i = 0; i < c->n_lists; i++) {
		cidr_set_fini(&c->lists[i].nets);
		domset_free(c->lists[i].names);
	}
	rules_free(c->rules);
	free(c);
}

const struct cidr_set *
cfg_net(const struct cfg *c, const char *name)
{
	const struct cfg_list *l;
	size_t i;

	for (i = 0; i < c->n_nets; i++)
		if (strcmp(c->nets[i].name, name) == 0)
			return &c->nets[i].set;
	if ((l = cfg_list(c, name)) != NULL)
		return &l->nets;
	return NULL;
}

const struct cfg_list *
cfg_list(const struct cfg *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n_lists; i++)
		if (strcmp(c->lists[i].name, name) == 0)
			return &c->lists[i];
	return NULL;
}

enum direction
cfg_direction(const struct cfg *c, const struct ip_addr *src,
    const struct ip_addr *dst)
{
	const struct cidr_set *in = c->internal;	/* resolved at load */
	bool s = cidr_set_contains(in, src), d = cidr_set_contains(in, dst);

	if (s && !d)
		return DIR_OUTBOUND;
	if (!s && d)
		return DIR_INBOUND;
	return s ? DIR_INTERNAL : DIR_EXTERNAL;
}

const char *
direction_name(enum direction d)
{
	switch (d) {
	case DIR_OUTBOUND:
		return "outbound";
	case DIR_INBOUND:
		return "inbound";
	case DIR_INTERNAL:
		return "internal";
	case DIR_EXTERNAL:
		return "external";
	}
	return "unknown";
}
