build-tsan/obj/main.o: sensor/main.c include/capture.h include/cfg.h \
 include/cfg_mining.h include/cfg_ssh.h include/cidr.h include/packet.h \
 include/log.h include/priv.h include/sensor.h include/cfg.h \
 include/classify.h include/stats.h include/detect.h include/flow.h \
 include/mining_track.h include/proxy.h include/stash.h include/ssh.h \
 include/ssh_track.h include/stratum.h include/verdict.h include/json.h \
 include/frag.h include/out_writer.h include/out_redis.h include/outq.h \
 include/rules.h include/util.h
include/capture.h:
include/cfg.h:
include/cfg_mining.h:
include/cfg_ssh.h:
include/cidr.h:
include/packet.h:
include/log.h:
include/priv.h:
include/sensor.h:
include/cfg.h:
include/classify.h:
include/stats.h:
include/detect.h:
include/flow.h:
include/mining_track.h:
include/proxy.h:
include/stash.h:
include/ssh.h:
include/ssh_track.h:
include/stratum.h:
include/verdict.h:
include/json.h:
include/frag.h:
include/out_writer.h:
include/out_redis.h:
include/outq.h:
include/rules.h:
include/util.h:
