#!/usr/bin/env bash
# Builds both destination images and runs them as the Airbyte platform does: the config and catalog
# mounted as files in /config, the messages on stdin, the connector as the image's `airbyte` user.
# Each case prints PASS or FAIL; the script exits 1 if any failed. See images/README.md.
#
# Usage: images/test-images.sh      (as root: it installs packages and runs rootful podman)
# Environment:
#   BASE_IMAGE       base of both images (default localhost/destkit-java-base:bookworm, which
#                    images/build-local-base.sh makes when it is missing; an existing one is kept)
#   PODMAN           the podman command (default: podman --runtime /usr/sbin/runc)
#   CONTAINERS_CONF  podman's config (default: images/containers.conf)
#   MAVEN_ARGS       extra Maven options, e.g. -o
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
started=$SECONDS

default_base=localhost/destkit-java-base:bookworm
base="${BASE_IMAGE:-$default_base}"
read -r -a podman <<<"${PODMAN:-podman --runtime /usr/sbin/runc}"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$here/containers.conf}"
read -r -a maven_args <<<"${MAVEN_ARGS:-}"
modules=(destination-duckdb destination-postgres destination-iceberg source-example)

log() { echo "[images] $*" >&2; }
die() { echo "FAIL $*" >&2; exit 1; }
seconds_since() { echo $((SECONDS - $1)); }

[ "$(id -u)" = 0 ] || die "setup: run as root (apt-get, debootstrap and rootful podman need it)"
for tool in java mvn; do command -v "$tool" >/dev/null || die "setup: $tool is required"; done

# ---- cleanup: containers started here, the PostgreSQL server, the temp folder --------------------
work="$(mktemp -d /tmp/destkit-images.XXXXXX)"
chmod 755 "$work"
prefix="destkit-image-test-$$"
pg_launcher_pid="" pg_server_pid="" pg_fd=""

wait_gone() {  # PID SECONDS: true once the process has gone
  local i
  for ((i = 0; i < $2 * 5; i++)); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.2; done
  ! kill -0 "$1" 2>/dev/null
}

pg_stop() {
  [ -n "$pg_launcher_pid" ] || return 0
  # Closing the launcher's stdin stops the server; failing that SIGTERM, then a fast shutdown.
  if [ -n "$pg_fd" ]; then exec {pg_fd}>&-; pg_fd=""; fi
  wait_gone "$pg_launcher_pid" 60 || { kill -TERM "$pg_launcher_pid" 2>/dev/null || true; wait_gone "$pg_launcher_pid" 30 || true; }
  if [ -n "$pg_server_pid" ] && ! wait_gone "$pg_server_pid" 10; then
    kill -INT "$pg_server_pid" 2>/dev/null || true
    wait_gone "$pg_server_pid" 30 || log "WARNING: PostgreSQL (pid $pg_server_pid) is still running"
  fi
  pg_launcher_pid=""
}

cleanup() {
  local ids
  ids="$("${podman[@]}" ps -a -q --filter "name=^$prefix-" 2>/dev/null || true)"
  # shellcheck disable=SC2086  # one id per word
  [ -z "$ids" ] || "${podman[@]}" rm -f $ids >/dev/null 2>&1 || true
  pg_stop
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- tools ---------------------------------------------------------------------------------------
missing=()
command -v podman >/dev/null || missing+=(podman)
[ -x /usr/sbin/runc ] || missing+=(runc)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  step=$SECONDS
  apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2
  log "installed in $(seconds_since "$step") s"
fi

# ---- the base, the jars, the images --------------------------------------------------------------
if "${podman[@]}" image exists "$base"; then
  log "base $base exists; keeping it"
elif [ "$base" = "$default_base" ]; then
  log "building the local base $base (debootstrap; a few minutes)"
  step=$SECONDS
  PODMAN="${podman[*]}" "$here/build-local-base.sh" "$base" >/dev/null 2>"$work/build-base.log" \
    || { tail -20 "$work/build-base.log" >&2; die "build: the local base image"; }
  log "base built in $(seconds_since "$step") s"
fi

jars_stale() {  # true when a jar is missing or a source or build file is newer than it
  local module jar
  for module in "${modules[@]}"; do
    jar="$root/$module/target/$module.jar"
    [ -f "$jar" ] || return 0
    [ -z "$(find "$root/pom.xml" "$root"/destkit-*/pom.xml "$root"/destkit-*/src/main "$root/$module/pom.xml" \
        "$root/$module/src/main" -newer "$jar" -type f -print -quit 2>/dev/null)" ] || return 0
  done
  # destkit sync holds every destination.
  jar="$root/destkit-sync/target/destkit-sync.jar"
  [ -f "$jar" ] || return 0
  [ -z "$(find "$root"/destination-*/src/main "$root/destkit-sync/pom.xml" "$root/destkit-sync/src/main" -newer "$jar" \
      -type f -print -quit 2>/dev/null)" ] || return 0
  return 1
}
if jars_stale; then
  log "building the connector jars"
  step=$SECONDS
  (cd "$root" && mvn -B -q -Dstyle.color=never "${maven_args[@]}" -pl destination-duckdb,destination-postgres,destination-iceberg,source-example,destkit-sync -am \
    package -DskipTests -DskipITs) >"$work/maven-package.log" 2>&1 \
    || { tail -40 "$work/maven-package.log" >&2; die "build: the connector jars"; }
  log "jars built in $(seconds_since "$step") s"
else
  log "the connector jars are up to date; reusing them"
fi

tag_of() { echo "$(sed -n 's/^  dockerRepository: *//p' "$root/$1/metadata.yaml"):$(sed -n 's/^  dockerImageTag: *//p' "$root/$1/metadata.yaml")"; }
declare -A image
for module in "${modules[@]}"; do
  step=$SECONDS
  previous="$("${podman[@]}" image inspect --format '{{.Id}}' "$(tag_of "$module")" 2>/dev/null || true)"
  image[$module]="$(BUILDER="${podman[*]}" "$here/build-image.sh" "$module" "$base" 2>"$work/build-$module.log")" \
    || { tail -20 "$work/build-$module.log" >&2; die "build: the $module image"; }
  log "built ${image[$module]} in $(seconds_since "$step") s"
  # The image this build replaced under the tag (an earlier run's), so runs do not pile up images.
  if [ -n "$previous" ] && [ "$previous" != "$("${podman[@]}" image inspect --format '{{.Id}}' "${image[$module]}")" ]; then
    "${podman[@]}" rmi "$previous" >/dev/null 2>&1 || true
  fi
done
duckdb_image="${image[destination-duckdb]}"
postgres_image="${image[destination-postgres]}"
iceberg_image="${image[destination-iceberg]}"

# ---- running a connector as the platform does -----------------------------------------------------
# The platform's connector pods have their files in /config (the working directory):
# connectionConfiguration.json for check, destination_config.json and destination_catalog.json for
# write. It runs the image's AIRBYTE_ENTRYPOINT with the bare command words; spec runs the image's
# ENTRYPOINT as `docker run IMAGE spec` does. Each run's stdout, stderr and exit code go to
# $work/runs/NAME.{out,err,rc}.
mkdir -p "$work/runs"
runs=0

config_dir() {  # NAME CONFIG_JSON [CATALOG_FILE]: a /config folder only the connector's user reads
  local dir="$work/config-$1"
  mkdir -p "$dir"
  (umask 077
   printf '%s\n' "$2" >"$dir/connectionConfiguration.json"
   cp "$dir/connectionConfiguration.json" "$dir/destination_config.json"
   [ -z "${3:-}" ] || cp "$3" "$dir/destination_catalog.json")
  chown -R 1000:1000 "$dir"
  chmod 700 "$dir"
  echo "$dir"
}

connector() {  # NAME INPUT PODMAN_OPTION... -- IMAGE COMMAND...
  local name="$1" input="$2" opts=() rc=0
  shift 2
  while [ "$1" != -- ]; do opts+=("$1"); shift; done
  shift
  runs=$((runs + 1))
  "${podman[@]}" run --rm -i --name "$prefix-$runs" "${opts[@]}" "$@" \
    <"$input" >"$work/runs/$name.out" 2>"$work/runs/$name.err" || rc=$?
  echo "$rc" >"$work/runs/$name.rc"
}

platform_run() {  # NAME INPUT PODMAN_OPTION... -- IMAGE ARGUMENTS: through $AIRBYTE_ENTRYPOINT, as the pod runs it
  local name="$1" input="$2" opts=()
  shift 2
  while [ "$1" != -- ]; do opts+=("$1"); shift; done
  local target="$2"
  shift 2
  connector "$name" "$input" "${opts[@]}" --workdir /config --entrypoint /bin/sh -- \
    "$target" -c "eval \"\$AIRBYTE_ENTRYPOINT $*\""
}

# ---- assertions ----------------------------------------------------------------------------------
passed=0 failed=0 failures=()
problems=()
expect() { problems+=("$1"); }

rc_of() { cat "$work/runs/$1.rc"; }
messages() { grep -c "^{\"type\":\"$2\"" "$work/runs/$1.out" || true; }
expect_rc() { [ "$(rc_of "$1")" = "$2" ] || expect "exit code $(rc_of "$1"), expected $2"; }
expect_messages() { local n; n="$(messages "$1" "$2")"; [ "$n" = "$3" ] || expect "$n $2 message(s) on stdout, expected $3"; }
expect_line() { grep -q -- "$2" "$work/runs/$1.out" || expect "no stdout line matches $2"; }
expect_only_messages() {  # every stdout line is an Airbyte message
  local other
  other="$(grep -c -v '^{"type":"' "$work/runs/$1.out" || true)"
  [ "$other" = 0 ] || expect "$other stdout line(s) that are not Airbyte messages"
}
expect_equal() { [ "$2" = "$3" ] || expect "$1 is '$2', expected '$3'"; }
expect_absent() {  # NAME SECRET: the secret is in neither stdout nor stderr
  ! grep -q -F -- "$2" "$work/runs/$1.out" "$work/runs/$1.err" || expect "the secret appears in the output"
}

verdict() {  # CASE RUN_NAME STARTED_AT
  local took=$(($SECONDS - $3))
  if [ ${#problems[@]} = 0 ]; then
    echo "PASS $1 (${took} s)"
    passed=$((passed + 1))
  else
    echo "FAIL $1 (${took} s)"
    printf '     %s\n' "${problems[@]}"
    if [ -n "$2" ] && [ -f "$work/runs/$2.out" ]; then
      echo "     stdout (last lines):"; tail -5 "$work/runs/$2.out" | cut -c1-400 | sed 's/^/       /'
      echo "     stderr (last lines):"; tail -10 "$work/runs/$2.err" | cut -c1-400 | sed 's/^/       /'
    fi
    failed=$((failed + 1))
    failures+=("$1")
  fi
  problems=()
}

# Counts rows on the host through the connector jars' own JDBC drivers (DuckDB read-only). Prints
# the first column of each query's single row, one line per query.
cat >"$work/Query.java" <<'JAVA'
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;

public class Query {
  public static void main(String[] args) throws Exception {
    Properties properties = new Properties();
    if (args[0].startsWith("jdbc:duckdb:")) {
      properties.setProperty("duckdb.read_only", "true");
    } else {
      properties.setProperty("user", System.getenv("QUERY_USER"));
      properties.setProperty("password", System.getenv("QUERY_PASSWORD"));
    }
    try (Connection connection = DriverManager.getConnection(args[0], properties);
        Statement statement = connection.createStatement()) {
      for (int i = 1; i < args.length; i++) {
        try (ResultSet rows = statement.executeQuery(args[i])) {
          System.out.println(rows.next() ? rows.getString(1) : "no row");
        }
      }
    }
  }
}
JAVA
query() {  # JAR URL SQL...: prints one result per query, or ERROR
  java -cp "$1" "$work/Query.java" "${@:2}" 2>"$work/query.err" | tr '\n' ' ' | sed 's/ $//' || echo ERROR
}
counts_sql=('SELECT count(*) FROM "shop"."users"' 'SELECT count(*) FROM "shop"."orders"')
# The checkpoint table's rows (one per table) of a sync that finished, in the internal schema.
finished_sql() { echo "SELECT count(*) FROM \"$1\".\"_destkit_sync_checkpoints\" WHERE \"attempt_finished\""; }

# The example sync: 2 streams (shop.users 4 records, shop.orders 3), 3 STATE messages, both complete.
catalog="$root/examples/catalog.json"
messages_file="$root/examples/messages.jsonl"
input_states="$(grep -c '^{"type":"STATE"' "$messages_file")"
# A write that fails on its third line, which is not JSON.
printf '%s\n' "$(head -2 "$messages_file")" '{"type":"RECORD","record":' >"$work/malformed.jsonl"
# A write whose second line is a record of a stream the catalog does not have.
printf '%s\n' "$(head -1 "$messages_file")" \
  '{"type":"RECORD","record":{"namespace":"shop","stream":"refunds","data":{"id":1},"emitted_at":1732500000000}}' \
  >"$work/unknown-stream.jsonl"

# ---- DuckDB --------------------------------------------------------------------------------------
# /local is the platform's local root folder (a host folder, writable by the image's user, id 1000).
local_root="$work/airbyte_local"
mkdir -p "$local_root"
chown 1000:1000 "$local_root"
duck_config="$(config_dir duckdb '{"destination_path": "/local/destkit.duckdb", "schema": "main"}' "$catalog")"
duck_bad="$(config_dir duckdb-bad '{"destination_path": "/opt/destkit/destkit.duckdb"}')"
duck_mounts=(-v "$duck_config:/config:ro" -v "$local_root:/local")
duck_db="jdbc:duckdb:$local_root/destkit.duckdb"
duck_jar="$root/destination-duckdb/target/destination-duckdb.jar"

t=$SECONDS
connector duckdb-spec /dev/null -- "$duckdb_image" spec
expect_rc duckdb-spec 0
expect_messages duckdb-spec SPEC 1
expect_line duckdb-spec '"destination_path"'
expect_only_messages duckdb-spec
verdict "duckdb spec: one SPEC message, exit 0" duckdb-spec $t

t=$SECONDS
platform_run duckdb-check /dev/null "${duck_mounts[@]}" -- "$duckdb_image" check --config /config/connectionConfiguration.json
expect_rc duckdb-check 0
expect_messages duckdb-check CONNECTION_STATUS 1
expect_line duckdb-check '"status":"SUCCEEDED"'
verdict "duckdb check, a writable /local path: SUCCEEDED" duckdb-check $t

t=$SECONDS
platform_run duckdb-check-bad /dev/null -v "$duck_bad:/config:ro" -v "$local_root:/local" -- \
  "$duckdb_image" check --config /config/connectionConfiguration.json
expect_rc duckdb-check-bad 0
expect_messages duckdb-check-bad CONNECTION_STATUS 1
expect_line duckdb-check-bad '"status":"FAILED","message":"[^"]*destination_path'
verdict "duckdb check, a path the user cannot write: FAILED naming destination_path, exit 0" duckdb-check-bad $t

t=$SECONDS
platform_run duckdb-write "$messages_file" "${duck_mounts[@]}" -- \
  "$duckdb_image" write --config destination_config.json --catalog destination_catalog.json
expect_rc duckdb-write 0
expect_messages duckdb-write STATE "$input_states"
expect_only_messages duckdb-write
[ -f "$local_root/destkit.duckdb" ] && expect_equal "the database file's owner" "$(stat -c %u "$local_root/destkit.duckdb")" 1000 \
  || expect "no database file in the mounted /local folder"
expect_equal "rows in shop.users, shop.orders; finished checkpoints" \
  "$(query "$duck_jar" "$duck_db" "${counts_sql[@]}" "$(finished_sql main)")" "4 3 2"
verdict "duckdb write into the /local volume: $input_states STATE messages, 4 + 3 rows, both tables finished in main._destkit_sync_checkpoints, exit 0" duckdb-write $t

t=$SECONDS
platform_run duckdb-write-again "$messages_file" "${duck_mounts[@]}" -- \
  "$duckdb_image" write --config destination_config.json --catalog destination_catalog.json
expect_rc duckdb-write-again 0
expect_messages duckdb-write-again STATE "$input_states"
expect_equal "rows in shop.users, shop.orders" "$(query "$duck_jar" "$duck_db" "${counts_sql[@]}")" "8 6"
verdict "duckdb second write appends to the same file: 8 + 6 rows, exit 0" duckdb-write-again $t

t=$SECONDS
platform_run duckdb-write-malformed "$work/malformed.jsonl" "${duck_mounts[@]}" -- \
  "$duckdb_image" write --config destination_config.json --catalog destination_catalog.json
expect_rc duckdb-write-malformed 1
expect_messages duckdb-write-malformed STATE 0
expect_line duckdb-write-malformed '"type":"TRACE","trace":{.*"type":"ERROR"'
expect_line duckdb-write-malformed '"failure_type":"system_error"'
expect_line duckdb-write-malformed '[Ll]ine 3 of the input'
expect_only_messages duckdb-write-malformed
verdict "duckdb write of a malformed line: TRACE ERROR naming line 3, exit 1" duckdb-write-malformed $t

# ---- PostgreSQL ----------------------------------------------------------------------------------
# The embedded PostgreSQL the tests and benchmarks use (benchmarks/pg/PgServer.java: binaries from
# Maven), on the host; the container shares the host's network to reach it on 127.0.0.1.
t=$SECONDS
pg_dir="$work/pg"
mkdir -p "$pg_dir/classes"
pg_ready=true
if ! (cd "$root" && mvn -B -q -Dstyle.color=never "${maven_args[@]}" -f benchmarks/pg/pom.xml \
      dependency:build-classpath -Dmdep.outputFile="$pg_dir/classpath.txt") >"$pg_dir/maven.log" 2>&1; then
  tail -20 "$pg_dir/maven.log" >&2
  pg_ready=false
fi
if $pg_ready && javac -d "$pg_dir/classes" -cp "$(cat "$pg_dir/classpath.txt")" "$root/benchmarks/pg/PgServer.java"; then
  export BENCH_PG_PASSWORD
  BENCH_PG_PASSWORD="$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
  mkfifo "$pg_dir/stdin"
  java -cp "$(cat "$pg_dir/classpath.txt"):$pg_dir/classes" PgServer --data-dir "$pg_dir/data" \
    --role destkit --database destkit --log "$pg_dir/server.log" \
    <"$pg_dir/stdin" >"$pg_dir/launcher.out" 2>"$pg_dir/launcher.err" &
  pg_launcher_pid=$!
  exec {pg_fd}>"$pg_dir/stdin"
  for ((i = 0; i < 600; i++)); do
    grep -qx ready "$pg_dir/launcher.out" 2>/dev/null && break
    kill -0 "$pg_launcher_pid" 2>/dev/null || break
    sleep 0.2
  done
  if grep -qx ready "$pg_dir/launcher.out"; then
    pg_port="$(sed -n 's/^port=//p' "$pg_dir/launcher.out")"
    pg_server_pid="$(sed -n 's/^pid=//p' "$pg_dir/launcher.out")"
  else
    cat "$pg_dir/launcher.err" >&2
    pg_ready=false
  fi
else
  pg_ready=false
fi
$pg_ready || expect "the embedded PostgreSQL server did not start"
verdict "postgres: the embedded server starts on the host${pg_port:+ (port $pg_port)}" "" $t

pg_config_json() {  # PASSWORD: the config as Airbyte's UI saves it, for the embedded server
  printf '{"host": "127.0.0.1", "port": %s, "database": "destkit", "schema": "public", "username": "destkit",
 "password": "%s", "ssl": false, "ssl_mode": {"mode": "disable"}, "tunnel_method": {"tunnel_method": "NO_TUNNEL"},
 "raw_data_schema": "airbyte_internal", "disable_type_dedupe": false, "drop_cascade": false}\n' "$pg_port" "$1"
}

t=$SECONDS
connector postgres-spec /dev/null -- "$postgres_image" spec
expect_rc postgres-spec 0
expect_messages postgres-spec SPEC 1
expect_line postgres-spec '"raw_data_schema"'
expect_only_messages postgres-spec
verdict "postgres spec: one SPEC message, exit 0" postgres-spec $t

if $pg_ready; then
  wrong_password="not-$BENCH_PG_PASSWORD"
  pg_config="$(config_dir postgres "$(pg_config_json "$BENCH_PG_PASSWORD")" "$catalog")"
  pg_bad="$(config_dir postgres-bad "$(pg_config_json "$wrong_password")")"
  pg_url="jdbc:postgresql://127.0.0.1:$pg_port/destkit?sslmode=disable"
  pg_jar="$root/destination-postgres/target/destination-postgres.jar"
  pg_query() { QUERY_USER=destkit QUERY_PASSWORD="$BENCH_PG_PASSWORD" query "$pg_jar" "$pg_url" "$@"; }

  t=$SECONDS
  platform_run postgres-check /dev/null --network host -v "$pg_config:/config:ro" -- \
    "$postgres_image" check --config /config/connectionConfiguration.json
  expect_rc postgres-check 0
  expect_messages postgres-check CONNECTION_STATUS 1
  expect_line postgres-check '"status":"SUCCEEDED"'
  expect_absent postgres-check "$BENCH_PG_PASSWORD"
  verdict "postgres check against the server on the host: SUCCEEDED" postgres-check $t

  t=$SECONDS
  platform_run postgres-check-bad /dev/null --network host -v "$pg_bad:/config:ro" -- \
    "$postgres_image" check --config /config/connectionConfiguration.json
  expect_rc postgres-check-bad 0
  expect_messages postgres-check-bad CONNECTION_STATUS 1
  expect_line postgres-check-bad '"status":"FAILED","message":"[^"]*password'
  expect_absent postgres-check-bad "$wrong_password"
  verdict "postgres check with a wrong password: FAILED naming the password, not printing it, exit 0" postgres-check-bad $t

  t=$SECONDS
  platform_run postgres-write "$messages_file" --network host -v "$pg_config:/config:ro" -- \
    "$postgres_image" write --config destination_config.json --catalog destination_catalog.json
  expect_rc postgres-write 0
  expect_messages postgres-write STATE "$input_states"
  expect_only_messages postgres-write
  expect_absent postgres-write "$BENCH_PG_PASSWORD"
  expect_equal "rows in shop.users, shop.orders; finished checkpoints" \
    "$(pg_query "${counts_sql[@]}" "$(finished_sql airbyte_internal)")" "4 3 2"
  verdict "postgres write: $input_states STATE messages, 4 + 3 rows in the server, both tables finished in airbyte_internal._destkit_sync_checkpoints, exit 0" postgres-write $t

  t=$SECONDS
  platform_run postgres-write-unknown "$work/unknown-stream.jsonl" --network host -v "$pg_config:/config:ro" -- \
    "$postgres_image" write --config destination_config.json --catalog destination_catalog.json
  expect_rc postgres-write-unknown 1
  expect_line postgres-write-unknown '"type":"TRACE","trace":{.*"type":"ERROR"'
  expect_line postgres-write-unknown '"failure_type":"system_error"'
  expect_line postgres-write-unknown 'refunds'
  expect_only_messages postgres-write-unknown
  expect_equal "rows in shop.users, shop.orders" "$(pg_query "${counts_sql[@]}")" "4 3"
  verdict "postgres write of a record for a stream not in the catalog: TRACE ERROR naming it, exit 1" postgres-write-unknown $t
fi

# ---- Iceberg -------------------------------------------------------------------------------------
# Iceberg's JDBC catalog in the embedded server's database, the warehouse under the /local volume.
t=$SECONDS
connector iceberg-spec /dev/null -- "$iceberg_image" spec
expect_rc iceberg-spec 0
expect_messages iceberg-spec SPEC 1
expect_line iceberg-spec '"warehouse_location"'
expect_only_messages iceberg-spec
verdict "iceberg spec: one SPEC message, exit 0" iceberg-spec $t

if $pg_ready; then
  iceberg_config_json() {  # PASSWORD
    printf '{"warehouse_location": "/local/warehouse", "catalog_type": {"catalog_type": "JDBC",
 "jdbc_url": "jdbc:postgresql://127.0.0.1:%s/destkit?sslmode=disable", "username": "destkit", "password": "%s",
 "catalog_name": "images", "namespace": "public"}}\n' "$pg_port" "$1"
  }
  iceberg_config="$(config_dir iceberg "$(iceberg_config_json "$BENCH_PG_PASSWORD")" "$catalog")"
  iceberg_bad="$(config_dir iceberg-bad "$(iceberg_config_json "$wrong_password")")"
  iceberg_mounts=(--network host -v "$iceberg_config:/config:ro" -v "$local_root:/local")
  # The catalog's tables as Iceberg's JDBC catalog lists them, and the data files of the warehouse.
  iceberg_tables_sql="SELECT string_agg(table_namespace || '.' || table_name, ' ' ORDER BY table_name) FROM iceberg_tables WHERE catalog_name = 'images'"
  data_files() { find "$local_root/warehouse/shop" -path '*/data/*.parquet' 2>/dev/null | wc -l; }

  t=$SECONDS
  platform_run iceberg-check /dev/null "${iceberg_mounts[@]}" -- "$iceberg_image" check --config /config/connectionConfiguration.json
  expect_rc iceberg-check 0
  expect_messages iceberg-check CONNECTION_STATUS 1
  expect_line iceberg-check '"status":"SUCCEEDED"'
  expect_absent iceberg-check "$BENCH_PG_PASSWORD"
  verdict "iceberg check against the catalog on the host and the /local warehouse: SUCCEEDED" iceberg-check $t

  t=$SECONDS
  platform_run iceberg-check-bad /dev/null --network host -v "$iceberg_bad:/config:ro" -v "$local_root:/local" -- \
    "$iceberg_image" check --config /config/connectionConfiguration.json
  expect_rc iceberg-check-bad 0
  expect_messages iceberg-check-bad CONNECTION_STATUS 1
  expect_line iceberg-check-bad '"status":"FAILED","message":"[^"]*password'
  expect_absent iceberg-check-bad "$wrong_password"
  verdict "iceberg check with a wrong password: FAILED naming the password, not printing it, exit 0" iceberg-check-bad $t

  t=$SECONDS
  platform_run iceberg-write "$messages_file" "${iceberg_mounts[@]}" -- \
    "$iceberg_image" write --config destination_config.json --catalog destination_catalog.json
  expect_rc iceberg-write 0
  expect_messages iceberg-write STATE "$input_states"
  expect_only_messages iceberg-write
  expect_absent iceberg-write "$BENCH_PG_PASSWORD"
  expect_equal "the catalog's tables" "$(pg_query "$iceberg_tables_sql")" "shop.orders shop.users"
  files="$(data_files)"
  [ "$files" -ge 2 ] || expect "$files Parquet data files under /local/warehouse/shop, expected at least 2"
  [ -z "$(find "$local_root/warehouse" ! -uid 1000 -print -quit)" ] || expect "warehouse files not owned by id 1000"
  verdict "iceberg write into the /local warehouse: $input_states STATE messages, both tables in the catalog, $files data files, exit 0" iceberg-write $t
