#!/bin/sh
# Fails when a banned C function (STYLE.md convention 15) or a VLA-prone
# construct appears in the sensor's sources or tools.
bad=$(grep -nE '\b(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|strtok)[[:space:]]*\(' \
    sensor/*.c include/*.h tools/*.c tests/unit/*.c 2>/dev/null)
if [ -n "$bad" ]; then
	echo "banned functions:" >&2
	echo "$bad" >&2
	exit 1
fi
echo "check-banned: ok"
