package org.civicsync.open311.client;

import java.util.Objects;

/** A photo to upload with a report: sent as a multipart part named {@code photo1}, {@code photo2}… */
public record Photo(String filename, String contentType, byte[] bytes) {
  public Photo {
    Objects.requireNonNull(filename, "filename == null");
    Objects.requireNonNull(contentType, "contentType == null");
    Objects.requireNonNull(bytes, "bytes == null");
  }
}
