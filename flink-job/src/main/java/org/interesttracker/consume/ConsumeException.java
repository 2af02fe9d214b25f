package org.interesttracker.consume;

/** A topic cannot be read as asked (no broker reachable, no such topic); the message says why. */
public final class ConsumeException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConsumeException(String message, Throwable cause) {
    super(message, cause);
  }
}
