build-tsan/obj/stash.o: sensor/stash.c include/stash.h
include/stash.h:
