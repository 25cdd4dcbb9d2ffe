build-tsan/obj/det_ssh_model.o: sensor/det_ssh_model.c \
 include/det_ssh_model.h include/cfg_ssh.h include/flow.h include/cfg.h \
 include/cfg_mining.h include/cidr.h include/packet.h include/classify.h \
 include/stats.h include/mining_track.h include/proxy.h include/stash.h \
 include/ssh.h include/ssh_track.h include/stratum.h include/verdict.h \
 include/ssh.h
include/det_ssh_model.h:
include/cfg_ssh.h:
include/flow.h:
include/cfg.h:
include/cfg_mining.h:
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
include/ssh.h:
