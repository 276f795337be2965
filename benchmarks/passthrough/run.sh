#!/usr/bin/env bash
# Passthrough load benchmark: Sketchgate vs nginx as a reverse proxy, both in front of the same fast upstream
# (nginx serving a fixed ~2.4 KB Elasticsearch _search response), measured in one run with the same load
# generators. See benchmarks/README.md, "Passthrough vs nginx".
#
#   benchmarks/passthrough/run.sh [--duration 15] [--connections 64] [--threads 2] [--warmup 30] [--rounds 3]
#                                 [--request governed|search|get] [--no-access-log-off-run] [--no-policy-run]
#                                 [--policy] [--variants LIST] [--keep]
#
# Fair by construction: the access log is on, in JSON, on both proxies (nginx with buffered writes, 64k/1s;
# Sketchgate batches every 20 ms), each target gets a WARMUP-second run before each measurement (30 s: the JVM is
# compiled by then), and ROUNDS rounds run in rotating target order (round r starts at target r), medians reported.
# Phase (a), saturating load: wrk -t THREADS -c CONNECTIONS -d DURATION against each target. Beside req/s and
#   latency: CPU us per request of the target's processes (utime+stime from /proc/PID/stat over the measured run;
#   nginx: its workers) and, for Sketchgate, bytes allocated per request (heap used after minus before, plus what
#   the young GCs in between freed, from -Xlog:gc and jcmd GC.heap_info; about +-200 B).
# Phase (b), half load: a constant rate of half Sketchgate's phase-(a) throughput against each target, with
#   the open-loop client benchmarks/src/main/java/io/sketchgate/benchmarks/ConstantRateClient.java (wrk2's
#   model: latency from the intended send time, so no coordinated omission).
# Targets: direct (the upstream itself), nginx proxy, sketchgate (policy off), sketchgate with policy on (a
#   governed Kibana user: identity signed_header, role analyst over logs-* with max_time_range 31d and a
#   requests_per_minute far above the load; --no-policy-run leaves it out) and, unless --no-access-log-off-run,
#   sketchgate with the access log off.
# --request governed (default): Kibana's Discover-style POST /logs-web/_search over an absolute 3-day range with
#   match_phrase and a date_histogram (governed-request.json); search: the same over 15 minutes
#   (search-request.json); get: GET /logs-web/_doc/1, the streamed path.
# --policy measures policy overhead only: targets direct, policy off, policy on; ratio policy on / off.
# --variants adds Sketchgate targets (policy off, access log on) measured in the same rotating rounds, each with
#   its ratio to nginx: epoll-1, epoll-2, io_uring-1, io_uring-2 (listeners.transport and listeners.event_loops;
#   an io_uring variant that cannot start here is skipped with the reason), gc-parallel (-XX:+UseParallelGC
#   -Xmn256m, the ./sketchgate launcher's default), gc-g1 (-XX:+UseG1GC, the JVM's own default on 2+ cores and
#   2 GB+), gc-g1-young (G1 with -Xmn256m); all with -Xmx512m. Comma-separated, or the groups transport, gc, all.
#   The plain sketchgate target stays as before: java SKETCHGATE_JAVA_OPTS (default -Xmx512m), auto transport,
#   one event loop per core.
# Targets printed beside the figures: sketchgate >= 1.00x nginx, policy on >= 0.90x off, added p99 <= 1 ms.
# Installs nginx, wrk and curl with apt-get when missing (as root or with sudo); builds the jars when stale.
# Every process it starts is stopped on exit, also on Ctrl-C or failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

duration=15
connections=64
threads=2
warmup=30
rounds=3
request=governed
policy_run=1
access_log_off_run=1
keep=0
policy=0
variants=()
# How a user runs Sketchgate (java -jar), with a heap cap. Override with SKETCHGATE_JAVA_OPTS.
java_opts="${SKETCHGATE_JAVA_OPTS:--Xmx512m}"

usage() { sed -n '2,30p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
positive_int() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: $1 needs a positive whole number, got '$2'" >&2; exit 2; }; }
while (($#)); do
  case "$1" in
    --duration) positive_int "$1" "${2:-}"; duration="$2"; shift 2 ;;
    --connections) positive_int "$1" "${2:-}"; connections="$2"; shift 2 ;;
    --threads) positive_int "$1" "${2:-}"; threads="$2"; shift 2 ;;
    --warmup) positive_int "$1" "${2:-}"; warmup="$2"; shift 2 ;;
    --rounds) positive_int "$1" "${2:-}"; rounds="$2"; shift 2 ;;
    --request) request="${2:-}"; shift 2 ;;
    --no-access-log-off-run) access_log_off_run=0; shift ;;
    --no-policy-run) policy_run=0; shift ;;
    --policy) policy=1; access_log_off_run=0; shift ;;
    --variants) IFS=, read -r -a variants <<<"${2:-}"; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$request" in
  governed) method=POST; path=/logs-web/_search; body_file="$here/governed-request.json" ;;   # Kibana, 3 days
  search) method=POST; path=/logs-web/_search; body_file="$here/search-request.json" ;;   # what Kibana sends
  get) method=GET; path=/logs-web/_doc/1; body_file= ;;                                 # streamed passthrough
  *) echo "run.sh: --request is governed, search or get" >&2; exit 2 ;;
esac
((threads <= connections)) || { echo "run.sh: --threads must not exceed --connections" >&2; exit 2; }

# Variants: transport and event loops (config), or JVM options (GC). Groups expand to their members.
declare -A variant_transport=([epoll-1]=epoll [epoll-2]=epoll [io_uring-1]=io_uring [io_uring-2]=io_uring
                              [gc-parallel]=auto [gc-g1]=auto [gc-g1-young]=auto)
declare -A variant_loops=([epoll-1]=1 [epoll-2]=2 [io_uring-1]=1 [io_uring-2]=2 [gc-parallel]=0 [gc-g1]=0 [gc-g1-young]=0)
declare -A variant_opts=([gc-parallel]="-Xmx512m -XX:+UseParallelGC -Xmn256m" [gc-g1]="-Xmx512m -XX:+UseG1GC"
                         [gc-g1-young]="-Xmx512m -XX:+UseG1GC -Xmn256m")
expanded=()
for v in "${variants[@]}"; do
  case "$v" in
    transport) expanded+=(epoll-1 epoll-2 io_uring-1 io_uring-2) ;;
    gc) expanded+=(gc-parallel gc-g1 gc-g1-young) ;;
    all) expanded+=(epoll-1 epoll-2 io_uring-1 io_uring-2 gc-parallel gc-g1 gc-g1-young) ;;
    "") ;;
    *) [[ -n "${variant_transport[$v]:-}" ]] \
         || { echo "run.sh: unknown variant '$v' (epoll-1, epoll-2, io_uring-1, io_uring-2, gc-parallel, gc-g1, gc-g1-young, transport, gc, all)" >&2; exit 2; }
       expanded+=("$v") ;;
  esac
done
variants=()
for v in "${expanded[@]}"; do [[ " ${variants[*]} " == *" $v "* ]] || variants+=("$v"); done
((policy && ${#variants[@]})) && { echo "run.sh: --variants compares with nginx; leave out --policy" >&2; exit 2; }

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---- prerequisites -------------------------------------------------------------------------------------------
missing=()
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  sudo=(); ((EUID == 0)) || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
command -v java >/dev/null || { echo "run.sh: Java 17 is required" >&2; exit 1; }

proxy_jar="$root/proxy/target/sketchgate.jar"
bench_jar="$root/benchmarks/target/benchmarks.jar"
stale() {
  [[ ! -f "$proxy_jar" || ! -f "$bench_jar" ]] && return 0
  local oldest="$proxy_jar"; [[ "$bench_jar" -ot "$proxy_jar" ]] && oldest="$bench_jar"
  [[ -n "$(cd "$root" && find . -path ./.git -prune -o -path '*/target' -prune -o \
      \( -path './*/src/*' -o -name pom.xml \) -type f -newer "$oldest" -print -quit)" ]]
}
if stale; then
  log "building the proxy and benchmark jars"
  (cd "$root" && ./mvnw -B -q -DskipTests -pl benchmarks -am package >&2)
fi

# ---- processes, cleaned up on any exit -----------------------------------------------------------------------
work="$(mktemp -d "${TMPDIR:-/tmp}/sketchgate-passthrough.XXXXXX")"
chmod 755 "$work"   # nginx workers may run as another user
pids=()
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if ((status != 0)); then
    log "failed (exit $status); logs in $work"
    for f in "$work"/*.log; do [[ -f "$f" ]] && { echo "--- $f" >&2; tail -n 20 "$f" >&2; }; done
  elif ((keep)); then
    rm -f "$work"/access*.jsonl
    log "logs kept in $work"
  else
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

used_ports=" "
free_port() {   # a port below the ephemeral range that nothing listens on; never 9200/9201
  local port
  for _ in $(seq 200); do
    port=$((20000 + RANDOM % 10000))
    [[ "$used_ports" == *" $port "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      used_ports+="$port "
      echo "$port"
      return
    fi
  done
  echo "run.sh: no free port found" >&2
  return 1
}

wait_ready() {   # url, what, pid
  for _ in $(seq 600); do
    if [[ "$(curl -s -o /dev/null -w '%{http_code}' "$1" 2>/dev/null)" == 200 ]]; then return 0; fi
    kill -0 "$3" 2>/dev/null || { log "$2 exited during start-up"; return 1; }
    sleep 0.1
  done
  log "$2 not ready after 60 s"
  return 1
}

cores="$(nproc)"
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
upstream_port="$(free_port)"
nginx_proxy_port="$(free_port)"
sketchgate_port="$(free_port)"
sketchgate_nolog_port="$(free_port)"
sketchgate_policy_port="$(free_port)"

mkdir -p "$work/html/logs-web/_doc"
cp "$here/search-response.json" "$work/html/search.json"

# The upstream: one nginx worker serving the same JSON for every path and method, with Elasticsearch's headers.
cat >"$work/upstream.conf" <<EOF
worker_processes 1;
pid $work/upstream.pid;
error_log $work/upstream.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/tmp-upstream-body;
  keepalive_requests 1000000;
  keepalive_timeout 75s;
  etag off;
  server {
    listen 127.0.0.1:$upstream_port backlog=1024;
    root $work/html;
    default_type application/json;
    # Policy resolves index names with _resolve/index (cached 30 s): answer as Elasticsearch would for logs-web.
    location /_resolve/index/ {
      add_header X-elastic-product Elasticsearch always;
      return 200 '{"indices":[{"name":"logs-web","attributes":["open"]}],"aliases":[],"data_streams":[]}';
    }
    location / {
      try_files /search.json =404;
      add_header X-elastic-product Elasticsearch always;
      # A POST to a static file is 405 in nginx; answer it with the same file, as Elasticsearch would.
      error_page 405 =200 /search.json;
    }
  }
}
EOF

# nginx as a reverse proxy: as many workers as Sketchgate has IO threads, keep-alive pool to the upstream,
# and the same request headers Sketchgate adds (Host kept, X-Forwarded-*).
cat >"$work/nginx-proxy.conf" <<EOF
worker_processes $cores;
pid $work/nginx-proxy.pid;
error_log $work/nginx-proxy.log warn;
events { worker_connections 4096; }
http {
  # the same setting as Sketchgate's: one JSON line per request, written in batches
  log_format sgjson escape=json '{"time":"\$time_iso8601","listener":"nginx","client":"\$remote_addr",'
                                '"method":"\$request_method","path":"\$request_uri","status":\$status,'
                                '"bytes_in":\$request_length,"bytes_out":\$bytes_sent,"upstream":"\$upstream_addr",'
                                '"upstream_ms":"\$upstream_response_time","total_ms":"\$request_time"}';
  access_log $work/access-nginx.jsonl sgjson buffer=64k flush=1s;
  client_body_temp_path $work/tmp-proxy-body;
  proxy_temp_path $work/tmp-proxy-temp;
  keepalive_requests 1000000;
  keepalive_timeout 75s;
  upstream elasticsearch {
    server 127.0.0.1:$upstream_port;
    keepalive 64;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:$nginx_proxy_port backlog=1024;
    location / {
      proxy_pass http://elasticsearch;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Forwarded-Host \$http_host;
    }
  }
}
EOF

sketchgate_config() {   # port, access log enabled, file, policy (0/1), transport, event loops
  cat >"$3" <<EOF
listeners:
  elasticsearch: { host: 127.0.0.1, port: $1 }
  transport: ${5:-auto}
  event_loops: ${6:-0}
elasticsearch:
  hosts: ["http://127.0.0.1:$upstream_port"]
limits:
  shutdown_grace: 1s
access_log:
  enabled: $2
  path: $work/access-$1.jsonl
EOF
  if (("${4:-0}")); then   # a governed Kibana user: identity from signed headers, time range and rate limits
    cat >>"$3" <<EOF
identity:
  sources: [signed_header]
  signed_header: { secret: "benchmark-secret-0123456789abcdef0123456789", max_age: 1d }
roles:
  analyst: { indices: ["logs-*"], max_time_range: 31d, on_exceed: reject, requests_per_minute: 1000000 }
index_time_fields:
  "logs-*": "@timestamp"
EOF
  fi
}

declare -A target_pid=()   # start name -> process id (nginx: the master; its workers do the work)
declare -A process_of=([direct]=upstream [nginx]=nginx-proxy [sketchgate]=sketchgate [sketchgate_nolog]=sketchgate-nolog
                       [sketchgate_policy]=sketchgate-policy)   # target -> start name
start_nginx() {   # name
  "$nginx_bin" -p "$work" -e "$work/$1.log" -c "$work/$1.conf" -g 'daemon off;' &
  pids+=($!)
  target_pid[$1]=$!
}
start_sketchgate() {   # name, port, access log enabled, policy (0/1), transport, event loops, java options
  sketchgate_config "$2" "$3" "$work/$1.yml" "${4:-0}" "${5:-auto}" "${6:-0}"
  # shellcheck disable=SC2086
  java ${7:-$java_opts} -Xlog:gc:file="$work/gc-$1.log" -jar "$proxy_jar" run --config "$work/$1.yml" >"$work/$1.log" 2>&1 &
  pids+=($!)
  target_pid[$1]=$!
  wait_ready "http://127.0.0.1:$2/_sketchgate/health" "$1" "$!"
}

log "upstream nginx :$upstream_port, nginx proxy :$nginx_proxy_port ($cores workers), sketchgate :$sketchgate_port"
start_nginx upstream
wait_ready "http://127.0.0.1:$upstream_port/" "upstream nginx" "${pids[-1]}"
if ((!policy)); then
  start_nginx nginx-proxy
  wait_ready "http://127.0.0.1:$nginx_proxy_port/" "nginx proxy" "${pids[-1]}"
fi
start_sketchgate sketchgate "$sketchgate_port" true
targets=(direct nginx sketchgate)
((policy)) && targets=(direct sketchgate)
declare -A url=(
  [direct]="http://127.0.0.1:$upstream_port$path"
  [nginx]="http://127.0.0.1:$nginx_proxy_port$path"
  [sketchgate]="http://127.0.0.1:$sketchgate_port$path"
)
declare -A label=([direct]="direct" [nginx]="nginx proxy" [sketchgate]="sketchgate" [sketchgate_nolog]="sketchgate, no access log"
                  [sketchgate_policy]="sketchgate, policy on")
((policy)) && label[sketchgate]="sketchgate, policy off"
declare -A headers=()   # target -> file of extra request headers
if ((policy || policy_run)); then
  start_sketchgate sketchgate-policy "$sketchgate_policy_port" true 1
  # shellcheck disable=SC2086
  java $java_opts -jar "$proxy_jar" sign-header --config "$work/sketchgate-policy.yml" --user bench --roles analyst \
    --ttl 1d >"$work/policy-headers.txt"
  targets+=(sketchgate_policy)
  url[sketchgate_policy]="http://127.0.0.1:$sketchgate_policy_port$path"
  headers[sketchgate_policy]="$work/policy-headers.txt"
fi
if ((access_log_off_run)); then
  start_sketchgate sketchgate-nolog "$sketchgate_nolog_port" false
  targets+=(sketchgate_nolog)
  url[sketchgate_nolog]="http://127.0.0.1:$sketchgate_nolog_port$path"
fi
variant_targets=()
for v in "${variants[@]}"; do
  t="sketchgate_$v"
  port="$(free_port)"
  opts="${variant_opts[$v]:-$java_opts}"
  loops="${variant_loops[$v]}"
  if ! start_sketchgate "sketchgate-$v" "$port" true 0 "${variant_transport[$v]}" "$loops" "$opts"; then
    log "variant $v skipped: $(grep -m1 -o 'listeners.transport: .*' "$work/sketchgate-$v.log" || tail -n1 "$work/sketchgate-$v.log")"
    continue
  fi
  targets+=("$t")
  variant_targets+=("$t")
  url[$t]="http://127.0.0.1:$port$path"
  process_of[$t]="sketchgate-$v"
  label[$t]="sg $v"
  log "variant $v on :$port: transport ${variant_transport[$v]}, event_loops $loops ($( ((loops)) && echo "$loops" || echo "$cores")), java $opts"
done

# Every target must answer the request with 200 and Elasticsearch's headers before it is measured.
for t in "${targets[@]}"; do
  curl_args=(-s -D "$work/check-$t.headers" -o "$work/check-$t.body" -X "$method")
  [[ -n "$body_file" ]] && curl_args+=(-H 'Content-Type: application/json' --data-binary "@$body_file")
  if [[ -n "${headers[$t]:-}" ]]; then while IFS= read -r h; do curl_args+=(-H "$h"); done <"${headers[$t]}"; fi
  curl "${curl_args[@]}" "${url[$t]}"
  head -n1 "$work/check-$t.headers" | grep -q ' 200' || { log "$t answered: $(head -n1 "$work/check-$t.headers")"; exit 1; }
  grep -qi '^x-elastic-product: Elasticsearch' "$work/check-$t.headers" || { log "$t lost X-elastic-product"; exit 1; }
  cmp -s "$work/check-$t.body" "$here/search-response.json" || { log "$t changed the response body"; exit 1; }
done
if ((policy || policy_run)); then   # the policy target must really govern the request, not pass it as ungoverned
  sleep 1
  grep -q '"decision":"allowed, roles \[analyst\]' "$work/access-$sketchgate_policy_port.jsonl" \
    || { log "policy did not govern the request: $(tail -n1 "$work/access-$sketchgate_policy_port.jsonl")"; exit 1; }
fi

declare -A result   # [phase,target] -> the RESULT line of each round, one per line
field() { sed -n "s/.*[[:space:]]$2=\([^[:space:]]*\).*/\1/p" <<<"$1"; }   # line, key
median() {   # phase, target, key: the median over rounds (mean of the middle two for an even count)
  local values
  values="$(while read -r line; do field " $line" "$3"; done <<<"${result[$1,$2]}" | sort -g)"
  awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }' <<<"$values"
}
round_order() {   # round r starts at the r-th target and wraps around, so drift and warm caches hit every target alike
  local n=${#targets[@]} i
  for ((i = 0; i < n; i++)); do printf '%s\n' "${targets[$(( (i + $1 - 1) % n ))]}"; done
}
add_result() { result[$1,$2]+="${result[$1,$2]:+$'\n'}$3"; }

# ---- CPU and allocation per request ---------------------------------------------------------------------------
clock_ticks="$(getconf CLK_TCK)"
cpu_ticks() {   # target: utime+stime of its process and its children (nginx's workers), in clock ticks
  local pid="${target_pid[${process_of[$1]}]}" p total=0
  for p in "$pid" $(pgrep -P "$pid" || true); do
    # fields 14 and 15 of /proc/PID/stat, counted after the command name (which may contain spaces)
    total=$((total + $(sed 's/^.*) //' "/proc/$p/stat" | awk '{ print $12 + $13 }')))
  done
  echo "$total"
}
alloc_mark() {   # target: "heap-used-KB last-GC-id" for a Sketchgate JVM, "-" otherwise
  [[ "$1" == sketchgate* ]] || { echo -; return; }
  local name="${process_of[$1]}" used gc
  used="$(jcmd "${target_pid[$name]}" GC.heap_info 2>/dev/null | sed -n 's/.*total [0-9]*K, used \([0-9]*\)K.*/\1/p' | head -n1)"
  gc="$(grep -o 'GC([0-9]*)' "$work/gc-$name.log" 2>/dev/null | tail -n1 | tr -dc 0-9)"
  echo "${used:-0} ${gc:--1}"
}
alloc_per_request() {   # target, mark before, mark after, requests: heap growth plus what the GCs in between freed
  [[ "$2" == - || "$4" -eq 0 ]] && { echo -; return; }
  local name="${process_of[$1]}"
  sed -n 's/.*GC(\([0-9]*\)) Pause.* \([0-9]*\)M->\([0-9]*\)M(.*/\1 \2 \3/p' "$work/gc-$name.log" |
    awk -v from="${2#* }" -v to="${3#* }" -v u0="${2% *}" -v u1="${3% *}" -v n="$4" \
      '$1 > from && $1 <= to { freed += ($2 - $3) * 1024 } END { printf "%.0f", ((u1 - u0) + freed) * 1024 / n }'
}

# ---- phase (a): saturating load --------------------------------------------------------------------------------
export BENCH_METHOD="$method" BENCH_BODY_FILE="$body_file"
for ((round = 1; round <= rounds; round++)); do
  for t in $(round_order "$round"); do
    log "phase a, round $round/$rounds, $t: ${warmup} s warm-up, then wrk -t$threads -c$connections -d${duration}s"
    BENCH_HEADERS_FILE="${headers[$t]:-}" wrk -t"$threads" -c"$connections" -d"${warmup}s" -s "$here/wrk.lua" \
      "${url[$t]}" >"$work/wrk-warmup-$t-$round.txt"
    cpu_before="$(cpu_ticks "$t")"; alloc_before="$(alloc_mark "$t")"
    BENCH_HEADERS_FILE="${headers[$t]:-}" wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -s "$here/wrk.lua" \
      "${url[$t]}" >"$work/wrk-$t-$round.txt"
    cpu_after="$(cpu_ticks "$t")"; alloc_after="$(alloc_mark "$t")"
    line="$(grep '^RESULT' "$work/wrk-$t-$round.txt")"
    requests="$(field " $line" requests)"
    line+=" cpu_us=$(awk -v a="$cpu_before" -v b="$cpu_after" -v n="$requests" -v hz="$clock_ticks" \
      'BEGIN { printf "%.1f", (n > 0 ? (b - a) * 1e6 / hz / n : 0) }')"
    line+=" alloc_b=$(alloc_per_request "$t" "$alloc_before" "$alloc_after" "$requests")"
    add_result a "$t" "$line"
    log "  $line"
  done
done

sketchgate_rps="$(median a sketchgate rps)"
half_rate="$(awk -v r="$sketchgate_rps" 'BEGIN { printf "%d", r / 2 }')"
((half_rate > 0)) || { log "sketchgate's throughput was 0"; exit 1; }

# ---- phase (b): half of Sketchgate's saturating throughput, constant rate ---------------------------------------
for ((round = 1; round <= rounds; round++)); do
  for t in $(round_order "$round"); do
    log "phase b, round $round/$rounds, $t: constant $half_rate req/s over $connections connections, ${warmup} s warm-up + ${duration} s"
    client_args=(--url "${url[$t]}" --rate "$half_rate" --connections "$connections" --duration "$duration"
                 --warmup "$warmup" --method "$method")
    [[ -n "$body_file" ]] && client_args+=(--body-file "$body_file")
    [[ -n "${headers[$t]:-}" ]] && client_args+=(--headers-file "${headers[$t]}")
    java -Xmx256m -cp "$bench_jar" io.sketchgate.benchmarks.ConstantRateClient "${client_args[@]}" >"$work/rate-$t-$round.txt" 2>&1
    line="$(grep '^RESULT' "$work/rate-$t-$round.txt")"
    add_result b "$t" "$line"
    log "  $line"
  done
done

# ---- report -----------------------------------------------------------------------------------------------------
num() { median "$@"; }
errors_note() {
  local t e
  for t in "${targets[@]}"; do
    e="$(while read -r line; do field " $line" errors; done <<<"${result[$1,$t]}" | awk '{ s += $1 } END { print s + 0 }')"
    ((e == 0)) || echo "WARNING: $t had $e errors in phase $1"
  done
}
{
  echo
  echo "Passthrough benchmark: $method $path, ${#targets[@]} targets, $cores cores shared by load generator,"
  echo "proxies and upstream; sketchgate: java $java_opts -jar sketchgate.jar, $cores IO threads; nginx proxy: $cores workers"
  echo "load average at start: $load_start, at end: $(cut -d' ' -f1-3 /proc/loadavg)$( ((rounds > 1)) && echo "; medians of $rounds rounds")"
  echo
  echo "Phase (a) saturating: wrk -t$threads -c$connections -d${duration}s --latency (after ${warmup} s warm-up)"
  printf '%-27s %9s %9s %9s %12s %12s\n' target req/s "p50 ms" "p99 ms" "CPU us/req" "alloc B/req"
  for t in "${targets[@]}"; do
    alloc=-
    [[ $t == sketchgate* ]] && alloc="$(num a "$t" alloc_b)"
    printf '%-27s %9.0f %9.2f %9.2f %12.1f %12s\n' "${label[$t]}" "$(num a "$t" rps)" "$(num a "$t" p50_ms)" \
      "$(num a "$t" p99_ms)" "$(num a "$t" cpu_us)" "$alloc"
  done
  echo "(CPU: utime+stime of the target's processes over the measured run, per request; the load generator's and,"
  echo " for the proxies, the upstream's CPU are not in it. Alloc: Sketchgate's heap, from -Xlog:gc and jcmd.)"
  echo
  echo "Phase (b) half load: constant $half_rate req/s (half of sketchgate's phase-a req/s), $connections connections,"
  echo "latency from the intended send time"
  printf '%-27s %9s %9s %9s %11s %11s\n' target req/s "p50 ms" "p99 ms" "+p50 ms" "+p99 ms"
  d50="$(num b direct p50_ms)"; d99="$(num b direct p99_ms)"
  for t in "${targets[@]}"; do
    p50="$(num b "$t" p50_ms)"; p99="$(num b "$t" p99_ms)"
    printf '%-27s %9.0f %9.2f %9.2f %11s %11s\n' "${label[$t]}" "$(num b "$t" rps)" "$p50" "$p99" \
      "$([[ $t == direct ]] && echo - || awk -v a="$p50" -v b="$d50" 'BEGIN { printf "%.2f", a - b }')" \
      "$([[ $t == direct ]] && echo - || awk -v a="$p99" -v b="$d99" 'BEGIN { printf "%.2f", a - b }')"
  done
  echo
  added() { awk -v a="$(num b "$1" "$2")" -v b="$(num b direct "$2")" 'BEGIN { printf "%.2f", a - b }'; }
  policy_ratio() {
    ratio="$(awk -v p="$(num a sketchgate_policy rps)" -v s="$sketchgate_rps" 'BEGIN { printf "%.3f", p / s }')"
    echo "ratio policy on/policy off throughput: $ratio  (target >= 0.90: $(awk -v r="$ratio" 'BEGIN { print (r >= 0.9 ? "met" : "MISSED") }'))"
  }
  if ((policy)); then
    ratio="$(awk -v p="$(num a sketchgate_policy rps)" -v s="$sketchgate_rps" 'BEGIN { printf "%.3f", p / s }')"
    echo "ratio policy on/policy off throughput: $ratio  (target >= 0.90: $(awk -v r="$ratio" 'BEGIN { print (r >= 0.9 ? "met" : "MISSED") }'))"
    echo "added p50 at half load: policy off $(added sketchgate p50_ms) ms, policy on $(added sketchgate_policy p50_ms) ms"
    echo "added p99 at half load: policy off $(added sketchgate p99_ms) ms, policy on $(added sketchgate_policy p99_ms) ms"
    errors_note a
    errors_note b
    exit 0
  fi
  ratio="$(awk -v s="$sketchgate_rps" -v n="$(num a nginx rps)" 'BEGIN { printf "%.3f", s / n }')"
  echo "ratio sketchgate/nginx throughput: $ratio  (target >= 1.00: $(awk -v r="$ratio" 'BEGIN { print (r >= 1.0 ? "met" : "MISSED") }'))"
  if ((access_log_off_run)); then
    echo "ratio sketchgate (no access log)/nginx throughput: $(awk -v s="$(num a sketchgate_nolog rps)" -v n="$(num a nginx rps)" 'BEGIN { printf "%.2f", s / n }')"
  fi
  for t in "${variant_targets[@]}"; do
    printf 'variant %-14s throughput/nginx %s, CPU %s us/req, added p99 at half load %s ms\n' "${t#sketchgate_}" \
      "$(awk -v s="$(num a "$t" rps)" -v n="$(num a nginx rps)" 'BEGIN { printf "%.2f", s / n }')" \
      "$(num a "$t" cpu_us)" "$(added "$t" p99_ms)"
  done
  ((policy_run)) && policy_ratio
  ((policy_run)) && echo "added p99 at half load, policy on: $(added sketchgate_policy p99_ms) ms  (target <= 1 ms)"
  sg99="$(added sketchgate p99_ms)"
  echo "added p50 at half load: sketchgate $(added sketchgate p50_ms) ms, nginx $(added nginx p50_ms) ms"
  echo "added p99 at half load: sketchgate $sg99 ms, nginx $(added nginx p99_ms) ms  (target sketchgate <= 1 ms: $(awk -v a="$sg99" 'BEGIN { print (a <= 1.0 ? "met" : "MISSED") }'))"
  errors_note a
  errors_note b
} | tee "$work/summary.txt"
