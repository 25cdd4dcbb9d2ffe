build-tsan/obj/priv.o: sensor/priv.c include/log.h include/priv.h
include/log.h:
include/priv.h:
