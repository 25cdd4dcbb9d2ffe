build-tsan/obj/domset.o: sensor/domset.c include/cidr.h include/packet.h \
 include/domset.h
include/cidr.h:
include/packet.h:
include/domset.h:
