build-tsan/obj/log.o: sensor/log.c include/log.h
include/log.h:
