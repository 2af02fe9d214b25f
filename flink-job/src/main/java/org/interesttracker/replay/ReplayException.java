package org.interesttracker.replay;

/** Kafka did not accept the replayed records; the message says which topic and why. */
public final class ReplayException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ReplayException(String message, Throwable cause) {
    super(message, cause);
  }
}
