build-tsan/obj/capture.o: sensor/capture.c include/capture.h \
 include/util.h
include/capture.h:
include/util.h:
