build-tsan/obj/proxy.o: sensor/proxy.c include/cidr.h include/packet.h \
 include/cursor.h include/proxy.h include/stash.h
include/cidr.h:
include/packet.h:
include/cursor.h:
include/proxy.h:
include/stash.h:
