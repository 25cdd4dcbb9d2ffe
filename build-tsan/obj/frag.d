build-tsan/obj/frag.o: sensor/frag.c include/frag.h include/packet.h
include/frag.h:
include/packet.h:
