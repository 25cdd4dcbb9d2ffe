build-tsan/obj/util.o: sensor/util.c include/util.h
include/util.h:
