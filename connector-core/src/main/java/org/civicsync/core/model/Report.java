package org.civicsync.core.model;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A citizen's report of a problem: an Open311 service request, in the shape both sides of the sync
 * share. Built with {@link #builder()}; every optional field is an {@link Optional}, every
 * collection unmodifiable.
 */
public record Report(
    Optional<String> id,
    Optional<String> serviceCode,
    Optional<String> serviceName,
    Optional<Status> status,
    Optional<String> statusNotes,
    Optional<String> title,
    Optional<String> description,
    Optional<String> agencyResponsible,
    Optional<String> serviceNotice,
    Optional<OffsetDateTime> requested,
    Optional<OffsetDateTime> updated,
    Optional<OffsetDateTime> expected,
    Location location,
    Contact contact,
    List<String> mediaUrls,
    Attributes attributes,
    Map<String, String> extras,
    boolean nonPublic) {

  /** The attribute in which FixMyStreet sends its own report id: our idempotency key. */
  public static final String FIXMYSTREET_ID = "fixmystreet_id";

  public Report {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(serviceCode, "serviceCode == null");
    Objects.requireNonNull(serviceName, "serviceName == null");
    Objects.requireNonNull(status, "status == null");
    Objects.requireNonNull(statusNotes, "statusNotes == null");
    Objects.requireNonNull(title, "title == null");
    Objects.requireNonNull(description, "description == null");
    Objects.requireNonNull(agencyResponsible, "agencyResponsible == null");
    Objects.requireNonNull(serviceNotice, "serviceNotice == null");
    Objects.requireNonNull(requested, "requested == null");
    Objects.requireNonNull(updated, "updated == null");
    Objects.requireNonNull(expected, "expected == null");
    Objects.requireNonNull(location, "location == null");
    Objects.requireNonNull(contact, "contact == null");
    mediaUrls = Text.copy(mediaUrls, "mediaUrls");
    Objects.requireNonNull(attributes, "attributes == null");
    extras = Text.copy(extras, "extras");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** FixMyStreet's id for this report, from {@code attribute[fixmystreet_id]} or the extras. */
  public Optional<String> fixMyStreetId() {
    Optional<String> fromAttribute = attributes.first(FIXMYSTREET_ID).filter(s -> !s.isBlank());
    return fromAttribute.isPresent()
        ? fromAttribute
        : Optional.ofNullable(extras.get(FIXMYSTREET_ID)).filter(s -> !s.isBlank());
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.id = id.orElse(null);
    b.serviceCode = serviceCode.orElse(null);
    b.serviceName = serviceName.orElse(null);
    b.status = status.orElse(null);
    b.statusNotes = statusNotes.orElse(null);
    b.title = title.orElse(null);
    b.description = description.orElse(null);
    b.agencyResponsible = agencyResponsible.orElse(null);
    b.serviceNotice = serviceNotice.orElse(null);
    b.requested = requested.orElse(null);
    b.updated = updated.orElse(null);
    b.expected = expected.orElse(null);
    b.location = location;
    b.contact = contact;
    b.mediaUrls.addAll(mediaUrls);
    b.attributes = attributes.toBuilder();
    b.extras.putAll(extras);
    b.nonPublic = nonPublic;
    return b;
  }

  @Override
  public String toString() {
    // Description and contact can hold personal data: keep them out of logs.
    return "Report[id=" + id.orElse("-") + ", service_code=" + serviceCode.orElse("-")
        + ", status=" + status.map(Status::wireName).orElse("-")
        + ", fixmystreet_id=" + fixMyStreetId().orElse("-") + "]";
  }

  /** Mutable, single-use builder; {@code null} means "absent" for every optional field. */
  public static final class Builder {
    private String id;
    private String serviceCode;
    private String serviceName;
    private Status status;
    private String statusNotes;
    private String title;
    private String description;
    private String agencyResponsible;
    private String serviceNotice;
    private OffsetDateTime requested;
    private OffsetDateTime updated;
    private OffsetDateTime expected;
    private Location location = Location.NONE;
    private Contact contact = Contact.NONE;
    private final List<String> mediaUrls = new ArrayList<>();
    private Attributes.Builder attributes = Attributes.builder();
    private final Map<String, String> extras = new LinkedHashMap<>();
    private boolean nonPublic;

    private Builder() {}

    public Builder id(String value) { this.id = value; return this; }
    public Builder serviceCode(String value) { this.serviceCode = value; return this; }
    public Builder serviceName(String value) { this.serviceName = value; return this; }
    public Builder status(Status value) { this.status = value; return this; }
    public Builder statusNotes(String value) { this.statusNotes = value; return this; }
    public Builder title(String value) { this.title = value; return this; }
    public Builder description(String value) { this.description = value; return this; }
    public Builder agencyResponsible(String value) { this.agencyResponsible = value; return this; }
    public Builder serviceNotice(String value) { this.serviceNotice = value; return this; }
    public Builder requested(OffsetDateTime value) { this.requested = value; return this; }
    public Builder updated(OffsetDateTime value) { this.updated = value; return this; }
    public Builder expected(OffsetDateTime value) { this.expected = value; return this; }

    public Builder location(Location value) {
      this.location = Objects.requireNonNull(value, "location == null");
      return this;
    }

    public Builder contact(Contact value) {
      this.contact = Objects.requireNonNull(value, "contact == null");
      return this;
    }

    public Builder addMediaUrl(String value) {
      mediaUrls.add(Objects.requireNonNull(value, "mediaUrl == null"));
      return this;
    }

    public Builder attribute(String code, String value) {
      attributes.add(code, value);
      return this;
    }

    public Builder attributes(Attributes value) {
      this.attributes = value.toBuilder();
      return this;
    }

    public Builder extra(String key, String value) {
      extras.put(Objects.requireNonNull(key, "key == null"),
          Objects.requireNonNull(value, "value == null"));
      return this;
    }

    public Builder nonPublic(boolean value) { this.nonPublic = value; return this; }

    public Report build() {
      return new Report(Text.optional(id), Text.optional(serviceCode), Text.optional(serviceName),
          Optional.ofNullable(status), Text.optional(statusNotes), Text.optional(title),
          Text.optional(description), Text.optional(agencyResponsible),
          Text.optional(serviceNotice), Optional.ofNullable(requested),
          Optional.ofNullable(updated), Optional.ofNullable(expected), location, contact,
          mediaUrls, attributes.build(), extras, nonPublic);
    }
  }
}
