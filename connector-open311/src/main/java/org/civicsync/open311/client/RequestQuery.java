package org.civicsync.open311.client;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The arguments of {@code GET requests}. Ids override everything else, as the specification says.
 * The date window filters on {@code requested_datetime}: this is not a change feed.
 * {@code extra} carries endpoint-specific arguments such as FixMyStreet's {@code agency_responsible}.
 */
public record RequestQuery(
    List<String> ids,
    List<String> serviceCodes,
    Optional<String> status,
    Optional<OffsetDateTime> start,
    Optional<OffsetDateTime> end,
    Map<String, String> extra) {

  public RequestQuery {
    ids = List.copyOf(ids);
    serviceCodes = List.copyOf(serviceCodes);
    Objects.requireNonNull(status, "status == null");
    Objects.requireNonNull(start, "start == null");
    Objects.requireNonNull(end, "end == null");
    extra = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    status.ifPresent(s -> {
      if (!s.equals("open") && !s.equals("closed")) {
        throw new IllegalArgumentException("status must be open or closed, was '" + s + "'");
      }
    });
    if (start.isPresent() && end.isPresent() && end.get().isBefore(start.get())) {
      throw new IllegalArgumentException("end " + end.get() + " is before start " + start.get());
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Every request with one of these ids. */
  public static RequestQuery ids(List<String> ids) {
    return builder().ids(ids).build();
  }

  /** Every request made in the window. */
  public static RequestQuery between(OffsetDateTime start, OffsetDateTime end) {
    return builder().start(start).end(end).build();
  }

  public static final class Builder {
    private final List<String> ids = new ArrayList<>();
    private final List<String> serviceCodes = new ArrayList<>();
    private String status;
    private OffsetDateTime start;
    private OffsetDateTime end;
    private final Map<String, String> extra = new LinkedHashMap<>();

    private Builder() {}

    public Builder ids(List<String> values) { ids.addAll(values); return this; }
    public Builder serviceCodes(List<String> values) { serviceCodes.addAll(values); return this; }
    public Builder status(String value) { this.status = value; return this; }
    public Builder start(OffsetDateTime value) { this.start = value; return this; }
    public Builder end(OffsetDateTime value) { this.end = value; return this; }

    public Builder extra(String name, String value) {
      extra.put(Objects.requireNonNull(name, "name == null"), Objects.requireNonNull(value, "value == null"));
      return this;
    }

    public RequestQuery build() {
      return new RequestQuery(ids, serviceCodes, Optional.ofNullable(status),
          Optional.ofNullable(start), Optional.ofNullable(end), extra);
    }
  }
}
