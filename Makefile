# egress-sensor - plain GNU make + pkg-config.
#   make            build build/egress-sensor
#   make demo       deps, build, run over pcaps/ into a private Redis, summary
#   make dashboard  the demo into a kept Redis, then the live dashboard on :8080
#   make test       deps, build, unit + pcap + redis tests; last line "N passed, N failed"
#   make bench      packets/s of egress-sensor vs ndpiReader vs a bare pcap loop
#   make asan       rebuild with ASan+UBSan into build-asan/ and run the tests
#   make check      warnings as errors + banned functions
#   make install    PREFIX=/usr/local DESTDIR= : binary, tools, man pages,
#                   config in SYSCONFDIR/egress-sensor, lists in
#                   PREFIX/share/egress-sensor, systemd unit and sysusers

CC	?= cc
PKGS	 = libpcap libndpi hiredis yaml-0.1 libgcrypt libsystemd
BUILD	?= build
CFLAGS	?= -O2 -g
WARN	 = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	   -Wpointer-arith -Wcast-qual -Wformat=2 -Wvla
PREFIX	?= /usr/local
SBINDIR	?= $(PREFIX)/sbin
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
DATADIR	?= $(PREFIX)/share/egress-sensor
SYSCONFDIR ?= /etc
UNITDIR	?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
CONFDIR	 = $(SYSCONFDIR)/egress-sensor
CPPFLAGS += -Iinclude -D_GNU_SOURCE \
	    -DCFG_FIND_SYSTEM='"$(CONFDIR)/egress.yaml"'
ALL_CFLAGS = -std=c11 -pthread $(WARN) $(CFLAGS) $(CPPFLAGS) \
	     $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS	+= $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -pthread

SRCS	:= $(wildcard sensor/*.c)
OBJS	:= $(SRCS:sensor/%.c=$(BUILD)/obj/%.o)
LIBOBJS	:= $(filter-out $(BUILD)/obj/main.o,$(OBJS))
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_BINS := $(BUILD)/pcap-loop $(BUILD)/mkflood $(BUILD)/mkflows \
	     $(BUILD)/redis-bench
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
ASAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer

.PHONY: all deps demo dashboard test unit pcaptest redistest bench asan check clean \
	fuzz fuzz-bins fuzz-replay install

all: $(BUILD)/egress-sensor $(UNIT_BINS) $(TOOL_BINS)

$(BUILD)/obj/%.o: sensor/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/egress-sensor: $(OBJS)
	$(CC) $(CFLAGS) -o $@ $(OBJS) $(LDFLAGS) $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIBOBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -o $@ $< $(LIBOBJS) $(LDFLAGS) $(LDLIBS) -lcmocka

$(BUILD)/pcap-loop: tools/pcap-loop.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LDFLAGS) $(LDLIBS)

$(BUILD)/mkflood: tools/mkflood.c tools/pcapw.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $<

$(BUILD)/mkflows: tools/mkflows.c tools/pcapw.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $<

$(BUILD)/redis-bench: tools/redis-bench.c $(LIBOBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIBOBJS) $(LDFLAGS) $(LDLIBS)

# Fuzz targets: with tests/fuzz/onefile.c they replay a corpus under
# gcc (fuzz-replay, ASan+UBSan); with clang's libFuzzer they fuzz (fuzz).
fuzz-bins: $(FUZZ_NAMES:%=$(BUILD)/fuzz/%)

$(BUILD)/fuzz/%: tests/fuzz/fuzz_%.c tests/fuzz/onefile.c $(LIBOBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< tests/fuzz/onefile.c $(LIBOBJS) \
	    $(LDFLAGS) $(LDLIBS)

fuzz-replay:
	@$(MAKE) --no-print-directory BUILD=build-asan CFLAGS="$(ASAN_FLAGS)" \
	    fuzz-bins >build-asan-fuzz.log 2>&1 || \
	    { echo "not ok - fuzz: build failed (build-asan-fuzz.log)"; exit 0; }
	@for t in $(FUZZ_NAMES); do \
	    ASAN_OPTIONS=detect_leaks=1 build-asan/fuzz/$$t \
	    tests/fuzz/corpus/$$t 2>build-asan/fuzz/$$t.log || \
	    { echo "not ok - fuzz $$t: see build-asan/fuzz/$$t.log"; \
	    tail -5 build-asan/fuzz/$$t.log | sed 's/^/#   /'; }; done

fuzz:
	@command -v clang >/dev/null || { echo "fuzz: needs clang" >&2; exit 1; }
	@for t in $(FUZZ_NAMES); do mkdir -p build-fuzz && \
	    clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined \
	    -Iinclude -D_GNU_SOURCE $(shell pkg-config --cflags $(PKGS)) \
	    -o build-fuzz/$$t tests/fuzz/fuzz_$$t.c $(filter-out sensor/main.c,$(SRCS)) \
	    $(LDLIBS) || exit 1; done
	@echo "fuzz: run e.g. build-fuzz/decode tests/fuzz/corpus/decode -max_total_time=60"

deps:
	@tools/deps.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@tools/demo.sh

dashboard: deps
	@$(MAKE) --no-print-directory all
	@tools/dashboard/run.sh

test: deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) tools/run-tests.sh

unit: all
	@BUILD=$(BUILD) tools/run-tests.sh unit

pcaptest: all
	@BUILD=$(BUILD) tools/run-tests.sh pcap

redistest: all
	@BUILD=$(BUILD) tools/run-tests.sh redis

bench: all
	@BUILD=$(BUILD) tools/bench.sh

asan:
	@$(MAKE) --no-print-directory BUILD=build-asan \
	    CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer" all
	@BUILD=build-asan tools/run-tests.sh

check:
	@$(MAKE) --no-print-directory BUILD=build-check CFLAGS="-O2 -Werror" all
	@tools/check-banned.sh

# The installed config is rules/egress.yaml with the pool list read from
# DATADIR and `include: [local.yaml, conf.d]` added; local.yaml is the
# site's and is never overwritten.
install: $(BUILD)/egress-sensor
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) \
	    $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(DATADIR)/lists $(DESTDIR)$(CONFDIR)/conf.d \
	    $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR)
	install -m 755 $(BUILD)/egress-sensor $(DESTDIR)$(SBINDIR)/egress-sensor
	install -m 755 tools/redis-tail $(DESTDIR)$(BINDIR)/egress-sensor-tail
	install -m 644 man/egress-sensor.8 $(DESTDIR)$(MANDIR)/man8/
	install -m 644 man/egress-sensor.yaml.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 644 rules/lists/mining-pools.txt $(DESTDIR)$(DATADIR)/lists/
	sed -e 's|^  mining_pools: lists/mining-pools.txt|  mining_pools: $(DATADIR)/lists/mining-pools.txt|' \
	    -e 's|^# Loaded by default (-c rules/egress.yaml).*|# Shipped defaults: edit local.yaml (or add conf.d/*.yaml) instead.|' \
	    rules/egress.yaml >$(DESTDIR)$(CONFDIR)/egress.yaml.tmp
	printf '\n# Site policy, layered over the above (egress-sensor.yaml(5)).\ninclude: [local.yaml, conf.d]\n' \
	    >>$(DESTDIR)$(CONFDIR)/egress.yaml.tmp
	grep -q '^  mining_pools: $(DATADIR)/' $(DESTDIR)$(CONFDIR)/egress.yaml.tmp
	mv $(DESTDIR)$(CONFDIR)/egress.yaml.tmp $(DESTDIR)$(CONFDIR)/egress.yaml
	chmod 644 $(DESTDIR)$(CONFDIR)/egress.yaml
	[ -e $(DESTDIR)$(CONFDIR)/local.yaml ] || \
	    install -m 644 dist/local.yaml $(DESTDIR)$(CONFDIR)/local.yaml
	sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
	    dist/egress-sensor@.service.in \
	    >$(DESTDIR)$(UNITDIR)/egress-sensor@.service
	chmod 644 $(DESTDIR)$(UNITDIR)/egress-sensor@.service
	install -m 644 dist/egress-sensor.sysusers \
	    $(DESTDIR)$(SYSUSERSDIR)/egress-sensor.conf

clean:
	rm -rf build build-asan build-check build-fuzz build-asan-fuzz.log

-include $(OBJS:.o=.d) $(UNIT_BINS:=.d)
