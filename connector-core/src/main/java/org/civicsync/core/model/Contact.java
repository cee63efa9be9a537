package org.civicsync.core.model;

import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Who reported a problem or commented on it. Personal data: {@link #toString()} says only which
 * fields are present, never their values, so a contact can be logged without leaking anything.
 */
public record Contact(
    Optional<String> firstName,
    Optional<String> lastName,
    Optional<String> email,
    Optional<String> phone,
    Optional<String> deviceId,
    Optional<String> accountId) {

  /** A contact with nothing in it. */
  public static final Contact NONE =
      new Contact(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
          Optional.empty(), Optional.empty());

  public Contact {
    Objects.requireNonNull(firstName, "firstName == null");
    Objects.requireNonNull(lastName, "lastName == null");
    Objects.requireNonNull(email, "email == null");
    Objects.requireNonNull(phone, "phone == null");
    Objects.requireNonNull(deviceId, "deviceId == null");
    Objects.requireNonNull(accountId, "accountId == null");
  }

  public static Contact of(String firstName, String lastName, String email, String phone) {
    return new Contact(Text.optional(firstName), Text.optional(lastName), Text.optional(email),
        Text.optional(phone), Optional.empty(), Optional.empty());
  }

  public Contact withDeviceId(String value) {
    return new Contact(firstName, lastName, email, phone, Text.optional(value), accountId);
  }

  public Contact withAccountId(String value) {
    return new Contact(firstName, lastName, email, phone, deviceId, Text.optional(value));
  }

  public boolean isEmpty() {
    return equals(NONE);
  }

  @Override
  public String toString() {
    StringJoiner present = new StringJoiner(", ", "Contact[", "]");
    firstName.ifPresent(v -> present.add("first_name=<redacted>"));
    lastName.ifPresent(v -> present.add("last_name=<redacted>"));
    email.ifPresent(v -> present.add("email=<redacted>"));
    phone.ifPresent(v -> present.add("phone=<redacted>"));
    deviceId.ifPresent(v -> present.add("device_id=<redacted>"));
    accountId.ifPresent(v -> present.add("account_id=<redacted>"));
    return present.toString();
  }
}
