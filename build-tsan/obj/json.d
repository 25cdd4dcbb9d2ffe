build-tsan/obj/json.o: sensor/json.c include/json.h
include/json.h:
