build-tsan/obj/stratum.o: sensor/stratum.c include/cursor.h \
 include/jscan.h include/stash.h include/stratum.h include/stash.h
include/cursor.h:
include/jscan.h:
include/stash.h:
include/stratum.h:
include/stash.h:
