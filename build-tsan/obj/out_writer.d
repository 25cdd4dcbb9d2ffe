build-tsan/obj/out_writer.o: sensor/out_writer.c include/log.h \
 include/out_file.h include/out_writer.h include/out_redis.h \
 include/outq.h include/stats.h include/spool.h
include/log.h:
include/out_file.h:
include/out_writer.h:
include/out_redis.h:
include/outq.h:
include/stats.h:
include/spool.h:
