build-tsan/obj/out_redis.o: sensor/out_redis.c include/log.h \
 include/out_redis.h include/outq.h
include/log.h:
include/out_redis.h:
include/outq.h:
