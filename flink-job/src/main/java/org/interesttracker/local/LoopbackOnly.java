package org.interesttracker.local;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;

/**
 * Keeps an embedded cluster to this machine. Flink's defaults listen on every interface and let
 * whoever reaches the web UI upload a jar and run it in this JVM, or cancel the job: fine inside a
 * cluster's private network, not on a laptop in a café.
 */
public final class LoopbackOnly {
  public static final String LOOPBACK = "127.0.0.1";

  private LoopbackOnly() {}

  /**
   * Binds the REST endpoint, RPC, blob server and shuffle to loopback; no jar upload, no cancel.
   */
  public static void apply(Configuration flinkConfig) {
    flinkConfig.set(RestOptions.ADDRESS, LOOPBACK);
    flinkConfig.set(RestOptions.BIND_ADDRESS, LOOPBACK);
    flinkConfig.set(JobManagerOptions.ADDRESS, LOOPBACK);
    flinkConfig.set(JobManagerOptions.BIND_HOST, LOOPBACK);
    flinkConfig.set(TaskManagerOptions.HOST, LOOPBACK);
    flinkConfig.set(TaskManagerOptions.BIND_HOST, LOOPBACK);
    flinkConfig.set(WebOptions.SUBMIT_ENABLE, false);
    flinkConfig.set(WebOptions.CANCEL_ENABLE, false);
  }
}
