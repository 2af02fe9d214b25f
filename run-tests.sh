#!/usr/bin/env bash
# Every test of the project: the Java build with unit tests, integration tests against a real
# in-process Kafka broker and Flink MiniCluster, then the model's Python tests.
set -euo pipefail
cd "$(dirname "$0")"
mvn -B verify
model/run_tests.sh
