/*
 * main.c - command line, start-up, the capture loop, shutdown.
 *
 * No packet logic lives here.  Everything that can fail because of the
 * operator (arguments, config, rules, capture files, interface, outputs)
 * is checked before the first packet is read, with one clear message and
 * exit status 2 (usage, config) or 1 (runtime).  Signal handlers only
 * set flags; the loop acts on them between batches.
 */
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "cfg.h"
#include "decode.h"
#include "cfg_cli.h"
#include "cfg_find.h"
#include "inputs.h"
#include "log.h"
#include "priv.h"
#include "sensor.h"
#include "service.h"
#include "summary.h"
#include "util.h"
#include "version.h"
#include "worker.h"

#define MAIN_BATCH	4096	/* packets between flag checks and ticks */

static volatile sig_atomic_t sig_stop, sig_reload, sig_stats;
/* The capture being read, so a signal can end its batch early. */
static struct capture *volatile sig_cap;

struct options {
	struct inputs	 in;		/* -r files and directories */
	int		 n_files;	/* -r arguments */
	const char	*iface;
	const char	*config;
	const char	*json;
	const char	*redis;
	const char	*name;
	const char	*bpf;
	const char	*user;		/* -u: drop root to this user */
	int		 snaplen;
	int		 buffer_kb;
	int		 promisc;
	int		 check_only;
	int		 allow_empty;	/* --allow-empty-config */
	int		 verbose;
	int		 continuous;	/* --continuous: one capture in pieces */
	int		 workers;	/* --workers N; 0 = the config's */
	const char	*home_net;	/* --home-net CIDR[,CIDR] */
	char		 config_path[1024];	/* the config found */
};

static void check_args(const struct options *o);

static void
usage(FILE *fp)
{
	fprintf(fp,
"usage: egress-sensor -r FILE [-r FILE ...] | -i IFACE [options]\n"
"  -r FILE|DIR         read a pcap or pcapng file ('-' = stdin) or every\n"
"                      capture in a directory (by first packet time);\n"
"                      repeatable; each file is its own capture\n"
"  --continuous        the -r files are one capture in pieces: keep flows,\n"
"                      passive DNS and suppression across them\n"
"  -i IFACE            capture live from an interface (promiscuous)\n"
"  -c CONFIG.yaml      networks, lists, rules, outputs (default: $%s,\n"
"                      then %s, then rules/egress.yaml\n"
"                      of the source tree the binary was built in)\n"
"  --home-net CIDR[,CIDR]  override networks internal and training\n"
"  --json PATH|-       write NDJSON records to a file or stdout\n"
"  --redis URL         redis://[user:pass@]host[:port][/db] or unix:///path\n"
"  --sensor-name NAME  name in records and Redis keys\n"
"  -f 'BPF'            capture filter\n"
"  -s SNAPLEN          live: bytes kept per packet (default 65535)\n"
"  -B KB               live: kernel capture buffer in KiB\n"
"  --no-promisc        live: do not put the interface in promiscuous mode\n"
"  --workers N         live: N capture threads on the interface (Linux\n"
"                      PACKET_FANOUT by flow hash; default: the config's\n"
"                      workers, 1)\n"
"  -u USER             become USER once capture and outputs are open\n"
"  -n                  check the config and rules, then exit\n"
"  --allow-empty-config  accept a config with no settings and no rules\n"
"                      at start (never on SIGHUP)\n"
"  -v                  more logging (repeatable)\n"
"  --version, --help\n"
"exit status: 0 done, 1 runtime failure, 2 bad usage, config or rules\n",
	    CFG_FIND_ENV, CFG_FIND_SYSTEM);
}

static int
parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v;

	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

static void
parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "json", required_argument, NULL, 'J' },
		{ "redis", required_argument, NULL, 'R' },
		{ "sensor-name", required_argument, NULL, 'N' },
		{ "no-promisc", no_argument, NULL, 'P' },
		{ "allow-empty-config", no_argument, NULL, 'E' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ "continuous", no_argument, NULL, 'C' },
		{ "home-net", required_argument, NULL, 'H' },
		{ "workers", required_argument, NULL, 'W' },
		{ NULL, 0, NULL, 0 }
	};
	char err[CAP_ERRBUF], ver[512];
	int ch;

	memset(o, 0, sizeof(*o));
	inputs_init(&o->in);
	o->promisc = 1;
	o->snaplen = 65535;
	while ((ch = getopt_long(argc, argv, "r:i:c:f:s:B:u:nvh", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'r':
			if (inputs_add(&o->in, optarg, err, sizeof(err)) == -1)
				fatalx(1, "capture: %s", err);
			o->n_files++;
			break;
		case 'C': o->continuous = 1; break;
		case 'H':
			if (cfg_cli_home_net(NULL, optarg, err,
			    sizeof(err)) == -1)
				fatalx(2, "--home-net: %s", err);
			o->home_net = optarg;
			break;
		case 'i': o->iface = optarg; break;
		case 'c': o->config = optarg; break;
		case 'f': o->bpf = optarg; break;
		case 'u': o->user = optarg; break;
		case 'J': o->json = optarg; break;
		case 'R': o->redis = optarg; break;
		case 'N': o->name = optarg; break;
		case 'P': o->promisc = 0; break;
		case 'E': o->allow_empty = 1; break;
		case 'n': o->check_only = 1; break;
		case 'v': o->verbose++; break;
		case 's':
			if (parse_int(optarg, 64, 262144, &o->snaplen) == -1)
				fatalx(2, "-s: snaplen must be 64..262144");
			break;
		case 'B':
			if (parse_int(optarg, 1, 4194304, &o->buffer_kb) == -1)
				fatalx(2, "-B: buffer must be 1..4194304 KiB");
			break;
		case 'W':
			if (parse_int(optarg, 1, CFG_WORKERS_MAX,
			    &o->workers) == -1)
				fatalx(2, "--workers: must be 1..%d",
				    CFG_WORKERS_MAX);
			break;
		case 'V':
			version_string(ver, sizeof(ver));
			printf("%s\n", ver);
			exit(0);
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(2);
		}
	}
	if (optind < argc)
		fatalx(2, "unexpected argument '%s' (see --help)", argv[optind]);
	check_args(o);
}

/* What no single option can refuse alone. */
static void
check_args(const struct options *o)
{
	if (!o->check_only && (o->n_files == 0) == (o->iface == NULL))
		fatalx(2, "give either -r FILE or -i IFACE (see --help)");
	if (o->workers > 1 && o->n_files > 0)
		fatalx(2, "--workers: for live capture (-i) only; -r files are "
		    "read by one worker");
	if (o->name != NULL && (o->name[0] == '\0' ||
	    strlen(o->name) >= CFG_NAME_MAX || strpbrk(o->name, ": \t\n")))
		fatalx(2, "--sensor-name: 1..%d characters, no ':' or spaces",
		    CFG_NAME_MAX - 1);
}

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		sig_reload = 1;
	else if (sig == SIGUSR1)
		sig_stats = 1;
	else
		sig_stop = 1;
	/* pcap_breakloop(3) only sets a flag: safe here.  The batch ends
	 * after the packet in hand, so a reload applies from the next. */
	if (sig_cap != NULL)
		cap_breakloop(sig_cap);
}

static void
install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* A stop interrupts a blocked read; reload and stats must not. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static uint64_t
wall_unix(void)
{
	return (uint64_t)time(NULL);
}

/* --home-net over a freshly loaded config; frees it on failure. */
static int
main_home_net(struct cfg *c, const struct options *o)
{
	char err[256];

	if (o->home_net == NULL ||
	    cfg_cli_home_net(c, o->home_net, err, sizeof(err)) == 0)
		return 0;
	log_warnx("--home-net: %s", err);
	cfg_free(c);
	return -1;
}

/* SIGHUP: reopens the NDJSON file; the new config or NULL (logged). */
static struct cfg *
reload_config(struct sensor *s, const struct options *o)
{
	struct cfg *fresh;

	service_reloading();
	if (s->out != NULL)
		out_writer_reopen(s->out);	/* logrotate */
	if ((fresh = cfg_load(o->config)) == NULL ||
	    main_home_net(fresh, o) == -1) {
		log_warnx("reload: %s has errors; old rules stay in force",
		    o->config);
		service_ready();
		return NULL;
	}
	log_info("reload: %s loaded", o->config);
	service_ready();
	return fresh;
}

/* Acts on SIGHUP and SIGUSR1 between batches. */
static void
handle_flags(struct sensor *s, const struct options *o)
{
	struct cfg *fresh;

	if (sig_reload) {
		sig_reload = 0;
		if ((fresh = reload_config(s, o)) != NULL)
			sensor_reload(s, fresh);
	}
	if (sig_stats) {
		sig_stats = 0;
		if (s->out != NULL)
			out_writer_counters(s->out, &s->st);
		fprintf(stderr, "egress-sensor: stats\n");
		stats_print(&s->st, stderr);
		emit_stats(s, s->now_us);
	}
}

static struct capture *
open_live(const struct options *o)
{
	struct cap_live_opts lo = { o->iface, o->snaplen, o->promisc,
	    o->buffer_kb, 100 };
	char err[CAP_ERRBUF];
	struct capture *c;

	if ((c = cap_open_live(&lo, err, sizeof(err))) == NULL)
		fatalx(1, "capture: %s", err);
	if (o->bpf != NULL && cap_set_filter(c, o->bpf, err, sizeof(err)))
		fatalx(2, "capture: %s", err);
	return c;
}

/*
 * Everything that can be refused is checked before any output is opened
 * or touched: the Redis URL (bad usage, exit 2, password masked) and the
 * -u user.  Then the outputs: Redis first (a Redis that is down fails
 * before an existing --json file is truncated), then the NDJSON file.
 */
static void
check_outputs(const struct options *o, const char *redis)
{
	struct redis_url u;
	char masked[512];

	if (redis[0] != '\0' && out_redis_parse_url(redis, &u) == -1)
		fatalx(2, "redis: bad url \"%s\" (want redis://[user:pass@]"
		    "host[:port][/db] or unix:///path)",
		    out_redis_mask_url(redis, masked, sizeof(masked)));
	if (o->user != NULL && priv_check(o->user) == -1)
		fatalx(2, "priv: unknown user '%s'", o->user);
}

/* Warns once per file about a link type the decoders do not know. */
static void
warn_link_types(struct capture *c, const char *path, bool *warned)
{
	const int *dlts;
	int i, n;

	if (*warned)
		return;
	n = cap_link_types(c, &dlts);
	for (i = 0; i < n; i++)
		if (!dec_dlt_supported(dlts[i])) {
			log_warnx("capture: %s: link type %d (%s) is not "
			    "supported: its packets are not decoded (counted "
			    "in dec_unsupported)", path, dlts[i],
			    cap_dlt_name(dlts[i]));
			*warned = true;
			return;
		}
}

/* The file callback: the summary's per-input counts, then the sensor. */
static void
file_packet(void *arg, int dlt, uint64_t ts_us, uint32_t caplen,
    uint32_t wirelen, const uint8_t *bytes)
{
	struct sensor *s = arg;

	summary_packet(s->summary, ts_us, wirelen);
	sensor_packet(s, dlt, ts_us, caplen, wirelen, bytes);
}

/* Reads one file to its end (or a stop); 0, or -1 on a read error. */
static int
run_file(struct sensor *s, const struct options *o, struct capture *c,
    const char *path)
{
	char err[CAP_ERRBUF];
	bool warned = false;
	int n;

	sig_cap = c;
	while (!sig_stop) {
		n = cap_dispatch(c, MAIN_BATCH, file_packet, s, err,
		    sizeof(err));
		warn_link_types(c, path, &warned);
		if (n == -2)
			break;
		if (n == -1) {
			if (sig_stop)	/* the read was interrupted */
				break;
			/* A cut or corrupt file: keep what was read. */
			log_warnx("capture: %s: %s", path, err);
			sig_cap = NULL;
			return -1;
		}
		sensor_tick(s, s->now_us, wall_unix());
		summary_progress(s->summary, cap_file_pos(c));
		handle_flags(s, o);
	}
	sig_cap = NULL;
	return 0;
}

/* Every -r input in order; each its own capture unless --continuous. */
static int
run_files(struct sensor *s, struct options *o)
{
	struct capture *c;
	char err[CAP_ERRBUF];
	int i;

	for (i = 0; i < o->in.n && !sig_stop; i++) {
		if (i > 0 && !o->continuous && sensor_new_capture(s) == -1)
			return 1;
		if ((c = inputs_open(&o->in, i, o->bpf, err,
		    sizeof(err))) == NULL) {
			log_warnx("capture: %s", err);
			return 1;
		}
		summary_input(s->summary, o->in.paths[i], o->in.sizes[i]);
		(void)run_file(s, o, c, o->in.paths[i]);
		if (cap_packets(c) == 0 && !sig_stop)
			log_warnx("capture: %s: no packets read",
			    o->in.paths[i]);
		cap_close(c);
	}
	return 0;
}

/* Captures until a stop; -1 when the capture failed (the link went away). */
static int
run_live(struct sensor *s, const struct options *o, struct capture *c)
{
	char err[CAP_ERRBUF];
	struct pollfd pfd = { .fd = cap_fd(c), .events = POLLIN };
	uint64_t drops, ifdrops;
	struct timespec ts;
	int rc = 0;

	while (!sig_stop) {
		if (poll(&pfd, 1, 1000) == -1 && !sig_stop) {
			if (sig_reload || sig_stats) {
				handle_flags(s, o);
				continue;
			}
		}
		if (cap_dispatch(c, -1, sensor_packet, s, err,
		    sizeof(err)) == -1) {
			log_warnx("capture: %s: %s", o->iface, err);
			rc = -1;
			break;
		}
		if (cap_stats(c, &drops, &ifdrops) == 0) {
			s->st.v[ST_CAPTURE_DROPS] = drops;
			s->st.v[ST_CAPTURE_IFDROPS] = ifdrops;
		}
		/* Idle links still age flows: wall time is packet time. */
		clock_gettime(CLOCK_REALTIME, &ts);
		sensor_tick(s, (uint64_t)ts.tv_sec * 1000000ULL +
		    (uint64_t)ts.tv_nsec / 1000, (uint64_t)ts.tv_sec);
		service_tick((uint64_t)ts.tv_sec * 1000000ULL +
		    (uint64_t)ts.tv_nsec / 1000, &s->st);
		handle_flags(s, o);
	}
	service_stopping();
	return rc;
}

/* N workers on one interface; main's thread coordinates (worker.h). */
static struct workers *
open_workers(const struct options *o, int n)
{
	struct cap_live_opts lo = { o->iface, o->snaplen, o->promisc,
	    o->buffer_kb, 100 };
	char err[CAP_ERRBUF];
	struct workers *ws;
	bool bad_filter;

	if ((ws = workers_open(&lo, o->bpf, n, &bad_filter, err,
	    sizeof(err))) == NULL)
		fatalx(bad_filter ? 2 : 1, "capture: %s", err);
	return ws;
}

/* Live: N workers (the command line's, else the config's) or one. */
static struct workers *
open_capture(const struct options *o, const struct cfg *cfg,
    struct capture **live)
{
	int n = o->workers > 0 ? o->workers : (int)cfg->workers;

	if (n > 1)
		return open_workers(o, n);
	*live = open_live(o);
	return NULL;
}

static void
run_workers(struct sensor *s, const struct options *o, struct workers *ws)
{
	struct timespec ts;
	struct stats sum;
	struct cfg *fresh;

	if (workers_start(ws, s) == -1)
		fatalx(1, "worker: start-up failed");
	service_ready();
	while (!sig_stop && !workers_failed(ws)) {
		(void)poll(NULL, 0, 200);	/* a signal ends it early */
		if (sig_reload) {
			sig_reload = 0;
			if ((fresh = reload_config(s, o)) != NULL)
				workers_reload(ws, fresh);
		}
		if (sig_stats) {
			sig_stats = 0;
			workers_stats(ws, stderr);
		}
		workers_tick(ws, wall_unix());
		clock_gettime(CLOCK_REALTIME, &ts);
		workers_counters(ws, &sum);
		service_tick((uint64_t)ts.tv_sec * 1000000ULL +
		    (uint64_t)ts.tv_nsec / 1000, &sum);
	}
	service_stopping();
	workers_stop(ws, FE_SHUTDOWN);
}

/*
 * The Redis password: $EGRESS_REDIS_PASSWORD, else the first line of
 * output.redis.password_file, else the URL's (NULL).  Never logged.
 */
static const char *
redis_password(const struct cfg_redis *rc, char *buf, size_t size)
{
	const char *env = getenv("EGRESS_REDIS_PASSWORD");
	FILE *fp;

	if (env != NULL && env[0] != '\0')
		return env;
	if (rc->password_file[0] == '\0')
		return NULL;
	if ((fp = fopen(rc->password_file, "re")) == NULL)
		fatal(2, "redis: password_file %s", rc->password_file);
	if (fgets(buf, (int)size, fp) == NULL)
		buf[0] = '\0';
	fclose(fp);
	buf[strcspn(buf, "\r\n")] = '\0';
	return buf;
}

static struct out_writer *
open_outputs(struct sensor *s, const struct options *o, const char *json,
    const char *url)
{
	const struct cfg_redis *rc = &s->cfg->output.redis;
	char pass[256];
	struct out_redis_opts ro = {
		.url = url, .prefix = rc->prefix, .sensor = s->name,
		.version = SENSOR_VERSION, .user = rc->user,
		.maxlen = { [REC_FLOW] = rc->flows_maxlen,
		    [REC_ALERT] = rc->alerts_maxlen,
		    [REC_STATS] = rc->stats_maxlen,
		    [REC_INCIDENT] = rc->alerts_maxlen },
		.health_ttl = rc->health_ttl, .timeout_ms = rc->timeout_ms,
		.legacy_set = rc->legacy_sensors_set,
		.incident_ttl = s->cfg->incident.redis_ttl };
	struct out_writer_opts wo = {
		.json_path = json, .redis = url[0] != '\0' ? &ro : NULL,
		.spool_dir = rc->spool_dir,
		.spool_max_bytes = rc->spool_max_bytes,
		.ring_bytes = (size_t)rc->ring_kb * 1024,
		/* Files can wait for the writer; a live link cannot. */
		.wait_when_full = o->iface == NULL,
		.started_unix = s->started_unix };
	struct out_writer *w;

	if (json[0] == '\0' && url[0] == '\0')
		return NULL;
	ro.password = url[0] != '\0' ? redis_password(rc, pass, sizeof(pass)) :
	    NULL;
	w = out_writer_open(&wo);
	explicit_bzero(pass, sizeof(pass));
	if (w == NULL)
		fatalx(1, "outputs: cannot start (%s%s%s)", json[0] ?
		    "NDJSON " : "", json, url[0] ? ", Redis" : "");
	return w;
}

/* -n: a password in a URL ends up in ps(1) and in shell history. */
static void
check_url_secret(const char *url)
{
	struct redis_url u;

	if (url[0] != '\0' && out_redis_parse_url(url, &u) == 0 &&
	    u.pass[0] != '\0')
		log_warnx("redis: the URL carries a password; prefer "
		    "output.redis.password_file or EGRESS_REDIS_PASSWORD");
	explicit_bzero(&u, sizeof(u));
}

/* The summary; with -v every counter (and each worker's). */
static void
print_end(struct sensor *s, const struct options *o, struct workers *ws)
{
	summary_print(s->summary, stderr);
	if (o->verbose == 0)
		return;
	fprintf(stderr, "egress-sensor: stats\n");
	stats_print(&s->st, stderr);
	if (ws != NULL)
		workers_print(ws, stderr);
}

/* The sensor: alone, or the home of the workers (the flows are theirs). */
static void
init_sensor(struct sensor *s, struct cfg *cfg, const struct options *o,
    bool workers)
{
	const char *name = o->name != NULL ? o->name : cfg->sensor_name;

	if ((workers ? sensor_init_shared(s, cfg, name) :
	    sensor_init(s, cfg, name)) == -1)
		fatalx(1, "sensor: start-up failed");
}

