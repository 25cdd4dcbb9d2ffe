/*
 * cfg_cli.c - --home-net and `-n`'s warnings and summary (see cfg_cli.h).
 *
 * The warnings are about configs that load without an error yet quietly
 * detect less than the operator thinks: a list with a typo in its name
 * (nothing uses it), a rule on a pool detector without the pool list, a
 * host name in a list that is only matched by address, a run that writes
 * nothing.  They go to stderr and do not change the exit status.
 */
#include <stdio.h>
#include <string.h>

#include "cfg.h"
#include "cfg_cli.h"
#include "detect.h"
#include "domset.h"
#include "log.h"
#include "rules.h"
#include "verdict.h"

#define CFG_CLI_POOLS	CFG_LIST_MINING_POOLS
#define CFG_CLI_SSH	CFG_LIST_SSH_ALLOWED

/* Of the detectors in dets, those that read the list name (registry). */
static uint64_t
cfg_cli_readers(uint64_t dets, const char *name)
{
	const struct det_def *dd;
	uint64_t m = 0;
	int d;

	for (d = 0; d < DET_COUNT; d++) {
		dd = det_def((enum detector)d);
		if ((dets & DET_BIT(d)) && dd->list != NULL &&
		    strcmp(dd->list, name) == 0)
			m |= DET_BIT(d);
	}
	return m;
}

static int
cfg_cli_parse(const char *spec, struct cidr_set *set, char *err,
    size_t errlen)
{
	char one[128];
	const char *p = spec, *comma;
	struct cidr ci;
	size_t n;

	do {
		comma = strchr(p, ',');
		n = comma != NULL ? (size_t)(comma - p) : strlen(p);
		if (n == 0 || n >= sizeof(one)) {
			snprintf(err, errlen, "'%s': expected CIDR[,CIDR...]",
			    spec);
			return -1;
		}
		memcpy(one, p, n);
		one[n] = '\0';
		if (cidr_parse(one, &ci) == -1) {
			snprintf(err, errlen, "'%s': not an address or network",
			    one);
			return -1;
		}
		if (set != NULL && cidr_set_add(set, &ci) == -1) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		p = comma != NULL ? comma + 1 : NULL;
	} while (p != NULL);
	return 0;
}

int
cfg_cli_home_net(struct cfg *c, const char *spec, char *err, size_t errlen)
{
	size_t i;

	if (c == NULL)
		return cfg_cli_parse(spec, NULL, err, errlen);
	for (i = 0; i < c->n_nets; i++) {
		if (strcmp(c->nets[i].name, "internal") != 0 &&
		    strcmp(c->nets[i].name, "training") != 0)
			continue;
		cidr_set_fini(&c->nets[i].set);
		cidr_set_init(&c->nets[i].set);
		if (cfg_cli_parse(spec, &c->nets[i].set, err, errlen) == -1)
			return -1;
	}
	return 0;
}

static size_t
cfg_cli_list_size(const struct cfg_list *l)
{
	return l->nets.n + domset_count(l->names);
}

static void
cfg_cli_warn_lists(const struct cfg *c, const bool *used,
    const bool *by_addr, uint64_t dets)
{
	const struct cfg_list *l;
	size_t i;

	for (i = 0; i < c->n_lists; i++) {
		l = &c->lists[i];
		if (cfg_cli_readers(~(uint64_t)0, l->name) != 0)
			;	/* read by the detectors themselves */
		else if (!used[i])
			log_warnx("warning: list '%s' is defined but no rule "
			    "uses it (detectors read only '%s' and '%s')",
			    l->name, CFG_CLI_POOLS, CFG_CLI_SSH);
		if (by_addr[i] && domset_count(l->names) > 0)
			log_warnx("warning: list '%s' is used as src_net/"
			    "dest_net: its %zu names never match (only its "
			    "addresses do)", l->name, domset_count(l->names));
		if (cfg_cli_list_size(l) == 0)
			log_warnx("warning: list '%s' is empty", l->name);
	}
	if (cfg_cli_readers(dets, CFG_CLI_POOLS) != 0 &&
	    c->mining_pools == NULL)
		log_warnx("warning: rules use the mining pool detectors but "
		    "there is no list '%s': pools are not recognised by "
		    "name (SNI, DNS, proxy target)", CFG_CLI_POOLS);
	if (cfg_cli_readers(dets, CFG_CLI_SSH) != 0 &&
	    c->ssh_allowed == NULL)
		log_warnx("warning: a rule uses ssh_unapproved_destination "
		    "but there is no list '%s': every SSH destination is "
		    "unapproved", CFG_CLI_SSH);
}

static void
cfg_cli_summary(const struct cfg *c, uint64_t dets)
{
	char lists[512] = "";
	size_t i, used = 0, n_rules = rules_count(c->rules);
	int k = 0;

	for (i = 0; i < DET_COUNT; i++)
		k += (int)((dets >> i) & 1u);
	for (i = 0; i < c->n_lists && used < sizeof(lists); i++)
		used += (size_t)snprintf(lists + used, sizeof(lists) - used,
		    "%s%s %zu", i > 0 ? ", " : "", c->lists[i].name,
		    cfg_cli_list_size(&c->lists[i]));
	fprintf(stderr, "egress-sensor: %s: ok: %zu rules (%d of %d "
	    "detectors), %zu networks, %zu lists%s%s%s\n", c->path, n_rules,
	    k, DET_COUNT, c->n_nets, c->n_lists, c->n_lists > 0 ? " (" : "",
	    lists, c->n_lists > 0 ? ")" : "");
}

int
cfg_cli_check(const struct cfg *c, bool cli_output)
{
	bool nets[CFG_MAX_NETS] = { 0 }, lists[CFG_MAX_LISTS] = { 0 };
	bool by_addr[CFG_MAX_LISTS] = { 0 };
	uint64_t dets;
	size_t i;

	dets = rules_refs(c->rules, nets, lists, by_addr);
	if (rules_count(c->rules) == 0 && !c->rules_given) {
		log_warnx("%s: no rules: nothing would ever alert (write "
		    "'rules: []' to mean that)", c->path);
		return 2;
	}
	for (i = 0; i < c->n_nets; i++)
		if (!nets[i] && strcmp(c->nets[i].name, "internal") != 0)
			log_warnx("warning: network '%s' is defined but no "
			    "rule uses it", c->nets[i].name);
	cfg_cli_warn_lists(c, lists, by_addr, dets);
	if (!cli_output && c->output.json[0] == '\0' &&
	    c->output.redis.url[0] == '\0')
		log_warnx("warning: no output configured (output.json, "
		    "output.redis.url, --json or --redis): a run writes no "
		    "records");
	cfg_cli_summary(c, dets);
	return 0;
}
