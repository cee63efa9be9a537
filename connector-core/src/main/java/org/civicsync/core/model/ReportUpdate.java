package org.civicsync.core.model;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One change to a report: a status change, a note, or both (mySociety's
 * {@code servicerequestupdates} extension). The same shape travels in both directions: served or
 * read in an updates feed, and posted by a citizen or a council.
 */
public record ReportUpdate(
    Optional<String> updateId,
    Optional<String> serviceRequestId,
    Optional<Status> status,
    Optional<String> description,
    Optional<OffsetDateTime> updated,
    List<String> mediaUrls,
    Optional<String> externalStatusCode,
    Optional<String> customerReference,
    Optional<String> fixMyStreetId,
    Map<String, String> extras,
    Contact contact,
    Optional<String> serviceCode,
    Attributes attributes) {

  public ReportUpdate {
    Objects.requireNonNull(updateId, "updateId == null");
    Objects.requireNonNull(serviceRequestId, "serviceRequestId == null");
    Objects.requireNonNull(status, "status == null");
    Objects.requireNonNull(description, "description == null");
    Objects.requireNonNull(updated, "updated == null");
    mediaUrls = Text.copy(mediaUrls, "mediaUrls");
    Objects.requireNonNull(externalStatusCode, "externalStatusCode == null");
    Objects.requireNonNull(customerReference, "customerReference == null");
    Objects.requireNonNull(fixMyStreetId, "fixMyStreetId == null");
    extras = Text.copy(extras, "extras");
    Objects.requireNonNull(contact, "contact == null");
    Objects.requireNonNull(serviceCode, "serviceCode == null");
    Objects.requireNonNull(attributes, "attributes == null");
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The id FixMyStreet matches a report by: {@code fixmystreet_id} when it is all digits (FMS's own
   * rule), else {@code service_request_id}.
   */
  public Optional<String> matchingId() {
    Optional<String> fms = fixMyStreetId.filter(s -> s.chars().allMatch(Character::isDigit));
    return fms.isPresent() ? fms : serviceRequestId;
  }

  @Override
  public String toString() {
    return "ReportUpdate[update_id=" + updateId.orElse("-")
        + ", service_request_id=" + serviceRequestId.orElse("-")
        + ", status=" + status.map(Status::wireName).orElse("-")
        + ", updated=" + updated.map(W3cDateTime::format).orElse("-") + "]";
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.updateId = updateId.orElse(null);
    b.serviceRequestId = serviceRequestId.orElse(null);
    b.status = status.orElse(null);
    b.description = description.orElse(null);
    b.updated = updated.orElse(null);
    b.mediaUrls.addAll(mediaUrls);
    b.externalStatusCode = externalStatusCode.orElse(null);
    b.customerReference = customerReference.orElse(null);
    b.fixMyStreetId = fixMyStreetId.orElse(null);
    b.extras.putAll(extras);
    b.contact = contact;
    b.serviceCode = serviceCode.orElse(null);
    b.attributes = attributes.toBuilder();
    return b;
  }

  /** Mutable, single-use builder; {@code null} means "absent" for every optional field. */
  public static final class Builder {
    private String updateId;
    private String serviceRequestId;
    private Status status;
    private String description;
    private OffsetDateTime updated;
    private final List<String> mediaUrls = new ArrayList<>();
    private String externalStatusCode;
    private String customerReference;
    private String fixMyStreetId;
    private final Map<String, String> extras = new LinkedHashMap<>();
    private Contact contact = Contact.NONE;
    private String serviceCode;
    private Attributes.Builder attributes = Attributes.builder();

    private Builder() {}

    public Builder updateId(String value) { this.updateId = value; return this; }
    public Builder serviceRequestId(String value) { this.serviceRequestId = value; return this; }
    public Builder status(Status value) { this.status = value; return this; }
    public Builder description(String value) { this.description = value; return this; }
    public Builder updated(OffsetDateTime value) { this.updated = value; return this; }
    public Builder externalStatusCode(String value) { this.externalStatusCode = value; return this; }
    public Builder customerReference(String value) { this.customerReference = value; return this; }
    public Builder fixMyStreetId(String value) { this.fixMyStreetId = value; return this; }
    public Builder serviceCode(String value) { this.serviceCode = value; return this; }

    public Builder addMediaUrl(String value) {
      mediaUrls.add(Objects.requireNonNull(value, "mediaUrl == null"));
      return this;
    }

    public Builder extra(String key, String value) {
      extras.put(Objects.requireNonNull(key, "key == null"),
          Objects.requireNonNull(value, "value == null"));
      return this;
    }

    public Builder contact(Contact value) {
      this.contact = Objects.requireNonNull(value, "contact == null");
      return this;
    }

    public Builder attribute(String code, String value) {
      attributes.add(code, value);
      return this;
    }

    public ReportUpdate build() {
      return new ReportUpdate(Text.optional(updateId), Text.optional(serviceRequestId),
          Optional.ofNullable(status), Text.optional(description), Optional.ofNullable(updated),
          mediaUrls, Text.optional(externalStatusCode), Text.optional(customerReference),
          Text.optional(fixMyStreetId), extras, contact, Text.optional(serviceCode),
          attributes.build());
    }
  }
}
