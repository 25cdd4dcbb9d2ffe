build-tsan/obj/decode_l4.o: sensor/decode_l4.c include/cursor.h \
 include/decode.h include/packet.h include/stats.h include/decode_int.h \
 include/cursor.h include/decode.h
include/cursor.h:
include/decode.h:
include/packet.h:
include/stats.h:
include/decode_int.h:
include/cursor.h:
include/decode.h:
