package org.civicsync.open311;

/**
 * The endpoint could not be reached or did not answer in time. {@link #mayHaveReachedServer()}
 * tells whether a non-idempotent request might have taken effect (a read timeout after sending),
 * in which case it must be settled by looking, not by sending again.
 */
public final class Open311TransportException extends Open311Exception {
  private final boolean mayHaveReachedServer;

  public Open311TransportException(String message, boolean mayHaveReachedServer, Throwable cause) {
    super(message, cause);
    this.mayHaveReachedServer = mayHaveReachedServer;
  }

  public boolean mayHaveReachedServer() {
    return mayHaveReachedServer;
  }

  @Override
  public boolean isRetryable() {
    return true;
  }
}
