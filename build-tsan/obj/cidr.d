build-tsan/obj/cidr.o: sensor/cidr.c include/cidr.h include/packet.h
include/cidr.h:
include/packet.h:
