build-tsan/obj/detect.o: sensor/detect.c include/cidr.h include/packet.h \
 include/det_mining.h include/cfg.h include/cfg_mining.h \
 include/cfg_ssh.h include/cidr.h include/flow.h include/classify.h \
 include/stats.h include/mining_track.h include/proxy.h include/stash.h \
 include/ssh.h include/ssh_track.h include/stratum.h include/verdict.h \
 include/json.h include/det_ssh.h include/detect.h
include/cidr.h:
include/packet.h:
include/det_mining.h:
include/cfg.h:
include/cfg_mining.h:
include/cfg_ssh.h:
include/cidr.h:
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
include/det_ssh.h:
include/detect.h:
