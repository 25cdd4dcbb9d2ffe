build-tsan/obj/outq.o: sensor/outq.c include/log.h include/outq.h
include/log.h:
include/outq.h:
