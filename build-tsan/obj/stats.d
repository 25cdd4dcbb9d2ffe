build-tsan/obj/stats.o: sensor/stats.c include/stats.h
include/stats.h:
