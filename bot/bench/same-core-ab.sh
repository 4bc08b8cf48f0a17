#!/usr/bin/env bash
# Compares the CPU two builds of ballast need for the same study, run at the same time on the same core.
#
#   bash bot/bench/same-core-ab.sh ENTRIES ROUNDS DIR_A DIR_B [DATA]
#
# DIR_A and DIR_B each hold a ballast.jar and its lib/ (copy bot/app/target/ballast.jar and bot/app/target/lib);
# a file DIR/flags adds JVM options to that side. Each round starts both studies together, pinned to one core
# (taskset), each with one study thread; the core alternates from round to round and the start order every two rounds.
# Both then see the same host at the same moment, so what this VM's speed does to one it does to the other: the paired
# CPU times (user + system) are compared as a ratio, with its standard error over the rounds. Wall time on two cores
# moves by more than most changes are worth (the same build 33-46 s), and the two cores are not always equally fast.
# The outputs must be byte-identical; the script says so.
set -euo pipefail
n=$1 rounds=$2 A=$3 B=$4 data=${5:-../shared/data}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
log=$(mktemp)
run() { # dir core
  /usr/bin/time -f "$1 %e %U %S" -o "$1/time.txt" taskset -c "$2" "$java" -XX:+UseSerialGC $(cat "$1/flags" 2>/dev/null || true) \
    -jar "$1/ballast.jar" study --threads 1 --data "$data" --entries "$n" --horizons 30d --seed 2024 >"$1/out.txt" 2>/dev/null
}
for i in $(seq 1 "$rounds"); do
  core=$(((i + 1) % 2))
  if [ $((i % 4)) -lt 2 ]; then first=$A second=$B; else first=$B second=$A; fi
  run "$first" "$core" & run "$second" "$core" & wait
  echo "round $i, core $core" | tee -a "$log"
  cat "$A/time.txt" "$B/time.txt" | tee -a "$log"
done
cmp -s "$A/out.txt" "$B/out.txt" && echo "outputs byte-identical" || echo "OUTPUTS DIFFER"
python3 - "$log" "$A" "$B" <<'PY'
import math, statistics as st, sys
log, A, B = sys.argv[1:]
rows = [l.split() for l in open(log) if l.split() and l.split()[0] in (A, B)]
cpu = lambda d: [float(r[2]) + float(r[3]) for r in rows if r[0] == d]
a, b = cpu(A), cpu(B)
r = [math.log(y / x) for x, y in zip(a, b)]
se = st.stdev(r) / len(r) ** 0.5 if len(r) > 1 else float("nan")
print(f"CPU: {A} {st.mean(a):.2f} s, {B} {st.mean(b):.2f} s; B/A {100 * (math.exp(st.mean(r)) - 1):+.2f} % "
      f"± {100 * se:.2f} % over {len(r)} rounds")
PY
rm -f "$log"
