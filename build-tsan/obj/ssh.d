build-tsan/obj/ssh.o: sensor/ssh.c include/classify.h include/packet.h \
 include/stats.h include/cursor.h include/ssh.h include/stash.h
include/classify.h:
include/packet.h:
include/stats.h:
include/cursor.h:
include/ssh.h:
include/stash.h:
