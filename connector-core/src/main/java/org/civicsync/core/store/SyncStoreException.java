package org.civicsync.core.store;

/**
 * A store operation failed. The message names the operation and the key involved (ids and
 * idempotency keys, never report content or personal data).
 */
public final class SyncStoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public SyncStoreException(String operation, Object key, Throwable cause) {
    super(message(operation, key, cause), cause);
  }

  public SyncStoreException(String operation, Object key, String problem) {
    super(operation + " [" + key + "]: " + problem);
  }

  private static String message(String operation, Object key, Throwable cause) {
    // Driver messages can quote the values of a row (a payload with a citizen's name): say only
    // what kind of failure it was here; the cause keeps the detail for whoever debugs locally.
    String detail;
    if (cause instanceof java.sql.SQLException sql) {
      detail = "SQLState " + sql.getSQLState() + ", vendor code " + sql.getErrorCode();
    } else {
      detail = cause == null ? "failed" : cause.getClass().getSimpleName();
    }
    return operation + " [" + key + "]: " + detail;
  }
}
