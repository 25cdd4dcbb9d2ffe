build-tsan/obj/spool.o: sensor/spool.c include/log.h include/outq.h \
 include/spool.h
include/log.h:
include/outq.h:
include/spool.h:
