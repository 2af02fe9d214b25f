package org.interesttracker.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Ports for servers that tests start, so that parallel builds and leftovers do not collide. */
public final class FreePorts {
  private FreePorts() {}

  /** A port nothing listened on a moment ago, as the operating system hands out. */
  public static int pick() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
