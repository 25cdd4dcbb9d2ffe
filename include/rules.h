/*
 * rules.h - operator policy: which verdicts and flows become alerts.
 *
 * A ruleset is parsed from the `rules:` sequence of the config (see
 * rules/README.md), checked against the config's networks and lists, and
 * is read-only afterwards.  Evaluation takes a flat struct rule_subject
 * built by the sensor, so this module knows nothing of flows or nDPI.
 * Suppression state (dedup per window, packet time) lives in a separate
 * struct rules_suppress owned by the sensor, so it survives a reload.
 */
#ifndef RULES_H
#define RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cfg.h"
#include "packet.h"

struct yconf_node;

/*
 * What a rule is evaluated against (all pointers borrowed for the call).
 * The fields rules_wants() does not ask for may be left NULL.
 */
struct rule_subject {
	int			 detector;	/* enum detector; -1: a flow record or an incident */
	double			 confidence;	/* verdict confidence 0..1 */
	const struct ip_addr	*src;		/* initiator */
	const struct ip_addr	*dst;
	uint16_t		 src_port;
	uint16_t		 dest_port;
	uint8_t			 l4_proto;
	const char		*app_proto;	/* "ssh", "tls"..., "" unknown */
	enum direction		 direction;
	uint64_t		 duration_us;
	uint64_t		 bytes_out;	/* initiator -> responder */
	uint64_t		 bytes_in;
	const char		*sni;		/* NULL when none */
	const char		*hassh_client;	/* NULL when none */
	const char		*hassh_server;
	char			 hassh_text[2][33]; /* what the two point into */
	const char		*dns_name;	/* NULL when none */
	bool			 incident;	/* an incident (detector -1) */
	uint32_t		 incident_score; /* its score, 0..100 */
};

struct rule {
	uint32_t	 sid;
	uint32_t	 rev;		/* revision (EVE alert.rev), default 1 */
	char		 id[64];
	char		 title[160];
	char		 category[64];
	uint8_t		 severity;	/* 1 high .. 3 low */
	/* conditions and suppression are private to rules.c */
};

/*
 * Builds a ruleset from the `rules:` node (a sequence) of a parsed config.
 * Errors go through the errors callback convention of yconf (file:line:col)
 * and the function returns NULL.  cfg supplies named networks and lists.
 */
struct ruleset	*rules_build(const struct yconf_node *seq, const struct cfg *c,
		    const char *file);
/*
 * The same with an explicit error sink (yconf.h); e->file names the file.
 * seq may be NULL (no `rules:` key): an empty ruleset.  NULL on errors,
 * each one reported through e.
 */
struct yconf_errs;
struct ruleset	*rules_build_errs(const struct yconf_node *seq,
		    const struct cfg *c, struct yconf_errs *e);
void		 rules_free(struct ruleset *rs);	/* NULL ok */
size_t		 rules_count(const struct ruleset *rs);
const struct rule *rules_get(const struct ruleset *rs, size_t i);

/*
 * The subject fields some condition of rs reads that cost the caller a
 * lookup to fill (RULES_WANT_*): the others may be left NULL.
 */
#define RULES_WANT_APP_PROTO	0x1u	/* app_proto */
#define RULES_WANT_HASSH	0x2u	/* hassh_client, hassh_server */
unsigned	 rules_wants(const struct ruleset *rs);

/*
 * Fills out[] with the rules whose `when` holds and whose `unless` does
 * not for subject s, in file order, at most max of them; returns how many
 * rules match, which is more than max when some did not fit (the caller
 * counts those).  A rule with a detector condition only matches subjects
 * with that detector; a rule with incident_min_score only incidents; any
 * other rule only flow records (detector -1, incident false).  Names
 * (detectors, networks, lists) were resolved when the rules were built:
 * no string is compared here but the subject's app_proto against an
 * app_proto condition.
 */
size_t		 rules_match(const struct ruleset *rs, const struct cfg *c,
		    const struct rule_subject *s, const struct rule **out,
		    size_t max);

struct rules_suppress;

struct rules_suppress *rules_suppress_new(size_t slots);
void		 rules_suppress_free(struct rules_suppress *sp);	/* NULL ok */
/* Alerts suppressed so far by this table. */
uint64_t	 rules_suppress_count(const struct rules_suppress *sp);
/*
 * True when an alert of rule r for subject s at ts_us falls inside the
 * rule's suppression window of an earlier one (and counts it); false when
 * it should be raised (and opens a new window).  Rules without `suppress`
 * never suppress.  The table is bounded: oldest windows are overwritten.
 */
bool		 rules_suppressed(struct rules_suppress *sp, const struct rule *r,
		    const struct rule_subject *s, uint64_t ts_us);

/*
 * True when rule r's `threshold: {count, seconds, by}` already let count
 * alerts through in the current window of s's `by` key (drop this one);
 * false when it may be raised (and is counted).  Rules without
 * `threshold` are never limited.  Same bounded table as suppression.
 */
bool		 rules_thresholded(struct rules_suppress *sp,
		    const struct rule *r, const struct rule_subject *s,
		    uint64_t ts_us);

/*
 * What the rules refer to, for `-n` warnings: marks nets[i] / lists[i]
 * (indices in the cfg, arrays of n_nets / n_lists bools, zeroed by the
 * caller) for every network and list a rule names, and net_lists[i] for
 * lists named as src_net/dest_net (matched by address only).  Returns the
 * detectors named by a rule's when, as a set of DET_BIT(enum detector).
 */
uint64_t	 rules_refs(const struct ruleset *rs, bool *nets, bool *lists,
		    bool *net_lists);

#endif /* RULES_H */
