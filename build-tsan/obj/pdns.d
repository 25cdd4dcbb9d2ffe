build-tsan/obj/pdns.o: sensor/pdns.c include/cursor.h include/pdns.h \
 include/packet.h include/util.h
include/cursor.h:
include/pdns.h:
include/packet.h:
include/util.h:
