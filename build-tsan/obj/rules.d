build-tsan/obj/rules.o: sensor/rules.c include/cfg.h include/cfg_mining.h \
 include/cfg_ssh.h include/cidr.h include/packet.h include/domset.h \
 include/rules.h include/cfg.h include/yconf.h
include/cfg.h:
include/cfg_mining.h:
include/cfg_ssh.h:
include/cidr.h:
include/packet.h:
include/domset.h:
include/rules.h:
include/cfg.h:
include/yconf.h:
