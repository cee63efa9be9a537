package org.civicsync.crm.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.Optional;
import org.civicsync.core.model.Contact;
import org.civicsync.core.model.Location;
import org.civicsync.core.model.Report;

/** What the adapters' wire tests expect {@code CaseDetails} to give for their sample cases. */
public final class DetailsAssertions {
  private DetailsAssertions() {}

  /**
   * The fly-tipping case the wire tests insert with a contact and no location fields configured:
   * title, description and creation time (2024-07-01T09:00:00Z), no location, no contact.
   */
  public static void flyTippingWithoutLocation(Optional<Report> details) {
    assertThat(details).hasValueSatisfying(r -> {
      assertThat(r.title()).contains("Fly-tipping");
      assertThat(r.description()).contains("Mattress by the gate");
      assertThat(r.requested()).contains(OffsetDateTime.parse("2024-07-01T09:00:00Z"));
      assertThat(r.location()).isEqualTo(Location.NONE);
      assertThat(r.contact()).isEqualTo(Contact.NONE);
    });
  }

  /** The case created at 12 Acacia Avenue with location fields configured, read back. */
  public static void atAcaciaAvenueWithoutContact(Optional<Report> details) {
    assertThat(details).hasValueSatisfying(r -> {
      assertThat(r.location()).isEqualTo(
          Location.at("51.4545", "-2.5879").withAddress("12 Acacia Avenue"));
      assertThat(r.contact()).isEqualTo(Contact.NONE);
    });
  }
}
