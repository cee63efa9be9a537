package org.civicsync.crm.rest;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * Everything the REST adapter knows about one in-house CRM, read from configuration by
 * {@link RestProvider}: no code of the CRM's own is needed.
 *
 * @param baseUrl the API root; every operation's URL is relative to it
 * @param closeStatus the status a close sets when the mapping names no closing code
 * @param idempotencyHeader when present, the CRM dedupes creates by this request header (e.g.
 *     {@code Idempotency-Key}); when absent, create looks the external reference up first
 * @param replayedHeader the answer header by which the CRM says a create was a replay of an
 *     earlier one with the same key (Stripe's {@code Idempotent-Replayed: true})
 * @param sinceOverlap subtracted from the time sent as {@code {since}}: many APIs read
 *     "modified since" as strictly after, or round it; rows already read are dropped by keyset
 * @param maxPageSize the largest {@code {page_size}} the CRM accepts; {@code changesSince}
 *     answers somewhat fewer, leaving room in one answer for the overlap's re-read (4/5 of it
 *     for a large one, see {@code ChangeReader.pageCap})
 */
record RestSettings(
    HttpUrl baseUrl,
    RestAuth auth,
    Operations operations,
    CaseShape shape,
    Paging paging,
    String closeStatus,
    Optional<String> idempotencyHeader,
    String replayedHeader,
    Duration sinceOverlap,
    int maxPageSize,
    Duration connectTimeout,
    Duration readTimeout) {

  RestSettings {
    Objects.requireNonNull(baseUrl, "baseUrl == null");
    Objects.requireNonNull(auth, "auth == null");
    Objects.requireNonNull(operations, "operations == null");
    Objects.requireNonNull(shape, "shape == null");
    Objects.requireNonNull(paging, "paging == null");
    Objects.requireNonNull(closeStatus, "closeStatus == null");
    Objects.requireNonNull(idempotencyHeader, "idempotencyHeader == null");
    Objects.requireNonNull(replayedHeader, "replayedHeader == null");
    Objects.requireNonNull(sinceOverlap, "sinceOverlap == null");
    Objects.requireNonNull(connectTimeout, "connectTimeout == null");
    Objects.requireNonNull(readTimeout, "readTimeout == null");
  }

  /**
   * The CRM's operations. {@code notes} lists a case's notes, to find an update id already
   * written; without it the notes are read from the {@code get} answer. {@code close} defaults to
   * {@code status}. {@code details} reads one case's particulars (see {@link DetailFields});
   * without it the adapter has no {@code CaseDetails}.
   */
  record Operations(Endpoint create, Endpoint find, Endpoint get, Endpoint changes, Endpoint note,
      Endpoint status, Optional<Endpoint> close, Optional<Endpoint> notes,
      Optional<Endpoint> details) {
    Operations {
      Objects.requireNonNull(create, "create == null");
      Objects.requireNonNull(find, "find == null");
      Objects.requireNonNull(get, "get == null");
      Objects.requireNonNull(changes, "changes == null");
      Objects.requireNonNull(note, "note == null");
      Objects.requireNonNull(status, "status == null");
      Objects.requireNonNull(close, "close == null");
      Objects.requireNonNull(notes, "notes == null");
      Objects.requireNonNull(details, "details == null");
    }
  }
}
