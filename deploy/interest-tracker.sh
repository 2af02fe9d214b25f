#!/usr/bin/env bash
# Runs a command of the job jar (create-topics, replay, ...) on the classpath a Flink cluster
# gives the job: the jar plus Flink's own lib folder, which holds Flink and the logging jars.
set -euo pipefail

jar="${INTEREST_TRACKER_JAR:-/opt/interest-tracker/interest-tracker.jar}"
exec java \
  -Dlog4j.configurationFile="${FLINK_HOME}/conf/log4j-console.properties" \
  -cp "${jar}:${FLINK_HOME}/lib/*" \
  org.interesttracker.cli.InterestTrackerCli "$@"
