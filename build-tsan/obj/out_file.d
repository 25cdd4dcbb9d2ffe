build-tsan/obj/out_file.o: sensor/out_file.c include/log.h \
 include/out_file.h
include/log.h:
include/out_file.h:
