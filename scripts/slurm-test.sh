#!/usr/bin/env bash
# End-to-end test of `mfg sweep` on a real, throw-away, single-node Slurm cluster on loopback.
#
#   sudo bash scripts/slurm-test.sh        # as root; CI runs it from .ci/run
#
# It installs Slurm and MUNGE from Debian's packages if they are missing, builds mfg, starts munged
# (unless one already answers) and a private slurmctld + slurmd whose config, state, spool, logs and
# pid files live in a temporary directory (ports chosen free on 127.0.0.1, nothing listens
# elsewhere), then:
#   1. submits deploy/slurm/sweep.sbatch as a 3-task job array on sweep/testdata/small.yaml, and the
#      merge as a job depending on it (afterok), exactly as documented in that file;
#   2. runs the same sweep in one process;
#   3. checks every array task and the merge succeeded, that runs.parquet and iterations.parquet are
#      byte-identical between the two, and that a merge with a result removed fails;
#   4. runs the tuning study tune/testdata/slurm.yaml as a 2-task job array sharing one study folder
#      (deploy/slurm/tune.sbatch) and in one process, and checks that trials.parquet, games.parquet
#      and best.yaml are byte-identical.
# The daemons it started (and munged, if it started it) are always stopped, by their pid files, and
# the temporary directory is removed. The last line is "slurm-sweep-test: 1 passed, 0 failed" or
# "slurm-sweep-test: 0 passed, 1 failed" (exit status non-zero).
#
# Environment (all optional): SLURM_TEST_SWEEP (sweep file, default sweep/testdata/small.yaml),
# SLURM_TEST_TUNE (study file, default tune/testdata/slurm.yaml),
# SLURM_TEST_SHARDS (array size, default 3), SLURM_TEST_MFG (use this mfg binary instead of building
# one), SLURM_TEST_KEEP=1 (keep the temporary directory), SLURM_TEST_TIMEOUT (seconds to wait for
# the jobs, default 90).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
export PATH="$PATH:/usr/local/go/bin:/usr/sbin:/sbin"

SWEEP_FILE="${SLURM_TEST_SWEEP:-sweep/testdata/small.yaml}"
TUNE_FILE="${SLURM_TEST_TUNE:-tune/testdata/slurm.yaml}"
SHARDS="${SLURM_TEST_SHARDS:-3}"
JOB_TIMEOUT="${SLURM_TEST_TIMEOUT:-90}"
NODE=mfgtest-node

WORK=""
STARTED_MUNGED=0
OUR_POLICY_RC=0
JOBS=""
T0=$SECONDS

log() { echo "slurm-test: [$((SECONDS - T0))s] $*"; }
fail() { echo "slurm-test: FAIL: $*" >&2; exit 1; }

pid_of() { # pid_of PIDFILE: the live pid in PIDFILE, or nothing
  local pid
  [ -s "$1" ] || return 1
  pid="$(tr -dc 0-9 < "$1")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

stop_pidfiles() { # stop_pidfiles PIDFILE...: TERM all, wait up to 10 s for them to exit, then KILL
  local f pid pids=() i
  for f in "$@"; do
    if pid="$(pid_of "$f")"; then kill -TERM "$pid" 2>/dev/null && pids+=("$pid"); fi
  done
  [ "${#pids[@]}" -gt 0 ] || return 0
  for i in $(seq 100); do
    kill -0 "${pids[@]}" 2>/dev/null || break # true while any of them lives
    sleep 0.1
  done
  for pid in "${pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      echo "slurm-test: pid $pid ignored SIGTERM for 10 s, killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
}

show_file() { # show_file TITLE FILE [LINES]
  [ -f "$2" ] || return 0
  echo "----- $1 ($2) -----"
  tail -n "${3:-60}" "$2"
}

show_logs() {
  [ -n "$WORK" ] && [ -d "$WORK" ] || return 0
  show_file slurmctld.log "$WORK/slurmctld.log"
  show_file slurmd.log "$WORK/slurmd.log"
  local f
  for f in "$WORK"/logs/*; do show_file "job output" "$f" 40; done
  if [ "$STARTED_MUNGED" = 1 ]; then show_file munged.log /var/log/munge/munged.log 20; fi
  echo "-----"
}

remove_policy_rc() {
  if [ "$OUR_POLICY_RC" = 1 ]; then rm -f /usr/sbin/policy-rc.d; OUR_POLICY_RC=0; fi
}

cleanup() {
  local rc=$? i ids
  set +e
  trap - EXIT INT TERM
  remove_policy_rc
  if [ "$rc" != 0 ]; then show_logs >&2; fi
  if [ -n "$WORK" ]; then
    # Cancel what may still run, so that no job outlives its cluster.
    if [ -n "$JOBS" ] && pid_of "$WORK/slurmctld.pid" >/dev/null; then
      IFS=, read -ra ids <<< "$JOBS"
      scancel "${ids[@]}" 2>/dev/null
      for i in $(seq 50); do
        [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break
        sleep 0.2
      done
    fi
    stop_pidfiles "$WORK/slurmd.pid" "$WORK/slurmctld.pid"
  fi
  if [ "$STARTED_MUNGED" = 1 ]; then stop_pidfiles /run/munge/munged.pid; fi
  if [ -n "$WORK" ] && [ -d "$WORK" ]; then
    if [ "${SLURM_TEST_KEEP:-0}" = 1 ]; then
      echo "slurm-test: kept $WORK"
    else
      rm -rf "$WORK"
    fi
  fi
  if [ "$rc" = 0 ]; then
    echo "slurm-sweep-test: 1 passed, 0 failed"
  else
    echo "slurm-sweep-test: 0 passed, 1 failed"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

[ "$(id -u)" = 0 ] || fail "must run as root (it installs packages and starts munged and Slurm daemons)"
[ -r "$SWEEP_FILE" ] || fail "sweep file $SWEEP_FILE not found (in $REPO)"
[ "$SHARDS" -ge 2 ] || fail "SLURM_TEST_SHARDS must be at least 2"

WORK="$(mktemp -d /tmp/mfg-slurm-test.XXXXXX)"
chmod 755 "$WORK"
mkdir -p "$WORK/state" "$WORK/spool" "$WORK/logs"

# --- (a) Slurm and MUNGE from Debian's packages -------------------------------------------------
PKGS=(slurmctld slurmd slurm-client munge)
missing=0
for c in slurmctld slurmd sbatch squeue sinfo scontrol scancel munged munge unmunge; do
  command -v "$c" >/dev/null 2>&1 || missing=1
done
if [ "$missing" = 1 ]; then
  log "installing ${PKGS[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # The packages' scripts would start munged, slurmctld and slurmd with the system's (missing)
  # config: forbid that while installing, unless the machine already does (containers usually do).
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\n# temporary, from scripts/slurm-test.sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    OUR_POLICY_RC=1
  fi
  APT=(apt-get install -y -q --no-install-recommends -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  if ! "${APT[@]}" "${PKGS[@]}" > "$WORK/apt.log" 2>&1; then
    log "install failed, running apt-get update first"
    apt-get update -q >> "$WORK/apt.log" 2>&1 || { tail -n 40 "$WORK/apt.log" >&2; fail "apt-get update failed"; }
    "${APT[@]}" "${PKGS[@]}" >> "$WORK/apt.log" 2>&1 || { tail -n 40 "$WORK/apt.log" >&2; fail "apt-get install ${PKGS[*]} failed"; }
  fi
  remove_policy_rc
  log "installed $(dpkg-query -W -f '${Package} ${Version}  ' slurmctld munge)"
fi

# --- (b) mfg -------------------------------------------------------------------------------------
if [ -n "${SLURM_TEST_MFG:-}" ]; then
  cp "$SLURM_TEST_MFG" "$WORK/mfg"
else
  log "building mfg"
  go build -o "$WORK/mfg" ./cmd/mfg || fail "go build ./cmd/mfg failed"
fi
"$WORK/mfg" sweep --help > /dev/null 2>&1 || fail "this mfg has no working 'sweep' command"
export MFG="$WORK/mfg"

# --- (c) MUNGE -----------------------------------------------------------------------------------
munge_ok() { munge -n 2>/dev/null | unmunge >/dev/null 2>&1; }
if munge_ok; then
  log "munged already running: using it"
else
  if [ ! -s /etc/munge/munge.key ]; then
    log "creating /etc/munge/munge.key"
    mkdir -p /etc/munge
    if command -v mungekey >/dev/null 2>&1; then
      mungekey --create --keyfile=/etc/munge/munge.key
    else
      create-munge-key -f
    fi
  fi
  chown munge:munge /etc/munge /etc/munge/munge.key
  chmod 700 /etc/munge
  chmod 400 /etc/munge/munge.key
  for d in /run/munge /var/lib/munge /var/log/munge; do
    mkdir -p "$d"
    chown munge:munge "$d"
  done
  chmod 755 /run/munge
  chmod 700 /var/lib/munge /var/log/munge
  # A stale pid file of a dead munged is harmless; a live munged that does not answer is not ours.
  if pid_of /run/munge/munged.pid >/dev/null; then fail "a munged is running but does not answer"; fi
  log "starting munged"
  runuser -u munge -- munged
  STARTED_MUNGED=1
  for i in $(seq 50); do munge_ok && break; sleep 0.1; done
  munge_ok || fail "munged does not answer"
fi

# --- (d) a private cluster -----------------------------------------------------------------------
port_free() { ! ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }
CTLD_PORT="" SLURMD_PORT=""
for i in $(seq 50); do
  p=$((20000 + (RANDOM % 5000) * 2))
  if port_free "$p" && port_free $((p + 1)); then CTLD_PORT=$p SLURMD_PORT=$((p + 1)); break; fi
done
[ -n "$CTLD_PORT" ] || fail "found no free pair of ports"

NCPU="$(nproc)"
export SLURM_CONF="$WORK/slurm.conf"
cat > "$SLURM_CONF" <<EOF
# Throw-away single-node cluster of scripts/slurm-test.sh: everything on 127.0.0.1.
ClusterName=mfgtest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
CommunicationParameters=NoCtldInAddrAny,NoInAddrAny
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
SwitchType=switch/none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0,sched_interval=1
ReturnToService=2
MailProg=/bin/true
InactiveLimit=0
KillWait=5
MinJobAge=300
Waittime=0
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/slurmctld.log
SlurmdLogFile=$WORK/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
NodeName=$NODE NodeAddr=127.0.0.1 NodeHostName=$NODE CPUs=$NCPU RealMemory=1024 State=UNKNOWN
PartitionName=mfgtest Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF

log "starting slurmctld (port $CTLD_PORT) and slurmd (port $SLURMD_PORT, $NCPU CPUs)"
slurmctld -f "$SLURM_CONF" || fail "slurmctld did not start"
slurmd -f "$SLURM_CONF" -N "$NODE" || fail "slurmd did not start"

state=""
for i in $(seq 300); do # 30 s
  # The daemons exit 0 after forking even when they die at once: watch their pid files.
  if [ "$i" -gt 20 ]; then
    pid_of "$WORK/slurmctld.pid" >/dev/null || fail "slurmctld died"
    pid_of "$WORK/slurmd.pid" >/dev/null || fail "slurmd died"
  fi
  state="$(sinfo -h -N -n "$NODE" -o %T 2>/dev/null || true)"
  [ "$state" = idle ] && break
  sleep 0.1
done
[ "$state" = idle ] || fail "node $NODE is not idle after 30 s (state: '${state:-none}')"
log "node $NODE idle"

wait_jobs() { # wait until the queue is empty, JOB_TIMEOUT seconds at most
  local deadline=$((SECONDS + JOB_TIMEOUT)) left
  while :; do
    left="$(squeue -h -o '%i %T' 2>/dev/null)" || fail "squeue failed"
    [ -z "$left" ] && break
    [ "$SECONDS" -lt "$deadline" ] || fail "jobs still not finished after ${JOB_TIMEOUT}s: $(echo "$left" | tr '\n' ' ')"
    pid_of "$WORK/slurmctld.pid" >/dev/null || fail "slurmctld died"
    sleep 0.5
  done
  log "jobs finished"
  JOBS="" # nothing left to cancel
}

check_jobs() { # check_jobs JOBID...: every job (every array task) COMPLETED with exit code 0
  # slurmctld keeps finished jobs for MinJobAge seconds, so scontrol still knows them.
  local bad="" id line jid task st ec name
  for id in "$@"; do
    while read -r line; do
      jid="$(grep -oE '^JobId=[0-9]+' <<< "$line")"
      task="$(grep -oE ' ArrayTaskId=[^ ]+' <<< "$line" || true)"
      st="$(grep -o 'JobState=[^ ]*' <<< "$line")"
      ec="$(grep -o ' ExitCode=[^ ]*' <<< "$line")"
      name="$(grep -o ' JobName=[^ ]*' <<< "$line" || true)"
      echo "slurm-test:   $jid$task$name $st$ec"
      [ "$st" = JobState=COMPLETED ] && [ "$ec" = " ExitCode=0:0" ] || bad="$bad $jid"
    done < <(scontrol -o show job "$id")
  done
  [ -z "$bad" ] || fail "jobs not completed with exit code 0:$bad"
}

# --- (e) the sweep as a job array, and the merge as a dependent job ------------------------------
SHARDED="$WORK/sharded"
SINGLE="$WORK/single"
JOBID="$(sbatch --parsable --array=0-$((SHARDS - 1)) --cpus-per-task=1 --time=00:05:00 \
  --chdir="$REPO" --output="$WORK/logs/sweep-%A_%a.out" \
  deploy/slurm/sweep.sbatch "$SWEEP_FILE" "$SHARDED")" || fail "sbatch of the array failed"
JOBID="${JOBID%%;*}"
JOBS="$JOBID"
MERGEID="$(sbatch --parsable --dependency="afterok:$JOBID" --kill-on-invalid-dep=yes \
  --job-name=mfg-merge --cpus-per-task=1 --time=00:05:00 --chdir="$REPO" \
  --output="$WORK/logs/merge-%j.out" \
  --wrap "\"\$MFG\" sweep merge \"$SWEEP_FILE\" --out \"$SHARDED\"")" || fail "sbatch of the merge failed"
MERGEID="${MERGEID%%;*}"
JOBS="$JOBID,$MERGEID"
log "submitted array job $JOBID (tasks 0-$((SHARDS - 1))) and merge job $MERGEID"

wait_jobs
# Every array task and the merge must have COMPLETED with exit code 0.
check_jobs "$JOBID" "$MERGEID"
ntasks="$(scontrol -o show job "$JOBID" | grep -c 'ArrayTaskId=')" || true
[ "$ntasks" = "$SHARDS" ] || fail "expected $SHARDS array tasks, scontrol shows $ntasks"
for ((i = 0; i < SHARDS; i++)); do
  out="$WORK/logs/sweep-${JOBID}_$i.out"
  grep -q "^mfg-sweep: shard $i/$SHARDS done" "$out" 2>/dev/null || fail "array task $i did not report success (see $out)"
done
for f in runs.parquet iterations.parquet; do
  [ -s "$SHARDED/$f" ] || fail "the merge wrote no $SHARDED/$f"
done
# A run that fails is recorded and reported by the merge ("failed run ID ...") without failing it.
if grep -q '^failed run ' "$WORK/logs/merge-$MERGEID.out"; then
  fail "runs failed: $(grep '^failed run ' "$WORK/logs/merge-$MERGEID.out" | head -n 5)"
fi

# --- (f) the same sweep in one process ----------------------------------------------------------
log "running the sweep in one process"
timeout 120 "$MFG" sweep "$SWEEP_FILE" --out "$SINGLE" --no-progress > "$WORK/logs/single.out" 2>&1 \
  || fail "mfg sweep in one process failed: $(tail -n 20 "$WORK/logs/single.out")"

# --- (g) byte-identical results ------------------------------------------------------------------
for f in runs.parquet iterations.parquet; do
  [ -s "$SINGLE/$f" ] || fail "the single-process sweep wrote no $SINGLE/$f"
  cmp "$SINGLE/$f" "$SHARDED/$f" || fail "$f differs between $SHARDS Slurm shards + merge and one process"
  log "$f identical ($(stat -c %s "$SINGLE/$f") bytes)"
done

# A merge with one result missing must fail.
CUT="$WORK/cut"
cp -r "$SHARDED" "$CUT"
rm -f "$CUT/runs.parquet" "$CUT/iterations.parquet"
victim="$(find "$CUT/runs" -type f | sort | head -n 1)"
[ -n "$victim" ] || fail "no result files in $SHARDED/runs"
rm -f "$victim"
if timeout 60 "$MFG" sweep merge "$SWEEP_FILE" --out "$CUT" > "$WORK/logs/cut.out" 2>&1; then
  fail "mfg sweep merge succeeded with ${victim#"$CUT"/} removed"
fi
log "merge with ${victim#"$CUT"/} removed fails as it should"

# --- (h) a tuning study shared by a job array, against one process ------------------------------
STUDY="$WORK/study"
TUNEID="$(sbatch --parsable --array=0-1 --cpus-per-task=1 --time=00:05:00 --chdir="$REPO" \
  --output="$WORK/logs/tune-%A_%a.out" deploy/slurm/tune.sbatch "$TUNE_FILE" "$STUDY")" \
  || fail "sbatch of the tuning array failed"
TUNEID="${TUNEID%%;*}"
JOBS="$TUNEID"
log "submitted tuning array job $TUNEID (tasks 0-1) on $TUNE_FILE"
wait_jobs
check_jobs "$TUNEID"
log "running the study in one process"
timeout 120 "$MFG" tune "$TUNE_FILE" --out "$WORK/study-single" --no-progress > "$WORK/logs/study-single.out" 2>&1 \
  || fail "mfg tune in one process failed: $(tail -n 20 "$WORK/logs/study-single.out")"
for f in trials.parquet games.parquet best.yaml; do
  [ -s "$STUDY/$f" ] || fail "the Slurm study wrote no $STUDY/$f"
  cmp "$WORK/study-single/$f" "$STUDY/$f" || fail "$f differs between 2 Slurm tasks and one process"
  log "study's $f identical ($(stat -c %s "$STUDY/$f") bytes)"
done
log "done"
