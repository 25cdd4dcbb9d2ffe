/*
 * detect.h - detectors: from a flow's state to verdicts, and evidence.
 *
 * Detectors read what the flow table, nDPI and our dissectors left on a
 * flow and say which verdicts now hold; the sensor raises each one once,
 * runs the rules and writes alerts.  Evidence is rendered from the same
 * state so an analyst can check every verdict by hand.
 */
#ifndef DETECT_H
#define DETECT_H

#include <stdint.h>

#include "cfg.h"
#include "flow.h"
#include "json.h"

struct slab;
struct stats;

struct det_ctx {
	struct det_ssh		*ssh;		/* reverse-SSH cross-flow state */
	struct det_mining	*mining;	/* passive DNS and friends */
	/* The calling worker's own (sensor_init_flows); NULL: none. */
	struct slab		*mtracks;	/* mining_track pool (det_mining.c) */
	struct stats		*st;		/* its counters */
};

/*
 * The detector registry: one row per enum detector (verdict.h), the only
 * place a detector is described.  detect, rules (names), incidents
 * (stages), `-n` (the lists detectors read) and the summary all read it;
 * tests check it against the README tables.
 */
/*
 * What a flow must carry before a row's check can hold: det_check works
 * each gate out once per call and runs only the checks of the rows whose
 * gate is open.
 */
enum det_gate {
	DG_ANY,		/* any flow */
	DG_SSH_SEEN,	/* an SSH banner, and ours or nDPI's SSH */
	DG_SSH_OURS,	/* our SSH dissector's flow, its session started */
	DG_STRATUM,	/* Stratum proven by our dissector */
	DG_COUNT
};

struct det_def {
	const char	*name;		/* stable contract ("reverse_ssh") */
	uint8_t		 gate;		/* enum det_gate */
	/*
	 * True when the verdict holds for f now; called (by det_check)
	 * only while the row's gate is open, which it may take for
	 * granted.  May update f's own detector state (idempotent: called
	 * on many packets); never allocates, never logs.
	 */
	bool		(*check)(struct det_ctx *dc, const struct cfg *c,
			    struct flow *f, uint64_t now_us);
	/* Confidence in percent of this detector's verdict on f. */
	uint8_t		(*confidence)(const struct flow *f, enum detector d);
	/* Writes the members of the verdict's evidence object (c may be NULL). */
	void		(*evidence)(struct jbuf *j, const struct cfg *c,
			    const struct flow *f, enum detector d);
	int8_t		 stage;		/* enum incident_stage; -1: policy, none */
	const char	*what;		/* incident timeline summary, NULL: name */
	const char	*list;		/* cfg list it reads (cfg.h), NULL: none */
};

/* Row d of the registry; d must be < DET_COUNT. */
const struct det_def *det_def(enum detector d);

/*
 * The set (DET_BIT) of the verdicts that hold for f now, given the config
 * (lists such as ssh_allowed): every row's check.  Called per packet while
 * the flow is young and once more at its end.
 */
uint64_t	det_check(struct det_ctx *dc, const struct cfg *c, struct flow *f,
		    uint64_t now_us);

/* Confidence in percent for a detector's verdict on f. */
uint8_t		det_confidence(const struct flow *f, enum detector d);

/* Writes the evidence object members of verdict d for f into j. */
void		det_evidence(struct jbuf *j, const struct cfg *c,
		    const struct flow *f, enum detector d);

/* The record's app_proto: our dissectors first, then nDPI, "unknown". */
const char	*det_app_proto(const struct flow *f);

/*
 * The client and server HASSH as records and rules see them: ours by
 * role (the initiator as client until the roles are known) whenever our
 * dissector had the flow, even when it has none (det_ssh_hassh_error
 * says why); nDPI's (port order) only for flows it never had, and never
 * the MD5 of an empty string.  "" when there is none.
 */
void		det_ssh_hassh(const struct flow *f, char client[33],
		    char server[33]);

/*
 * Why the client (or server) HASSH is missing: our parser refused the
 * KEXINIT ("kexinit_malformed", "bad_length", ...) or stopped on the
 * other side's before reading it ("not_parsed_after_error"), a TCP hole
 * ("stream_gap"), the flow ended first ("kexinit_not_seen"), or nDPI's
 * value is the MD5 of nothing ("ndpi_empty_kexinit"); NULL when there
 * is a HASSH or nothing to say.  Static strings.
 */
const char	*det_ssh_hassh_error(const struct flow *f, bool client);

/* True when f carries SSH (our dissector saw both banners, or nDPI). */
bool		det_is_ssh(const struct flow *f);

#endif /* DETECT_H */
