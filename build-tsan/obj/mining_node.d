build-tsan/obj/mining_node.o: sensor/mining_node.c include/cursor.h \
 include/mining_node.h include/mining_track.h include/packet.h \
 include/util.h
include/cursor.h:
include/mining_node.h:
include/mining_track.h:
include/packet.h:
include/util.h:
