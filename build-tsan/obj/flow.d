build-tsan/obj/flow.o: sensor/flow.c include/flow.h include/cfg.h \
 include/cfg_mining.h include/cfg_ssh.h include/cidr.h include/packet.h \
 include/classify.h include/stats.h include/mining_track.h \
 include/proxy.h include/stash.h include/ssh.h include/ssh_track.h \
 include/stratum.h include/verdict.h include/log.h
include/flow.h:
include/cfg.h:
include/cfg_mining.h:
include/cfg_ssh.h:
include/cidr.h:
include/packet.h:
include/classify.h:
include/stats.h:
include/mining_track.h:
include/proxy.h:
include/stash.h:
include/ssh.h:
include/ssh_track.h:
include/stratum.h:
include/verdict.h:
include/log.h:
