build-tsan/obj/jscan.o: sensor/jscan.c include/jscan.h
include/jscan.h:
