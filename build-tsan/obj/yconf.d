build-tsan/obj/yconf.o: sensor/yconf.c include/log.h include/yconf.h
include/log.h:
include/yconf.h:
