#!/usr/bin/env bash
# Start/stop a real local Neo4j 5 (Community, embedded, Bolt only) built from Maven Central.
#
#   neo4j.sh fetch                                   build launcher + copy jars into the cache (once)
#   neo4j.sh start [--port N] [--data DIR] [--password PW] [--state DIR]
#   neo4j.sh status [--state DIR]                    exit 0 if running, 3 if not
#   neo4j.sh stop [--state DIR]
#
# `start` prints NEO4J_URI=..., NEO4J_USER=..., NEO4J_PASSWORD=... on stdout (eval-able);
# all other messages go to stderr.
#
# Environment:
#   REKG_NEO4J_HOME           cache of launcher + jars     (default ~/.cache/rekg/neo4j)
#   REKG_NEO4J_STATE          state dir of one server      (default ~/.cache/rekg/neo4j-state)
#   REKG_NEO4J_HEAP           JVM max heap                 (default 512m)
#   REKG_NEO4J_PAGECACHE      page cache in MiB            (default 256)
#   REKG_NEO4J_START_TIMEOUT  seconds to wait for Bolt     (default 120)
#   REKG_NEO4J_JAVA_OPTS      extra JVM options (appended last, so they win)
#   REKG_NEO4J_CONFIG         more Neo4j settings, name=value;name=value (applied last)
#   REKG_NEO4J_CDS=0          fetch without the class-data archive (slower starts, faster fetch)
#   JAVA                      java binary                  (default: $JAVA_HOME/bin/java or java)
#
# State dir layout (one small file per value, written without a trailing newline):
#   pid  port  uri  user  password(0600)  data  data_is_temp (present if `data` is a temp dir
#   we made: it is deleted on stop; a --data dir is kept)  env (0600, the three NEO4J_* lines)
#   neo4j.log (launcher stdout/stderr; Neo4j's own logs are in DATA/logs)  lock (flock)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${REKG_NEO4J_HOME:-$HOME/.cache/rekg/neo4j}
STATE=${REKG_NEO4J_STATE:-$HOME/.cache/rekg/neo4j-state}
HEAP=${REKG_NEO4J_HEAP:-512m}
START_TIMEOUT=${REKG_NEO4J_START_TIMEOUT:-120}
STOP_TIMEOUT=60
CDS=${REKG_NEO4J_CDS:-1}
if [[ -n ${JAVA:-} ]]; then :; elif [[ -n ${JAVA_HOME:-} ]]; then JAVA=$JAVA_HOME/bin/java; else JAVA=java; fi

die() { echo "neo4j.sh: $*" >&2; exit 1; }
log() { echo "neo4j.sh: $*" >&2; }

# --- fetch: compile the launcher and copy all runtime jars into $CACHE, once -----------------

# The cache is valid for exactly this pom.xml + launcher source.
stamp() { cat "$HERE/pom.xml" "$HERE/src/main/java/rekg/Neo4jLauncher.java" | sha256sum | cut -d' ' -f1; }

cache_ok() { [[ -f $CACHE/stamp && $(cat "$CACHE/stamp") == "$(stamp)" && -f $CACHE/launcher.jar ]]; }

# fetch [explicit]: called by `start` with no argument, by the `fetch` subcommand with one;
# only the latter also (re)tries the class-data archive on an otherwise complete cache.
fetch() {
    cache_ok && { [[ -z ${1:-} || -f $CACHE/classes.jsa || $CDS == 0 ]]; } && return 0
    mkdir -p "$CACHE"
    # Several test processes may fetch at once: serialise on a lock file in the cache.
    exec 8>"$CACHE/.lock"
    flock 8
    if ! cache_ok; then
        command -v mvn >/dev/null || die "fetch failed: mvn (Maven 3.8+) is not installed"
        log "fetching Neo4j jars from Maven Central into $CACHE (first run only) ..."
        rm -rf "$CACHE/build" "$CACHE/lib.new" "$CACHE/classes.jsa"
        if ! mvn -B -q -f "$HERE/pom.xml" -Drekg.build.dir="$CACHE/build" \
                package dependency:copy-dependencies -DoutputDirectory="$CACHE/lib.new" \
                >"$CACHE/fetch.log" 2>&1; then
            tail -n 30 "$CACHE/fetch.log" >&2
            die "fetch failed: Maven build did not succeed (full log: $CACHE/fetch.log)"
        fi
        rm -rf "$CACHE/lib"
        mv "$CACHE/lib.new" "$CACHE/lib"
        cp "$CACHE/build/rekg-neo4j-launcher.jar" "$CACHE/launcher.jar"
        rm -rf "$CACHE/build"
        stamp >"$CACHE/stamp"
        log "fetch done ($(ls "$CACHE/lib" | wc -l) jars)"
    fi
    if [[ $CDS != 0 && ! -f $CACHE/classes.jsa ]]; then
        make_cds_archive || log "warning: no class-data archive, starts will be a few seconds slower"
    fi
    exec 8>&-
}

# Start the server once on a throwaway store and let the JVM dump the classes it loaded into
# $CACHE/classes.jsa (AppCDS, Java 13+). Later starts map that archive: about 4-6 s faster.
# If the JDK or the jars change, the JVM just warns in the log and ignores the archive.
make_cds_archive() {
    local tmp port pid ok=""
    log "creating the class-data archive (one trial start) ..."
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/rekg-neo4j.XXXXXX")
    port=$(free_port) || return 1
    NEO4J_PASSWORD=cds-training launch_java "$tmp/db" "$port" "$tmp/log" \
        -XX:ArchiveClassesAtExit="$CACHE/classes.jsa.tmp"
    pid=$!
    if wait_ready "$pid" "$port" "$tmp/log"; then ok=1; fi
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true  # the archive is written while the JVM exits
    if [[ -n $ok && -s $CACHE/classes.jsa.tmp ]]; then
        mv "$CACHE/classes.jsa.tmp" "$CACHE/classes.jsa"
    else
        tail -n 20 "$tmp/log" >&2
        rm -f "$CACHE/classes.jsa.tmp"
        ok=""
    fi
    rm -rf -- "$tmp"
    [[ -n $ok ]]
}

# launch_java DATA PORT LOGFILE [JVM_OPTION...]: run the launcher in the background ($! = pid).
# The caller puts the password in NEO4J_PASSWORD (environment, so it is not visible in ps).
launch_java() {
    local data=$1 port=$2 logf=$3; shift 3
    local opts=(-Xms128m -Xmx"$HEAP" -XX:+ExitOnOutOfMemoryError
        # C1 JIT only: reaches READY about twice as fast on 2 busy cores (the first Cypher
        # queries are compiled much sooner); override with REKG_NEO4J_JAVA_OPTS=-XX:TieredStopAtLevel=4
        -XX:TieredStopAtLevel=1
        # As Neo4j's own neo4j.conf does:
        --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
        --add-opens=java.base/sun.nio.ch=ALL-UNNAMED -Dio.netty.tryReflectionSetAccessible=true
        -Djdk.nio.maxCachedBufferSize=1024 -Dlog4j2.disable.jmx=true)
    [[ -f $CACHE/classes.jsa ]] && opts+=(-XX:SharedArchiveFile="$CACHE/classes.jsa")
    # shellcheck disable=SC2206  # REKG_NEO4J_JAVA_OPTS is deliberately word-split
    opts+=("$@" ${REKG_NEO4J_JAVA_OPTS:-})
    # setsid: own session, so a Ctrl-C in the caller's terminal does not kill the server.
    # 8>&- 9>&-: the server must not inherit our lock fds (it would hold the locks forever).
    nohup setsid "$JAVA" "${opts[@]}" -cp "$CACHE/launcher.jar:$CACHE/lib/*" \
        rekg.Neo4jLauncher "$data" "$port" >"$logf" 2>&1 </dev/null 8>&- 9>&- &
}

