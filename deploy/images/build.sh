#!/usr/bin/env bash
# Builds the container images of the four services with Quarkus' Jib extension. No Docker daemon, no Dockerfile:
#
#   deploy/images/build.sh                       image archives in target/images/ (otp-service-0.1.0.tar, ...)
#   deploy/images/build.sh --push REGISTRY       push REGISTRY/latchkey/<service>:<tag> (registry login from
#                                                ~/.docker/config.json or a credential helper, as Jib reads them)
# Options:
#   --tag TAG        image tag (default: the Maven project version without -SNAPSHOT, the tag the manifests pin)
#   --base IMAGE     JVM base image (default below: Red Hat UBI 9 OpenJDK 25 runtime, pinned)
#   --only LIST      comma-separated services, e.g. --only otp-service,token-service
#   extra arguments after -- go to Maven.
#
# Images: JVM mode (fast-jar, dependencies in their own layers), user 185 (non-root), working directory
# /home/jboss, the heap sized from the container memory limit. The base image is pulled from its registry when the
# image is built; the ordinary build (./mvnw verify, CI) never builds or pulls images.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
services="otp-service,token-service,delivery-service,admin-service"
base="registry.access.redhat.com/ubi9/openjdk-25-runtime:1.24"
registry=""
tag=""
maven_args=()

while [ $# -gt 0 ]; do
    case "$1" in
        --push) registry="${2:?--push needs a registry}"; shift 2 ;;
        --tag) tag="${2:?--tag needs a value}"; shift 2 ;;
        --base) base="${2:?--base needs an image}"; shift 2 ;;
        --only) services="${2:?--only needs a list}"; shift 2 ;;
        --) shift; maven_args=("$@"); break ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        *) echo "build.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done

if [ -z "$tag" ]; then
    version="$(sed -n '/<artifactId>latchkey-parent<\/artifactId>/,/<\/version>/s/.*<version>\(.*\)<\/version>.*/\1/p' "$root/pom.xml" | head -1)"
    tag="${version%-SNAPSHOT}"
fi
case "$tag" in ""|latest) echo "build.sh: refusing tag '$tag': pin a version" >&2; exit 2 ;; esac

if [ -z "${JAVA_HOME:-}" ]; then
    for jdk in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64; do
        [ -x "$jdk/bin/java" ] && export JAVA_HOME="$jdk" && break
    done
fi

image_args=(
    -Dquarkus.container-image.build=true
    -Dquarkus.container-image.group=latchkey
    -Dquarkus.container-image.tag="$tag"
    -Dquarkus.jib.base-jvm-image="$base"
    -Dquarkus.jib.user=185
    "-Dquarkus.jib.jvm-additional-arguments=-XX:MaxRAMPercentage=70,-XX:+ExitOnOutOfMemoryError"
)
if [ -n "$registry" ]; then
    image_args+=(-Dquarkus.container-image.push=true -Dquarkus.container-image.registry="$registry")
else
    export LATCHKEY_IMAGE_DIR="$root/target/images"
    image_args+=(-Dquarkus.jib.docker-executable-name="$here/docker-load-to-tar")
fi

cd "$root"
./mvnw -B -ntp package -DskipTests -pl "$services" -am "${image_args[@]}" "${maven_args[@]}"

if [ -z "$registry" ]; then
    echo "build.sh: image archives (tag $tag):"
    ls -1 "$LATCHKEY_IMAGE_DIR"/*-"$tag".tar
else
    echo "build.sh: pushed $registry/latchkey/{${services}}:$tag"
fi
