/*
 * test_orient.c - who started a flow the capture did not see start:
 * SYN, SYN-ACK, ports, TLS ServerHello, HTTP response, DNS response and
 * the SSH key exchange, and the swap of a flow's two directions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "flow_fix.h"
#include "cidr.h"
#include "det_ssh.h"
#include "orient.h"
#include "util.h"

static struct flow_fix mk_fix;	/* the cold part of the test's flow */

/* The first packet of a flow, sent by a:ap to b:bp. */
static void
mk(struct flow *f, struct packet *p, const char *a, uint16_t ap,
    const char *b, uint16_t bp, uint8_t proto, uint8_t flags,
    const uint8_t *pl, size_t n)
{
	memset(p, 0, sizeof(*p));
	assert_int_equal(ip_addr_parse(a, &p->src), 0);
	assert_int_equal(ip_addr_parse(b, &p->dst), 0);
	p->sport = ap;
	p->dport = bp;
	p->l4_ok = true;
	p->l4_proto = proto;
	p->tcp_flags = flags;
	p->payload = pl;
	p->payload_len = (uint32_t)n;
	if (f == NULL)
		return;
	flow_fix_init(&mk_fix);
	*f = mk_fix.f;
	flow_fix_ends(f, &p->src, ap, &p->dst, bp);
	f->proto = proto;
	f->dir[0].pkts = 1;
}

static void
test_syn_and_syn_ack(void **state)
{
	struct flow f;
	struct packet p;
	int dir = 0;

	(void)state;
	mk(&f, &p, "10.20.0.5", 40000, "198.51.100.9", 80, IPPROTO_TCP,
	    TH_SYN, NULL, 0);
	orient_created(&f, &p, &dir);
	assert_null(orient_reason_name(&f));
	assert_false(orient_pending(&f));
	/* the SYN was missed: the SYN-ACK's sender is the server */
	mk(&f, &p, "198.51.100.9", 80, "10.20.0.5", 40000, IPPROTO_TCP,
	    TH_SYN | TH_ACK, NULL, 0);
	orient_created(&f, &p, &dir);
	assert_int_equal(dir, 1);
	assert_int_equal(flow_sport(&f), 40000);
	assert_int_equal(flow_dport(&f), 80);
	assert_int_equal(f.dir[1].pkts, 1);
	assert_int_equal(f.dir[0].pkts, 0);
	assert_string_equal(orient_reason_name(&f), "syn_ack");
	assert_false(orient_pending(&f));
}

static void
test_port_then_server_hello(void **state)
{
	/* a TLS 1.2 record header and the ServerHello handshake type */
	static const uint8_t sh[] = { 0x16, 0x03, 0x03, 0x00, 0x7a, 0x02 };
	struct flow f;
	struct packet p;
	int dir = 0;

	(void)state;
	mk(&f, &p, "198.51.100.9", 443, "10.20.0.5", 51000, IPPROTO_TCP,
	    TH_ACK, NULL, 0);
	orient_created(&f, &p, &dir);
	assert_int_equal(dir, 1);
	assert_int_equal(flow_dport(&f), 443);
	assert_string_equal(orient_reason_name(&f), "port");
	assert_true(orient_pending(&f));
	mk(NULL, &p, "198.51.100.9", 443, "10.20.0.5", 51000, IPPROTO_TCP,
	    TH_ACK | TH_PUSH, sh, sizeof(sh));
	dir = 1;
	assert_false(orient_packet(&f, &p, &dir));
	assert_string_equal(orient_reason_name(&f), "tls_server_hello");
	assert_false(orient_pending(&f));
	orient_settle(&f);
	assert_string_equal(orient_reason_name(&f), "tls_server_hello");
}

static void
test_http_response_ephemeral_ports(void **state)
{
	static const char resp[] = "HTTP/1.1 200 OK\r\n";
	struct flow f;
	struct packet p;
	int dir = 0;

	(void)state;
	/* both ports ephemeral-range: no port rule, the first sender stays */
	mk(&f, &p, "198.51.100.9", 50080, "10.20.0.5", 41000, IPPROTO_TCP,
	    TH_ACK | TH_PUSH, (const uint8_t *)resp, sizeof(resp) - 1);
	orient_created(&f, &p, &dir);
	assert_int_equal(dir, 0);
	assert_string_equal(orient_reason_name(&f), "first_packet");
	assert_true(orient_packet(&f, &p, &dir));
	assert_int_equal(dir, 1);
	assert_int_equal(flow_sport(&f), 41000);
	assert_int_equal(flow_dport(&f), 50080);
	assert_string_equal(orient_reason_name(&f), "http_response");
	/* a request line is no evidence */
	mk(&f, &p, "10.20.0.5", 41000, "198.51.100.9", 50080, IPPROTO_TCP,
	    TH_ACK | TH_PUSH, (const uint8_t *)"GET / HTTP/1.1\r\n", 16);
	dir = 0;
	orient_created(&f, &p, &dir);
	assert_false(orient_packet(&f, &p, &dir));
	assert_string_equal(orient_reason_name(&f), "first_packet");
}

static void
test_dns_response(void **state)
{
	/* id 0x5151, QR + RD + RA, 1 question, 1 answer */
	static const uint8_t resp[] = { 0x51, 0x51, 0x81, 0x80, 0x00, 0x01,
	    0x00, 0x01, 0x00, 0x00, 0x00, 0x00 };
	static const uint8_t query[] = { 0x51, 0x51, 0x01, 0x00, 0x00, 0x01,
	    0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };
	struct flow f;
	struct packet p;
	int dir = 0;

	(void)state;
	mk(&f, &p, "198.51.100.53", 53, "10.20.0.5", 53001, IPPROTO_UDP, 0,
	    resp, sizeof(resp));
	orient_created(&f, &p, &dir);
	assert_int_equal(dir, 1);
	assert_int_equal(flow_dport(&f), 53);
	assert_string_equal(orient_reason_name(&f), "dns_response");
	assert_false(orient_pending(&f));
	/* a query first: its sender, no field */
	mk(&f, &p, "10.20.0.5", 53001, "198.51.100.53", 53, IPPROTO_UDP, 0,
	    query, sizeof(query));
	dir = 0;
	orient_created(&f, &p, &dir);
	assert_int_equal(dir, 0);
	assert_null(orient_reason_name(&f));
}

static void
test_ssh_kex(void **state)
{
	struct flow f;
	struct packet p;
	int dir = 0;

	(void)state;
	mk(&f, &p, "198.51.100.7", 52222, "10.20.0.5", 41022, IPPROTO_TCP,
	    TH_ACK | TH_PUSH, (const uint8_t *)"SSH-2.0-x\r\n", 11);
	orient_created(&f, &p, &dir);
	f.app = APP_SSH;
	ssh_info_init(&f.c->u->ssh.hs);
	det_ssh_track_init(&f.c->u->ssh.track);
	strlcpy(f.c->u->ssh.hs.side[0].banner, "SSH-2.0-server",
	    sizeof(f.c->u->ssh.hs.side[0].banner));
	f.c->u->ssh.track.keys[1] = 3;
	assert_false(orient_ssh(&f));		/* roles not known yet */
	f.c->u->ssh.hs.client_dir = 1;
	assert_true(orient_ssh(&f));
	assert_int_equal(f.c->u->ssh.hs.client_dir, 0);
	assert_string_equal(f.c->u->ssh.hs.side[1].banner, "SSH-2.0-server");
	assert_int_equal(f.c->u->ssh.track.keys[0], 3);
	assert_int_equal(flow_sport(&f), 41022);
	assert_string_equal(orient_reason_name(&f), "ssh_banner");
	assert_false(orient_pending(&f));
	assert_false(orient_ssh(&f));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syn_and_syn_ack),
		cmocka_unit_test(test_port_then_server_hello),
		cmocka_unit_test(test_http_response_ephemeral_ports),
		cmocka_unit_test(test_dns_response),
		cmocka_unit_test(test_ssh_kex),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
