build-tsan/obj/decode_ip.o: sensor/decode_ip.c include/cursor.h \
 include/decode.h include/packet.h include/stats.h include/decode_int.h \
 include/cursor.h include/decode.h
include/cursor.h:
include/decode.h:
include/packet.h:
include/stats.h:
include/decode_int.h:
include/cursor.h:
include/decode.h:
