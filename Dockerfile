# Annexgate container image.
#
#   docker build -t annexgate .
#   docker run -p 9417:9417 -p 9416:9416 -v "$PWD/repos:/data/repos" \
#     -e ANNEXGATE_DIRECTORIES=/data/repos -e ANNEXGATE_AUTH_WIDEOPEN=true annexgate
#
# Stage 1 builds the layered Spring Boot jar with Maven on a JDK 25.
# Stage 2 is Debian trixie (its git-annex is new enough for the P2P HTTP
# protocol) with the Temurin 25 JRE copied in, running as an unprivileged user.
# The build uses no BuildKit-only syntax and names its base images literally,
# so the classic builder (which Testcontainers drives) builds it too and
# Testcontainers can pull the bases before the build.

FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /build
# Resolve dependencies in their own layer so that source edits do not re-download them.
COPY pom.xml ./
RUN mvn -B -q -Dmaven.test.skip=true dependency:go-offline || true
COPY src ./src
RUN mvn -B -q -Dmaven.test.skip=true package \
 && java -Djarmode=tools -jar target/annexgate.jar extract --layers --destination /build/layers

FROM eclipse-temurin:25-jre AS jre

FROM debian:trixie-slim
ARG UID=10001
ARG GID=10001
# git-annex 10.20240731 is the first release with `git annex p2phttp`; refuse to build with an older one.
ARG MIN_GIT_ANNEX=10.20240731
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates git git-annex openssh-client tini \
 && rm -rf /var/lib/apt/lists/* \
 && v="$(git-annex version --raw)" \
 && echo "git-annex $v" \
 && dpkg --compare-versions "$v" ge "${MIN_GIT_ANNEX}" \
 && groupadd --gid "${GID}" annexgate \
 && useradd --uid "${UID}" --gid "${GID}" --home-dir /home/annexgate --create-home \
      --shell /usr/sbin/nologin annexgate \
 && mkdir -p /data/repos \
 && chown -R "${UID}:${GID}" /data

COPY --from=jre /opt/java/openjdk /opt/java/openjdk

WORKDIR /app
# One COPY per layer, least often changed first.
COPY --from=build /build/layers/dependencies/ ./
COPY --from=build /build/layers/spring-boot-loader/ ./
COPY --from=build /build/layers/snapshot-dependencies/ ./
COPY --from=build /build/layers/application/ ./

# The JVM heap is sized from the container's memory limit; the rest is left to
# direct buffers (capped), the git and git-annex child processes, thread stacks
# and metaspace. The collector is chosen (ParallelGC, as bin/annexgate), not left
# to the JVM's guess from the machine; the JVM counts processors from the CPU
# limit itself. A crash log or heap dump goes to /tmp, never to the
# repositories: mount something writable there (the Helm chart's emptyDir).
# GIT_CONFIG_*: repositories on a volume may belong to another uid
# (safe.directory), and commits to the git-annex branch need an identity
# even when the uid has no passwd entry.
ENV LANG=C.UTF-8 \
    JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/home/annexgate \
    JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=60.0 -XX:+ExitOnOutOfMemoryError -XX:+UseParallelGC -XX:MaxDirectMemorySize=128m -XX:ErrorFile=/tmp/hs_err_pid%p.log -XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath=/tmp/annexgate-heap.hprof" \
    ANNEXGATE_PORT=9417 \
    MANAGEMENT_SERVER_PORT=9416 \
    MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED=true \
    GIT_CONFIG_COUNT=3 \
    GIT_CONFIG_KEY_0=safe.directory \
    GIT_CONFIG_VALUE_0=* \
    GIT_CONFIG_KEY_1=user.name \
    GIT_CONFIG_VALUE_1=annexgate \
    GIT_CONFIG_KEY_2=user.email \
    GIT_CONFIG_VALUE_2=annexgate@localhost

USER ${UID}:${GID}
# The server serves the repository in its working directory unless
# ANNEXGATE_REPOSITORY or ANNEXGATE_DIRECTORIES say otherwise.
WORKDIR /data/repos
# 9417: git-annex P2P HTTP API; 9416: management (health probes, Prometheus).
EXPOSE 9417 9416
# No HEALTHCHECK: orchestrators probe /actuator/health/liveness and /readiness on 9416.
ENTRYPOINT ["/usr/bin/tini", "--", "java", "-jar", "/app/annexgate.jar"]
