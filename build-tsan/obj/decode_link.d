build-tsan/obj/decode_link.o: sensor/decode_link.c include/cursor.h \
 include/decode.h include/packet.h include/stats.h include/decode_int.h \
 include/cursor.h include/decode.h
include/cursor.h:
include/decode.h:
include/packet.h:
include/stats.h:
include/decode_int.h:
include/cursor.h:
include/decode.h:
