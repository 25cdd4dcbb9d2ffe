build-tsan/obj/classify.o: sensor/classify.c /usr/include/ndpi/ndpi_api.h \
 /usr/include/ndpi/ndpi_main.h /usr/include/ndpi/ndpi_includes.h \
 /usr/include/ndpi/ndpi_define.h /usr/include/ndpi/ndpi_protocol_ids.h \
 /usr/include/ndpi/ndpi_typedefs.h /usr/include/ndpi/ndpi_utils.h \
 /usr/include/ndpi/ndpi_patricia_typedefs.h /usr/include/ndpi/ndpi_api.h \
 /usr/include/ndpi/ndpi_protocols.h include/classify.h include/packet.h \
 include/stats.h include/log.h include/util.h
/usr/include/ndpi/ndpi_api.h:
/usr/include/ndpi/ndpi_main.h:
/usr/include/ndpi/ndpi_includes.h:
/usr/include/ndpi/ndpi_define.h:
/usr/include/ndpi/ndpi_protocol_ids.h:
/usr/include/ndpi/ndpi_typedefs.h:
/usr/include/ndpi/ndpi_utils.h:
/usr/include/ndpi/ndpi_patricia_typedefs.h:
/usr/include/ndpi/ndpi_api.h:
/usr/include/ndpi/ndpi_protocols.h:
include/classify.h:
include/packet.h:
include/stats.h:
include/log.h:
include/util.h:
