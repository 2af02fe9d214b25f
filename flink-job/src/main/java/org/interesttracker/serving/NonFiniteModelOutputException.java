package org.interesttracker.serving;

/** The model computed NaN or infinity for a request; its recommendation would be meaningless. */
public final class NonFiniteModelOutputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NonFiniteModelOutputException(String message) {
    super(message);
  }
}
