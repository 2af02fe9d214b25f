#!/usr/bin/env bash
# Runs a command of the job jar (create-topics, replay, consume, ...) on the classpath a Flink
# cluster gives the job: the jar plus Flink's own lib folder, which holds Flink and the logging
# jars. Logging is configured by the jar's own log4j2.properties (warnings, on stderr), so the
# output of a command such as consume stays clean on stdout.
set -euo pipefail

jar="${INTEREST_TRACKER_JAR:-/opt/interest-tracker/interest-tracker-job.jar}"
exec java -cp "${jar}:${FLINK_HOME}/lib/*" org.interesttracker.cli.InterestTrackerCli "$@"