fi

# ---- a source run as an image by destkit sync -----------------------------------------------------
# destkit sync runs the example source's image with podman (its files mounted read-only at /config,
# the working directory, readable by the image's user) into a DuckDB file on the host: a first run,
# then an incremental one that reads only the new users and purchases.
sync_dir="$work/sync"
mkdir -p "$sync_dir"
echo '{"seed": 11, "count": 300}' >"$sync_dir/first.json"
echo '{"seed": 11, "count": 400}' >"$sync_dir/second.json"
echo "{\"destination_path\": \"$sync_dir/sync.duckdb\"}" >"$sync_dir/destination.json"
sync_run() {  # NAME SOURCE_CONFIG
  local rc=0
  java -Xmx512m -jar "$root/destkit-sync/target/destkit-sync.jar" sync --source-image "${image[source-example]}" \
    --container-runtime "${podman[*]}" --source-config "$sync_dir/$2" --config "$sync_dir/destination.json" \
    --progress-seconds 0 >"$work/runs/$1.out" 2>"$work/runs/$1.err" </dev/null || rc=$?
  echo "${rc:-0}" >"$work/runs/$1.rc"
}
sync_counts=("SELECT count(*) FROM main.users" "SELECT count(*) FROM main.purchases" "SELECT count(*) FROM main.products")
t=$SECONDS
sync_run sync-image-first first.json
expect_rc sync-image-first 0
expect_equal "rows in users, purchases, products" "$(query "$duck_jar" "jdbc:duckdb:$sync_dir/sync.duckdb" "${sync_counts[@]}")" "300 900 50"
verdict "destkit sync --source-image: the example source's image into DuckDB, 300 users, 900 purchases, 50 products" sync-image-first $t
t=$SECONDS
sync_run sync-image-second second.json
expect_rc sync-image-second 0
grep -Eq '^users .* 100 +100 ' "$work/runs/sync-image-second.err" || expect "the second run did not read exactly the 100 new users"
expect_equal "rows in users, purchases, products" "$(query "$duck_jar" "jdbc:duckdb:$sync_dir/sync.duckdb" "${sync_counts[@]}")" "400 1200 50"
verdict "destkit sync --source-image, incremental: the 100 new users and 300 new purchases only, nothing doubled" sync-image-second $t

# ---- summary -------------------------------------------------------------------------------------
echo
for module in "${modules[@]}"; do
  bytes="$("${podman[@]}" image inspect --format '{{.Size}}' "${image[$module]}")"
  echo "image ${image[$module]}: $((bytes / 1000000)) MB"
done
bytes="$("${podman[@]}" image inspect --format '{{.Size}}' "$base")"
echo "base $base: $((bytes / 1000000)) MB"
echo "total time: $(seconds_since "$started") s"
if [ "$failed" -gt 0 ]; then
  echo "images: $failed of $((passed + failed)) cases FAILED: ${failures[*]}"
  exit 1
fi
echo "images: all $passed cases passed"
