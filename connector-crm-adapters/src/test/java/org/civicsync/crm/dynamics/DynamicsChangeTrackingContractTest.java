package org.civicsync.crm.dynamics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.civicsync.core.spi.ChangeFeed;
import org.civicsync.core.spi.ChangePage;
import org.junit.jupiter.api.Test;

/**
 * The contract kit again with {@code change_tracking} on: once a keyset read has caught up, the
 * feed's cursor is a delta link, and the kit's feed checks still hold.
 */
class DynamicsChangeTrackingContractTest extends DynamicsCrmContractTest {
  @Override
  DynamicsSettings settings(String secret) {
    return super.settings(secret).withChangeTracking(true);
  }

  @Test
  void theFeedIsOnChangeTrackingOnceCaughtUp() {
    dataverse.insertIncident(Map.of("new_category", "roads", "title", "Phoned in"));
    ChangeFeed feed = adapter().capability(ChangeFeed.class).orElseThrow();

    ChangePage page = feed.changesSince(feed.beginning(), 10);

    assertThat(page.next().value()).startsWith("dvt1:");
    assertThat(feed.changesSince(page.next(), 10).changes()).isEmpty();
  }
}
