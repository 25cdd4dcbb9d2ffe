build-tsan/obj/sensor.o: sensor/sensor.c include/community_id.h \
 include/flow.h include/cfg.h include/cfg_mining.h include/cfg_ssh.h \
 include/cidr.h include/packet.h include/classify.h include/stats.h \
 include/mining_track.h include/proxy.h include/stash.h include/ssh.h \
 include/ssh_track.h include/stratum.h include/verdict.h include/decode.h \
 include/det_mining.h include/json.h include/det_ssh.h include/detect.h \
 include/log.h include/sensor.h include/detect.h include/frag.h \
 include/out_writer.h include/out_redis.h include/outq.h include/rules.h \
 include/ssh.h include/stratum.h include/util.h
include/community_id.h:
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
include/decode.h:
include/det_mining.h:
include/json.h:
include/det_ssh.h:
include/detect.h:
include/log.h:
include/sensor.h:
include/detect.h:
include/frag.h:
include/out_writer.h:
include/out_redis.h:
include/outq.h:
include/rules.h:
include/ssh.h:
include/stratum.h:
include/util.h:
