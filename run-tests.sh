#!/usr/bin/env bash
# Every test of the project: the Java build with unit tests, integration tests against a real
# in-process Kafka broker and Flink MiniCluster, then the model's Python tests.
set -euo pipefail
cd "$(dirname "$0")"
# The soak runs for 2 minutes here; on its own it runs for 30 (see docs/cluster.md).
mvn -B verify -Dsoak.minutes=2
model/run_tests.sh
