package org.civicsync.crm.http;

import java.time.Duration;
import java.util.Objects;
import okhttp3.OkHttpClient;

/** The HTTP client settings every adapter shares. */
public final class AdapterHttp {
  private AdapterHttp() {}

  /**
   * A client builder with the adapter's timeouts and okhttp's silent retry off: the engine
   * retries, knowing which calls are safe to repeat (a create is settled by a lookup instead).
   */
  public static OkHttpClient.Builder builder(Duration connectTimeout, Duration readTimeout) {
    return new OkHttpClient.Builder()
        .connectTimeout(Objects.requireNonNull(connectTimeout, "connectTimeout == null"))
        .readTimeout(Objects.requireNonNull(readTimeout, "readTimeout == null"))
        .retryOnConnectionFailure(false);
  }

  /** Lets a client's threads end and closes its pooled connections (an adapter's close). */
  public static void release(OkHttpClient http) {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
