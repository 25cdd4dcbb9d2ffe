build-tsan/obj/det_ssh.o: sensor/det_ssh.c include/det_ssh.h \
 include/cfg.h include/cfg_mining.h include/cfg_ssh.h include/cidr.h \
 include/packet.h include/flow.h include/classify.h include/stats.h \
 include/mining_track.h include/proxy.h include/stash.h include/ssh.h \
 include/ssh_track.h include/stratum.h include/verdict.h include/json.h \
 include/det_ssh_model.h include/yconf.h
include/det_ssh.h:
include/cfg.h:
include/cfg_mining.h:
include/cfg_ssh.h:
include/cidr.h:
include/packet.h:
include/flow.h:
include/classify.h:
include/stats.h:
include/mining_track.h:
include/proxy.h:
include/stash.h:
include/ssh.h:
include/ssh_track.h:
include/stratum.h:
include/verdict.h:
include/json.h:
include/det_ssh_model.h:
include/yconf.h:
