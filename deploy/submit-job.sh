#!/usr/bin/env bash
# Submits the job to a session cluster, detached; the arguments are the job's `run` options.
# Does nothing when a job of the same name already runs there, so starting the stack again does
# not submit a second copy. With RESTORE_FROM set to a savepoint (or retained checkpoint) path,
# the job starts from that state.
set -euo pipefail

jobmanager="${JOBMANAGER:-jobmanager:8081}"
jar="${INTEREST_TRACKER_JAR:-/opt/interest-tracker/interest-tracker-job.jar}"
job_name="interest-tracker"

if flink list --running --jobmanager "${jobmanager}" | grep -q " : ${job_name} (RUNNING)"; then
  echo "${job_name} is already running on ${jobmanager}; not submitting it again"
  exit 0
fi

restore=()
if [[ -n "${RESTORE_FROM:-}" ]]; then
  restore=(--fromSavepoint "${RESTORE_FROM}")
fi

exec flink run --detached --jobmanager "${jobmanager}" "${restore[@]}" "${jar}" run "$@"
