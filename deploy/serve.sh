#!/usr/bin/env bash
# Latent Lab for a lecture hall on one machine: REPLICAS copies of the app on consecutive ports
# (127.0.0.1 only) behind Debian's nginx (the one port to open), students kept on one replica by
# a cookie. Ctrl-C (or SIGTERM) stops everything it started.
#
#   deploy/serve.sh                      # 3 replicas on 8501..8503, nginx on 0.0.0.0:8500
#   REPLICAS=2 PORT=80 deploy/serve.sh   # port 80 needs root (or CAP_NET_BIND_SERVICE for nginx)
#
# Settings (environment): REPLICAS (3), PORT (8500, nginx), LISTEN (0.0.0.0:$PORT), FIRST_PORT
# (8501), BIND (127.0.0.1: where replicas listen; a LAN address only when nginx runs elsewhere),
# PY (.venv/bin/python), NGINX (/usr/sbin/nginx), RUN_DIR (runs/serve: logs, pids, the rendered
# nginx.conf), RESTART (1: a replica that dies is started again), LAB_COOKIE_SECRET (default: one
# made once and kept in $RUN_DIR/cookie-secret, mode 600; the same on every replica).
# Several machines: run `NGINX=none BIND=<lan address> deploy/serve.sh` on each app machine (no
# nginx there) with one LAB_COOKIE_SECRET, and nginx with deploy/nginx.conf listing all of them.
set -euo pipefail
cd "$(dirname "$0")/.."

REPLICAS=${REPLICAS:-3}
PORT=${PORT:-8500}
LISTEN=${LISTEN:-0.0.0.0:$PORT}
FIRST_PORT=${FIRST_PORT:-8501}
BIND=${BIND:-127.0.0.1}
PY=${PY:-.venv/bin/python}
NGINX=${NGINX:-/usr/sbin/nginx}
RUN_DIR=${RUN_DIR:-runs/serve}
RESTART=${RESTART:-1}

say() { echo "[serve] $*" >&2; }
[ -x "$PY" ] || { say "no $PY: run \`make install\` first (or set PY)"; exit 1; }
if [ "$NGINX" != none ] && [ ! -x "$NGINX" ]; then
    say "no nginx at $NGINX: \`sudo apt-get install nginx\` (its own service may stay disabled)"; exit 1
fi
mkdir -p "$RUN_DIR/nginx-tmp"
RUN_DIR=$(cd "$RUN_DIR" && pwd)

# One cookie secret for every replica: Streamlit signs its cookies with it (XSRF, auth), and a
# student moved to another replica must still present valid ones. Passed by environment, not on
# the command line (which every user of the machine can read in `ps`).
if [ -z "${LAB_COOKIE_SECRET:-}" ]; then
    if [ ! -s "$RUN_DIR/cookie-secret" ]; then
        (umask 077; "$PY" -c 'import secrets; print(secrets.token_hex(32))' > "$RUN_DIR/cookie-secret")
    fi
    LAB_COOKIE_SECRET=$(cat "$RUN_DIR/cookie-secret")
fi
export STREAMLIT_SERVER_COOKIE_SECRET=$LAB_COOKIE_SECRET

