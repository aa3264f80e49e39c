# The local clusters, beside the single-node servers (sourced by servers.sh for `up --cluster` and `down`):
#   a Redis Cluster of 3 primaries + 3 replicas (redis-server --cluster-enabled yes, made by redis-cli --cluster create)
#   a Kafka cluster of 3 KRaft nodes (each broker and controller), topics with 3 replicas and min.insync.replicas=2.
# Ports: LATCHKEY_REDIS_CLUSTER_PORT (first of six, default 7001) and LATCHKEY_KAFKA_CLUSTER_PORT (first of three
# brokers, default 19092; their controllers take the next three). The services and tests find them in
# LATCHKEY_REDIS_CLUSTER_URL and LATCHKEY_KAFKA_CLUSTER_BOOTSTRAP (lib.sh).
# shellcheck shell=bash

REDIS_CLUSTER_DIR=$STATE_DIR/redis-cluster
KAFKA_CLUSTER_DIR=$STATE_DIR/kafka-cluster

# A node's CLUSTER INFO has the line given (read whole: grep -q would cut redis-cli off under pipefail).
cluster_info_has() { # port line
    local info
    info=$(redis-cli -p "$1" cluster info 2>/dev/null | tr -d '\r')
    grep -qx "$2" <<<"$info"
}

redis_cluster_ports() { local i; for i in 0 1 2 3 4 5; do echo $((REDIS_CLUSTER_PORT + i)); done; }

redis_cluster_up() {
    command -v redis-server >/dev/null || apt_install redis-server
    local p started=0
    for p in $(redis_cluster_ports); do
        if port_open "$p"; then
            [[ $(redis-cli -p "$p" info cluster 2>/dev/null | tr -d '\r') == *cluster_enabled:1* ]] ||
                die "port $p (Redis Cluster) is taken by something that is not a cluster node: $(port_owner_short "$p")"
            continue
        fi
        mkdir -p "$REDIS_CLUSTER_DIR/$p"
        # A node that starts again forgets the old cluster: the cluster is re-made below (it keeps nothing on disk).
        rm -f "$REDIS_CLUSTER_DIR/$p/nodes.conf"
        redis-server --daemonize yes --bind 127.0.0.1 --port "$p" --cluster-enabled yes \
            --cluster-config-file nodes.conf --cluster-node-timeout 3000 --save "" --appendonly no \
            --dir "$REDIS_CLUSTER_DIR/$p" --logfile "$REDIS_CLUSTER_DIR/$p/redis.log" \
            --pidfile "$REDIS_CLUSTER_DIR/$p/redis.pid" >/dev/null 2>&1 ||
            die "redis-server did not start on $p (see $REDIS_CLUSTER_DIR/$p/redis.log)"
        wait_port "$p" 15 || die "redis-server did not open port $p (see $REDIS_CLUSTER_DIR/$p/redis.log)"
        started=1
    done
    [ "$started" = 1 ] && mark_started redis-cluster
    if ! cluster_info_has "$REDIS_CLUSTER_PORT" cluster_state:ok; then
        local nodes=() n
        for p in $(redis_cluster_ports); do nodes+=("127.0.0.1:$p"); done
        # A half-made cluster (a node restarted alone) is made again from empty nodes.
        for p in $(redis_cluster_ports); do
            n=$(redis-cli -p "$p" cluster info | tr -d '\r' | sed -n 's/^cluster_known_nodes://p')
            if [ "${n:-1}" != 1 ]; then
                redis-cli -p "$p" flushall >/dev/null 2>&1
                redis-cli -p "$p" cluster reset hard >/dev/null 2>&1
            fi
        done
        redis-cli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes \
            >"$REDIS_CLUSTER_DIR/create.log" 2>&1 ||
            die "redis-cli --cluster create failed (see $REDIS_CLUSTER_DIR/create.log)"
        local i
        for i in $(seq 1 60); do
            cluster_info_has "$REDIS_CLUSTER_PORT" cluster_state:ok && break
            sleep 0.5
        done
        cluster_info_has "$REDIS_CLUSTER_PORT" cluster_state:ok ||
            die "the Redis Cluster on $REDIS_CLUSTER_PORT.. did not reach cluster_state:ok (see $REDIS_CLUSTER_DIR/create.log)"
    fi
    say "redis cluster 127.0.0.1:$REDIS_CLUSTER_PORT-$((REDIS_CLUSTER_PORT + 5))  (3 primaries, 3 replicas)"
}

redis_cluster_down() {
    was_started redis-cluster || return 0
    local p
    for p in $(redis_cluster_ports); do
        redis-cli -p "$p" shutdown nosave >/dev/null 2>&1 || stop_pid "$REDIS_CLUSTER_DIR/$p/redis.pid" "redis $p"
    done
    unmark redis-cluster
    say "stopped the redis cluster"
}

kafka_cluster_port() { echo $((KAFKA_CLUSTER_PORT + $1 - 1)); }
kafka_cluster_controller() { echo $((KAFKA_CLUSTER_PORT + 2 + $1)); }

kafka_cluster_up() {
    kafka_install
    local node voters="" dir port cport id=""
    for node in 1 2 3; do
        voters+="${voters:+,}$node@127.0.0.1:$(kafka_cluster_controller "$node")"
    done
    [ -f "$KAFKA_CLUSTER_DIR/cluster.id" ] && id=$(cat "$KAFKA_CLUSTER_DIR/cluster.id")
    for node in 1 2 3; do
        dir=$KAFKA_CLUSTER_DIR/node$node port=$(kafka_cluster_port "$node") cport=$(kafka_cluster_controller "$node")
        if pid_alive "$dir/kafka.pid"; then continue; fi
        for p in "$port" "$cport"; do
            port_open "$p" && die "port $p (Kafka cluster node $node) is taken: $(port_owner_short "$p")"
        done
        mkdir -p "$dir"
        sed -e "s#@NODE@#$node#" -e "s#@STATE@#$dir#" -e "s#@PORT@#$port#g" -e "s#@CONTROLLER_PORT@#$cport#g" \
            -e "s#@VOTERS@#$voters#" "$LATCHKEY_ROOT/deploy/local/kafka/cluster.properties" >"$dir/server.properties"
        if [ ! -f "$dir/data/meta.properties" ]; then
            if [ -z "$id" ]; then
                id=$(kafka_java kafka.tools.StorageTool random-uuid 2>>"$dir/kafka.log") ||
                    die "Kafka storage tool failed (see $dir/kafka.log)"
                echo "$id" >"$KAFKA_CLUSTER_DIR/cluster.id"
            fi
            kafka_java kafka.tools.StorageTool format -t "$id" -c "$dir/server.properties" >>"$dir/kafka.log" 2>&1 ||
                die "could not format Kafka storage of node $node (see $dir/kafka.log)"
        fi
        nohup "$JAVA" -Xms256m -Xmx512m -XX:+UseG1GC -cp "$KAFKA_DIR/libs/*" \
            -Dlog4j2.configurationFile="$LATCHKEY_ROOT/deploy/local/kafka/log4j2.properties" \
            kafka.Kafka "$dir/server.properties" >>"$dir/kafka.log" 2>&1 </dev/null &
        echo $! >"$dir/kafka.pid"
        mark_started kafka-cluster
    done
    for node in 1 2 3; do
        dir=$KAFKA_CLUSTER_DIR/node$node
        wait_port "$(kafka_cluster_port "$node")" 120 ||
            die "Kafka cluster node $node did not open port $(kafka_cluster_port "$node") within 120 s (see $dir/kafka.log)"
    done
    kafka_java "$LATCHKEY_ROOT/deploy/local/kafka/CreateTopics.java" "$LATCHKEY_KAFKA_CLUSTER_BOOTSTRAP" \
        "$LATCHKEY_ROOT/deploy/local/kafka/topics.txt" 3 2>>"$KAFKA_CLUSTER_DIR/topics.log" | sed 's/^/           /' ||
        die "could not create the Kafka topics on the cluster (see $KAFKA_CLUSTER_DIR/topics.log)"
    say "kafka cluster $LATCHKEY_KAFKA_CLUSTER_BOOTSTRAP  (3 KRaft nodes, replication factor 3, min.insync.replicas 2)"
}

kafka_cluster_down() {
    was_started kafka-cluster || return 0
    local node
    for node in 1 2 3; do
        stop_pid "$KAFKA_CLUSTER_DIR/node$node/kafka.pid" "kafka node $node"
    done
    unmark kafka-cluster
}