# wait_ready PID PORT LOGFILE: 0 when the launcher printed READY and Bolt answers;
# 1 if the process died; 2 on timeout.
wait_ready() {
    local deadline=$((SECONDS + START_TIMEOUT))
    while ((SECONDS < deadline)); do
        kill -0 "$1" 2>/dev/null || return 1
        if grep -qs '^READY ' "$3" && bolt_ok "$2"; then return 0; fi
        sleep 0.5
    done
    return 2
}

# --- helpers ------------------------------------------------------------------------------

# True if $1 is a live process running our launcher (guards against stale pid files / reuse).
is_ours() { [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q 'rekg.Neo4jLauncher'; }

running_pid() { local pid; pid=$(cat "$STATE/pid" 2>/dev/null || true); is_ours "$pid" && echo "$pid"; }

free_port() {
    local p
    # Ask the kernel for a free port (python3 is there in this project); else try random ones.
    if p=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null) \
            && [[ -n $p ]]; then
        echo "$p"; return 0
    fi
    for _ in $(seq 50); do
        p=$((20000 + RANDOM % 40000))
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
    done
    return 1
}

# Bolt handshake: magic 0x6060B017 + four version proposals (5.0-5.8, 4.2-4.4); a Bolt server
# answers with the 4-byte version it picked (non-zero). Proves Bolt, not just an open port.
bolt_ok() {
    local resp
    resp=$(timeout 5 bash -c '
        exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
        printf "\x60\x60\xb0\x17\x00\x08\x08\x05\x00\x02\x04\x04\x00\x00\x00\x00\x00\x00\x00\x00" >&3
        head -c 4 <&3 | od -An -tx1' _ "$1" 2>/dev/null) || return 1
    resp=${resp//[[:space:]]/}
    [[ ${#resp} -eq 8 && $resp != 00000000 ]]
}

print_env() { cat "$STATE/env"; }

# Remove what we put in $STATE (and a temp data dir we created); never rm -rf the state dir itself.
clear_state() {
    if [[ -f $STATE/data_is_temp ]]; then
        local d; d=$(cat "$STATE/data")
        [[ $(basename "$d") == rekg-neo4j.* ]] && rm -rf -- "$d"
    fi
    rm -f "$STATE"/{pid,port,uri,user,password,data,data_is_temp,env,neo4j.log}
}

# clear_state, then drop the lock file and the state dir itself if nothing else is in it.
remove_state() { clear_state; rm -f "$STATE/lock"; rmdir "$STATE" 2>/dev/null || true; }

# lock_state SECONDS: serialise start/stop on one state dir; non-zero if not locked in time.
lock_state() { mkdir -p "$STATE"; exec 9>"$STATE/lock"; flock -w "$1" 9; }

# --- subcommands --------------------------------------------------------------------------

start() {
    local port="" data="" password=""
    while [[ $# -gt 0 ]]; do
        case $1 in
            --port) port=${2:?--port needs a value}; shift 2 ;;
            --data) data=${2:?--data needs a value}; shift 2 ;;
            --password) password=${2:?--password needs a value}; shift 2 ;;
            *) die "start: unknown option $1" ;;
        esac
    done
    lock_state $((START_TIMEOUT + 600)) || die "start failed: another neo4j.sh keeps $STATE/lock"
    if running_pid >/dev/null; then
        log "already running at $(cat "$STATE/uri") (pid $(cat "$STATE/pid"), state $STATE)"
        print_env
        return 0
    fi
    [[ -f $STATE/pid ]] && { log "removing stale state in $STATE"; clear_state; }
    # Any failure (or interruption) from here on leaves neither a server nor state behind.
    trap 'kill -KILL "$(cat "$STATE/pid" 2>/dev/null)" 2>/dev/null; remove_state' EXIT

    fetch
    command -v "$JAVA" >/dev/null || die "start failed: java (17+) not found"
    [[ -n $password ]] || password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=' | head -c 20)
    local data_is_temp=""
    if [[ -z $data ]]; then
        data=$(mktemp -d "${TMPDIR:-/tmp}/rekg-neo4j.XXXXXX"); data_is_temp=1
    else
        mkdir -p "$data"; data=$(cd "$data" && pwd)
    fi

    # With an auto-picked port another process may grab it first: then retry with a new one.
    local tries=1 attempt pid="" fixed_port=$port
    [[ -z $fixed_port ]] && tries=3
    for ((attempt = 1; attempt <= tries; attempt++)); do
        [[ -n $fixed_port ]] || port=$(free_port) || die "start failed: no free port found"
        local uri="bolt://127.0.0.1:$port"
        # Record state first so that `stop` can clean up even if we are interrupted.
        printf '%s' "$port" >"$STATE/port"
        printf '%s' "$uri" >"$STATE/uri"
        printf '%s' "neo4j" >"$STATE/user"
        (umask 077; printf '%s' "$password" >"$STATE/password")
        printf '%s' "$data" >"$STATE/data"
        [[ -n $data_is_temp ]] && : >"$STATE/data_is_temp"
        (umask 077; printf 'NEO4J_URI=%s\nNEO4J_USER=neo4j\nNEO4J_PASSWORD=%s\n' "$uri" "$password" >"$STATE/env")

        NEO4J_PASSWORD=$password launch_java "$data" "$port" "$STATE/neo4j.log"
        pid=$!
        printf '%s' "$pid" >"$STATE/pid"

        local rc=0
        wait_ready "$pid" "$port" "$STATE/neo4j.log" || rc=$?
        if ((rc == 0)); then
            log "started $uri (pid $pid, data $data, state $STATE)"
            print_env
            trap - EXIT
            return 0
        fi
        if ((rc == 2)); then  # still alive but not ready in time (the exit trap kills it)
            tail -n 30 "$STATE/neo4j.log" >&2
            die "start failed: Bolt did not answer on port $port within ${START_TIMEOUT}s"
        fi
        # The process died: retry only for a bind conflict on an auto-picked port.
        if ((attempt < tries)) && grep -qi 'address already in use' "$STATE/neo4j.log"; then
            log "port $port was taken, retrying"
            continue
        fi
        tail -n 30 "$STATE/neo4j.log" >&2
        local why
        why=$(grep -m1 '^ERROR ' "$STATE/neo4j.log" | cut -c7-200 || true)
        die "start failed: Neo4j exited before it was ready${why:+: $why} (see log tail above)"
    done
}

stop() {
    [[ $# -eq 0 ]] || die "stop: unknown option $1"
    [[ -d $STATE ]] || { log "stopped (no state in $STATE)"; return 0; }
    lock_state 60 || log "warning: $STATE/lock is held elsewhere, stopping anyway"
    local pid; pid=$(running_pid || true)
    if [[ -n $pid ]]; then
        kill -TERM "$pid"
        local deadline=$((SECONDS + STOP_TIMEOUT))
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
        if kill -0 "$pid" 2>/dev/null; then
            log "no clean exit after ${STOP_TIMEOUT}s, sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
        fi
        log "stopped pid $pid"
    else
        log "not running"
    fi
    remove_state
}

status() {
    [[ $# -eq 0 ]] || die "status: unknown option $1"
    local pid; pid=$(running_pid || true)
    if [[ -n $pid ]]; then
        echo "running $(cat "$STATE/uri") pid $pid"
        return 0
    fi
    echo "stopped"
    return 3
}

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

# --state DIR may appear anywhere among the arguments.
cmd=${1:-}; [[ $# -gt 0 ]] && shift
args=()
while [[ $# -gt 0 ]]; do
    if [[ $1 == --state ]]; then STATE=${2:?--state needs a value}; shift 2
    else args+=("$1"); shift; fi
done
STATE=$(mkdir -p "$(dirname "$STATE")" && cd "$(dirname "$STATE")" && pwd)/$(basename "$STATE")

case $cmd in
    fetch) fetch explicit; log "cache ready: $CACHE" ;;
    start) start "${args[@]+"${args[@]}"}" ;;
    stop) stop "${args[@]+"${args[@]}"}" ;;
    status) status "${args[@]+"${args[@]}"}" ;;
    *) usage ;;
esac