in_use() {  # in_use HOST PORT: something already listens there
    (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}
for ((i = 0; i < REPLICAS; i++)); do
    if in_use "$BIND" $((FIRST_PORT + i)); then say "port $((FIRST_PORT + i)) is taken (another serve.sh?)"; exit 1; fi
done
if [ "$NGINX" != none ] && in_use 127.0.0.1 "${LISTEN##*:}"; then say "port ${LISTEN##*:} is taken"; exit 1; fi

declare -a PIDS
healthy() {  # healthy PORT: the replica answers /_stcore/health
    curl -fsS -o /dev/null --max-time 2 "http://$BIND:$1/_stcore/health" 2>/dev/null
}
start_replica() {  # start_replica INDEX
    local i=$1 port=$((FIRST_PORT + $1))
    "$PY" -m streamlit run app.py --server.port "$port" --server.address "$BIND" --server.headless true \
        --browser.gatherUsageStats false >> "$RUN_DIR/replica-$i.log" 2>&1 &
    PIDS[$i]=$!
    echo "${PIDS[$i]}" > "$RUN_DIR/replica-$i.pid"
}

stopping=0
stop_all() {
    [ "$stopping" = 1 ] && return
    stopping=1
    say "stopping"
    if [ -s "$RUN_DIR/nginx.pid" ]; then kill -QUIT "$(cat "$RUN_DIR/nginx.pid")" 2>/dev/null || true; fi
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for _ in $(seq 50); do
        alive=0
        for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ "$alive" = 0 ] && break
        sleep 0.2
    done
    for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    rm -f "$RUN_DIR"/replica-*.pid "$RUN_DIR/pids"
}
trap 'stop_all; exit 0' INT TERM
trap stop_all EXIT

for ((i = 0; i < REPLICAS; i++)); do start_replica "$i"; done
for ((i = 0; i < REPLICAS; i++)); do
    port=$((FIRST_PORT + i))
    for _ in $(seq 300); do healthy "$port" && break; sleep 0.2; done
    healthy "$port" || { say "replica $i did not start: see $RUN_DIR/replica-$i.log"; exit 1; }
done
(IFS=,; echo "${PIDS[*]}") > "$RUN_DIR/pids"
say "$REPLICAS replicas up on $BIND:$FIRST_PORT..$((FIRST_PORT + REPLICAS - 1)) (pids $(cat "$RUN_DIR/pids"))"

if [ "$NGINX" != none ]; then
    servers=""
    for ((i = 0; i < REPLICAS; i++)); do
        servers+="server $BIND:$((FIRST_PORT + i)) max_fails=1 fail_timeout=10s; "
    done
    sed -e "s|@RUN_DIR@|$RUN_DIR|g" -e "s|@LISTEN@|$LISTEN|g" -e "s|@UPSTREAM_SERVERS@|$servers|" \
        deploy/nginx.conf > "$RUN_DIR/nginx.conf"
    "$NGINX" -q -t -e "$RUN_DIR/nginx-error.log" -c "$RUN_DIR/nginx.conf"
    "$NGINX" -e "$RUN_DIR/nginx-error.log" -c "$RUN_DIR/nginx.conf"
    say "nginx on $LISTEN: open http://$(hostname -f 2>/dev/null || hostname):${LISTEN##*:}/ (config $RUN_DIR/nginx.conf)"
fi
say "logs in $RUN_DIR; Ctrl-C stops everything"

# Active health check (until Ctrl-C, or `kill -TERM` of this script when it runs in the background,
# where the shell ignores SIGINT): a replica whose process died is started again (its students have already
# moved: nginx sends their reconnects elsewhere); one that stops answering is reported.
declare -a MISSES
while true; do
    sleep 2
    for ((i = 0; i < REPLICAS; i++)); do
        if ! kill -0 "${PIDS[$i]}" 2>/dev/null; then
            if [ "$RESTART" = 1 ] && [ "$stopping" = 0 ]; then
                say "replica $i (port $((FIRST_PORT + i))) died: starting it again"
                start_replica "$i"
                (IFS=,; echo "${PIDS[*]}") > "$RUN_DIR/pids"
            fi
        elif healthy $((FIRST_PORT + i)); then
            MISSES[$i]=0
        else
            MISSES[$i]=$(( ${MISSES[$i]:-0} + 1 ))
            [ "${MISSES[$i]}" = 3 ] && say "replica $i has not answered /_stcore/health for 6 s"
        fi
    done
    if [ "$NGINX" != none ] && ! kill -0 "$(cat "$RUN_DIR/nginx.pid" 2>/dev/null || echo 0)" 2>/dev/null; then
        say "nginx stopped: see $RUN_DIR/nginx-error.log"; exit 1
    fi
done
