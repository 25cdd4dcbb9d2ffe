build-tsan/tests/test_outq: tests/unit/test_outq.c include/outq.h
include/outq.h:
