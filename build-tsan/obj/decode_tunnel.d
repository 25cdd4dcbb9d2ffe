build-tsan/obj/decode_tunnel.o: sensor/decode_tunnel.c include/cursor.h \
 include/decode.h include/packet.h include/stats.h include/decode_int.h \
 include/cursor.h include/decode.h
include/cursor.h:
include/decode.h:
include/packet.h:
include/stats.h:
include/decode_int.h:
include/cursor.h:
include/decode.h:
