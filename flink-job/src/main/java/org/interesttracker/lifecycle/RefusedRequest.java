package org.interesttracker.lifecycle;

/** A control request the job will not carry out, with why: the job goes on as it was. */
public final class RefusedRequest extends RuntimeException {
  public RefusedRequest(String reason) {
    super(reason);
  }

  public RefusedRequest(String reason, Throwable cause) {
    super(reason, cause);
  }
}