/* Finds and loads the config (-n: and reports on it). */
static struct cfg *
load_config(struct options *o)
{
	char tried[2048];
	struct cfg *cfg;

	if (cfg_find(o->config, o->config_path, sizeof(o->config_path),
	    tried, sizeof(tried)) == -1)
		fatalx(2, "config: no configuration file found (tried %s); "
		    "give one with -c FILE", tried);
	o->config = o->config_path;
	if ((cfg = cfg_load_empty_ok(o->config, o->allow_empty)) == NULL)
		fatalx(2, "config: %s: not loaded", o->config);
	if (main_home_net(cfg, o) == -1)
		exit(2);
	return cfg;
}

int
main(int argc, char **argv)
{
	static struct sensor s;
	struct capture *live = NULL;
	struct workers *ws = NULL;
	struct options o;
	struct cfg *cfg;
	const char *json, *redis;
	char err[CAP_ERRBUF];
	int bad_filter, status = 0;
	uid_t uid;
	gid_t gid;

	parse_args(argc, argv, &o);
	log_init(o.verbose);
	log_timestamps(o.iface != NULL && !o.check_only);
	cfg = load_config(&o);
	json = o.json != NULL ? o.json : cfg->output.json;
	redis = o.redis != NULL ? o.redis : cfg->output.redis.url;
	check_outputs(&o, redis);
	if (o.check_only) {
		check_url_secret(redis);
		/* --allow-empty-config: an empty policy is what was asked. */
		status = cfg_cli_check(cfg, o.json != NULL || o.redis != NULL);
		if (o.allow_empty && rules_count(cfg->rules) == 0)
			status = 0;
		cfg_free(cfg);
		return status;
	}
	/* Open every input first: a bad file fails before any output. */
	if (inputs_check(&o.in, o.bpf, &bad_filter, err, sizeof(err)) == -1)
		fatalx(bad_filter ? 2 : 1, "capture: %s", err);
	if (o.iface != NULL)
		ws = open_capture(&o, cfg, &live);
	init_sensor(&s, cfg, &o, ws != NULL);
	s.started_unix = wall_unix();
	json = o.json != NULL ? o.json : cfg->output.json;
	redis = o.redis != NULL ? o.redis : cfg->output.redis.url;
	if (json[0] == '\0' && redis[0] == '\0')
		log_warnx("no output configured (--json, --redis or "
		    "output: in the config): only the summary will be seen");
	s.out = open_outputs(&s, &o, json, redis);
	if ((s.summary = summary_new(o.in.n, o.in.n > 0 &&
	    isatty(STDERR_FILENO))) == NULL)
		fatalx(1, "summary: out of memory");
	summary_set_total(s.summary, inputs_total(&o.in));
	if (o.user != NULL) {
		/* The dropped user must be able to reopen them (SIGHUP). */
		if (s.out != NULL && priv_lookup(o.user, &uid, &gid) == 0)
			out_writer_chown(s.out, uid, gid);
		priv_drop(o.user);
	}
	install_signals();
	if (ws != NULL)
		run_workers(&s, &o, ws);	/* ends with workers_stop */
	if (live != NULL) {
		service_ready();
		if (run_live(&s, &o, live) == -1)
			status = 1;
		cap_close(live);
	}
	if (run_files(&s, &o) != 0)
		status = 1;
	if (ws == NULL)
		sensor_finish(&s, sig_stop ? FE_SHUTDOWN : FE_EOF);
	else if (workers_failed(ws))
		status = 1;
	if (out_writer_close(s.out, &s.st) == -1)
		status = 1;
	if (s.st.v[ST_REDIS_ERRORS] > 0) {
		log_warnx("redis: %llu Redis writes failed; records were lost "
		    "from the Redis output (the NDJSON output is complete)",
		    (unsigned long long)s.st.v[ST_REDIS_ERRORS]);
		status = 1;
	}
	print_end(&s, &o, ws);
	summary_free(s.summary);
	s.summary = NULL;
	workers_free(ws);
	sensor_fini(&s);
	inputs_fini(&o.in);
	return status;
}
