# Shared by scripts/spark-standalone.sh and scripts/spark-bench.sh (sourced, not run): a Spark
# home made of Spark's own Maven jars, a standalone master and two 1-core workers on loopback
# started from them, SparkSubmit, and stopping every process started here by PID.
# Expects root, work (emptied here) and needs=(the caller's input files); checks the built jars.
app_jar="$(ls "$root"/spark/target/latent-nlp-spark-*.jar 2>/dev/null | head -1)"
for f in "${app_jar:-spark/target/latent-nlp-spark-*.jar}" "$root/cli/target/latent-nlp-cli.jar" "${needs[@]}"; do
  [ -e "$f" ] || { echo "missing $f: run mvn -B package -DskipTests (corpora: scripts/fetch-brown.sh, scripts/fetch-debian.sh)" >&2; exit 2; }
done
export DJL_OFFLINE=true
# Spark's Java 17 options, from the one place they are kept (spark/pom.xml, also Surefire's argLine)
opens="$(sed -n 's:.*<spark.java17.opens>\(.*\)</spark.java17.opens>.*:\1:p' "$root/spark/pom.xml")"

rm -rf "$work"; mkdir -p "$work/spark-home/jars" "$work/logs" "$work/spark-dist"
# A Spark home whose jars/ holds Spark's own Maven jars, resolved alone (as a Spark distribution
# ships them, with the versions of Spark's parent POM, not mixed with this project's): the Worker builds executor command lines from it.
spark_version="$(sed -n 's:.*<spark.version>\(.*\)</spark.version>.*:\1:p' "$root/spark/pom.xml")"
cat > "$work/spark-dist/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>local</groupId><artifactId>spark-dist</artifactId><version>1</version>
  <dependencyManagement><dependencies><dependency><groupId>org.apache.spark</groupId><artifactId>spark-parent_2.12</artifactId>
    <version>$spark_version</version><type>pom</type><scope>import</scope></dependency></dependencies></dependencyManagement>
  <dependencies><dependency><groupId>org.apache.spark</groupId><artifactId>spark-mllib_2.12</artifactId><version>$spark_version</version></dependency></dependencies>
</project>
POM
mvn -B -q -f "$work/spark-dist/pom.xml" dependency:build-classpath -Dmdep.outputFile="$work/spark-dist/classpath.txt" >&2
tr ':' '\n' < "$work/spark-dist/classpath.txt" | while read -r j; do ln -s "$j" "$work/spark-home/jars/"; done
export SPARK_HOME="$work/spark-home" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP=127.0.0.1
spark_cp="$SPARK_HOME/jars/*"
# the application's own jars for --jars (Spark provides Jackson and SLF4J)
jars="$(ls "$root"/spark/target/lib/*.jar | grep -v -e jackson- -e slf4j-api | paste -sd, -)"

pids=()
stop_all() { # every process started here, by PID
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap stop_all EXIT
fail() { echo "FAIL: $*"; exit 1; }
wait_for() { # file pattern count seconds
  for _ in $(seq 1 "$4"); do
    [ "$(grep -c "$2" "$1" 2>/dev/null || true)" -ge "$3" ] && return 0; sleep 1
  done
  fail "timed out waiting for '$2' in $1"
}

start_cluster() { # sets master, worker1_pid, worker2_pid
port=$((7100 + RANDOM % 800))
master="spark://127.0.0.1:$port"
java $opens -Xmx512m -cp "$spark_cp" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" --webui-port 0 \
  > "$work/logs/master.log" 2>&1 & pids+=($!)
wait_for "$work/logs/master.log" "I have been elected leader" 1 240
for w in 1 2; do
  java $opens -Xmx512m -cp "$spark_cp" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 1 --memory 3g --webui-port 0 \
    --work-dir "$work/worker$w" "$master" > "$work/logs/worker$w.log" 2>&1 & pids+=($!)
  eval "worker${w}_pid=$!"
done
wait_for "$work/logs/master.log" "Registering worker" 2 240
loopback_only "${pids[0]}" "$worker1_pid" "$worker2_pid"
echo "master $master (pid ${pids[0]}) and 2 workers (pids $worker1_pid $worker2_pid) on loopback"
}

loopback_only() { # pids...: fails naming any TCP socket they listen on beyond loopback (as the kernel lists it, ss -ltnp)
  command -v ss > /dev/null || { echo "ss not found (apt-get install iproute2): listening addresses not checked" >&2; return 0; }
  local p open
  for p in "$@"; do
    open="$(ss -Hltnp | grep "pid=$p," | awk '{print $4}' | grep -v -E '^(127\.[0-9.]+|\[::1\]|\[::ffff:127\.[0-9.]+\]):[0-9]+$' || true)"
    [ -z "$open" ] || fail "process $p listens beyond loopback: $open (SPARK_LOCAL_IP and --host 127.0.0.1 should keep it on 127.0.0.1)"
  done
}

submit() { # master log args...
  local m="$1" log="$2"; shift 2
  java $opens -Xmx2g -cp "$spark_cp" org.apache.spark.deploy.SparkSubmit --master "$m" --deploy-mode client \
    --class io.latentnlp.spark.SparkJobs --jars "$jars" \
    --conf spark.ui.enabled=false --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 --conf spark.executor.memory=2g \
    --conf spark.executorEnv.DJL_OFFLINE=true --conf "spark.executor.extraJavaOptions=-Dai.djl.offline=true" \
    "$app_jar" "$@" 2> "$log"
}
json() { python3 -c "import json,sys; print(json.loads(sys.stdin.readline())['$1'])"; }
