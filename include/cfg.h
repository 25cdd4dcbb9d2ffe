/*
 * cfg.h - the typed configuration: networks, lists, limits, outputs, rules.
 *
 * Loaded from one YAML file (rules/egress.yaml by default) through
 * yconf.h.  Strict: unknown keys, wrong types and out-of-range numbers are
 * errors, and every error is reported as "file:line:col: message" (all of
 * them in one pass).  A loaded struct cfg is immutable; a reload builds a
 * new one and the caller swaps it only when the load succeeded.
 */
#ifndef CFG_H
#define CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cfg_incident.h"
#include "cfg_mining.h"
#include "cfg_ssh.h"
#include "cidr.h"
#include "packet.h"

#define CFG_NAME_MAX	64
#define CFG_MAX_NETS	32
#define CFG_MAX_LISTS	32

/* The list names the detectors read themselves (detect.c's registry). */
#define CFG_LIST_SSH_ALLOWED	"ssh_allowed"	/* addresses only */
#define CFG_LIST_MINING_POOLS	"mining_pools"

enum direction {
	DIR_OUTBOUND,	/* internal initiator -> outside responder */
	DIR_INBOUND,	/* outside initiator -> internal responder */
	DIR_INTERNAL,	/* both internal */
	DIR_EXTERNAL,	/* neither internal */
};

struct cfg_net {
	char		 name[CFG_NAME_MAX];
	struct cidr_set	 set;
};

/* A named list: entries that parse as CIDR go to nets, others to names. */
struct cfg_list {
	char		 name[CFG_NAME_MAX];
	struct cidr_set	 nets;
	struct domset	*names;		/* owned; never NULL after load */
};

struct cfg_flow {
	uint32_t	capacity;		/* flows preallocated (cap) */
	uint32_t	tcp_syn_timeout;	/* s: handshake never finished */
	uint32_t	tcp_established_timeout; /* s: idle established */
	uint32_t	tcp_closed_timeout;	/* s: after FIN both ways / RST */
	uint32_t	udp_timeout;		/* s */
	uint32_t	icmp_timeout;		/* s */
	uint32_t	other_timeout;		/* s */
	uint32_t	active_timeout;		/* s: period of update records */
	uint32_t	ndpi_max_packets;	/* packets given to nDPI at most */
	uint32_t	ndpi_states;	/* nDPI flow states; 0: capacity / 8 */
};

struct cfg_redis {
	char		url[256];	/* "" = no Redis unless --redis */
	char		prefix[CFG_NAME_MAX];	/* default "egress" */
	uint32_t	flows_maxlen;	/* XADD MAXLEN ~ for flows */
	uint32_t	alerts_maxlen;
	uint32_t	health_ttl;	/* s */
	uint32_t	health_interval;	/* s between health writes */
	uint32_t	timeout_ms;	/* connect/command timeout */
	uint32_t	stats_maxlen;	/* XADD MAXLEN ~ for stats records */
	char		user[128];	/* ACL user when the URL names none */
	char		password_file[1024];	/* first line = the password */
	char		spool_dir[1024];	/* "" = no spool */
	uint64_t	spool_max_bytes;	/* spool size cap */
	uint32_t	ring_kb;	/* writer ring size, KiB */
	bool		legacy_sensors_set;	/* keep SADD <prefix>:sensors */
};

struct cfg_output {
	char		json[1024];	/* "" none, "-" stdout, else a path */
	struct cfg_redis redis;
	uint32_t	stats_interval;	/* s of packet time between stats records, 0 = end only */
	uint32_t	alert_budget;	/* alerts per second of packet time, 0 = no limit */
};

#define CFG_WORKERS_MAX	64	/* capture threads on one interface */

struct ruleset;

struct cfg {
	char		 path[1024];		/* file it was loaded from */
	char		 sensor_name[CFG_NAME_MAX];
	struct cfg_net	 nets[CFG_MAX_NETS];	/* "internal" always present */
	size_t		 n_nets;
	struct cfg_list	 lists[CFG_MAX_LISTS];
	size_t		 n_lists;
	struct cfg_flow	 flow;
	uint32_t	 workers;		/* live capture threads (fanout) */
	struct cfg_output output;
	struct cfg_ssh	 ssh;			/* reverse-SSH thresholds */
	struct cfg_mining mining;		/* mining detectors */
	struct cfg_incident incident;		/* per-host incidents */
	struct ruleset	*rules;			/* owned */
	bool		 rules_given;		/* `rules:` present, even [] */
	/*
	 * Names the packet path needs, resolved once at load (pointers
	 * into this cfg; NULL when not defined): no name is looked up per
	 * packet or per flow.
	 */
	const struct cidr_set *internal;	/* nets "internal" */
	const struct cfg_list *ssh_allowed;	/* CFG_LIST_SSH_ALLOWED */
	const struct cfg_list *mining_pools;	/* CFG_LIST_MINING_POOLS */
};

/*
 * Loads path into a new cfg.  On failure returns NULL and has written one
 * "file:line:col: message" line per error to stderr through log_warnx.
 * Relative list file paths are resolved against the config's directory.
 */
struct cfg	*cfg_load(const char *path);
/*
 * The same; a file with no YAML content at all (zero bytes, blanks or
 * comments only: an editor's truncate-then-write) is an error unless
 * allow_empty, when it gives the defaults and no rules.  cfg_load()
 * never allows it.
 */
struct cfg	*cfg_load_empty_ok(const char *path, bool allow_empty);
/* The same from a string; name is used in messages. For tests and fuzzing. */
struct cfg	*cfg_load_string(const char *text, size_t len, const char *name);
void		 cfg_free(struct cfg *c);	/* NULL ok */

/*
 * The same two loaders with an explicit error sink (see yconf.h): each
 * error is handed to e->fn (or log_warnx when fn is NULL) and counted in
 * e->count.  e->file is set by the loader.  Used by tests and by callers
 * that want to count or collect the messages.
 */
struct yconf_errs;
struct cfg	*cfg_load_errs(const char *path, struct yconf_errs *e);
struct cfg	*cfg_load_string_errs(const char *text, size_t len,
		    const char *name, struct yconf_errs *e);

/* Defaults only (internal = RFC 1918 + ULA), as if from an empty file. */
struct cfg	*cfg_default(void);

/* Named network or list (its CIDR part); NULL if no such name. */
const struct cidr_set *cfg_net(const struct cfg *c, const char *name);
const struct cfg_list *cfg_list(const struct cfg *c, const char *name);

enum direction	 cfg_direction(const struct cfg *c, const struct ip_addr *src,
		    const struct ip_addr *dst);
const char	*direction_name(enum direction d);	/* "outbound"... */

#endif /* CFG_H */
