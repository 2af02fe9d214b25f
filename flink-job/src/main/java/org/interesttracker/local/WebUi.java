package org.interesttracker.local;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.WebOptions;

/**
 * The embedded cluster's web UI: its port, the address it listens on, and whether a visitor may
 * upload and run jars and cancel jobs. Everything else of the cluster stays on loopback whatever
 * this says.
 *
 * @param port port of the web UI, or 0 for none
 * @param bindAddress address the web UI listens on; {@link LoopbackOnly#LOOPBACK} keeps it to this
 *     machine
 * @param submitAndCancel whether the web UI may upload and run jars and cancel jobs
 */
public record WebUi(int port, String bindAddress, boolean submitAndCancel) {
  public static final WebUi NONE = new WebUi(0, LoopbackOnly.LOOPBACK, false);

  public WebUi {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("web port must be 0 (none) or a port number, got " + port);
    }
    if (bindAddress == null || bindAddress.isBlank()) {
      throw new IllegalArgumentException("web bind address must not be empty");
    }
  }

  public boolean enabled() {
    return port != NONE.port;
  }

  /** Sets the cluster's configuration for this web UI, on top of {@link LoopbackOnly}. */
  void configure(Configuration flinkConfig) {
    LoopbackOnly.apply(flinkConfig);
    flinkConfig.set(RestOptions.PORT, port);
    flinkConfig.set(RestOptions.BIND_ADDRESS, bindAddress);
    flinkConfig.set(WebOptions.SUBMIT_ENABLE, submitAndCancel);
    flinkConfig.set(WebOptions.CANCEL_ENABLE, submitAndCancel);
  }

  /** Where the web UI is, for the user to open. */
  String describe() {
    String url = "Flink web UI at http://localhost:" + port;
    if (LoopbackOnly.LOOPBACK.equals(bindAddress)) {
      return url;
    }
    return url
        + ", listening on "
        + bindAddress
        + (submitAndCancel ? " with jar upload and cancel ON" : "");
  }
}
