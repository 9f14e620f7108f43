#!/bin/sh
# The connector's entrypoint in its image. The platform runs it with a bare command word and its
# options (spec; check --config FILE; write --config FILE --catalog FILE, messages on stdin); the
# runner accepts those as they are. The heap is sized by the JVM from the container's memory limit
# (DESTKIT_JVM_DEFAULTS, set by the image); JAVA_OPTS and DESTKIT_JAVA_OPTS come after it, so any
# option given there wins.
# shellcheck disable=SC2086  # option lists are split into words on purpose
exec java $DESTKIT_JVM_DEFAULTS ${JAVA_OPTS:-} ${DESTKIT_JAVA_OPTS:-} -jar "/airbyte/lib/$APPLICATION.jar" "$@"
