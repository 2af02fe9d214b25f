package org.interesttracker.serde;

/** Bytes that cannot be read as the expected record; the message says why. */
public final class RecordDecodingException extends Exception {
  private static final long serialVersionUID = 1L;

  public RecordDecodingException(String message) {
    super(message);
  }

  public RecordDecodingException(String message, Throwable cause) {
    super(message, cause);
  }
}
