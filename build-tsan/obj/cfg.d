build-tsan/obj/cfg.o: sensor/cfg.c include/cfg.h include/cfg_mining.h \
 include/cfg_ssh.h include/cidr.h include/packet.h include/domset.h \
 include/log.h include/rules.h include/cfg.h include/yconf.h
include/cfg.h:
include/cfg_mining.h:
include/cfg_ssh.h:
include/cidr.h:
include/packet.h:
include/domset.h:
include/log.h:
include/rules.h:
include/cfg.h:
include/yconf.h:
