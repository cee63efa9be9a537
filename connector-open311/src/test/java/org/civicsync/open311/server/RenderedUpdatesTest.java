package org.civicsync.open311.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.civicsync.core.model.ReportUpdate;
import org.civicsync.core.model.Status;
import org.civicsync.open311.Format;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The feed built from cached items is byte for byte the feed written directly. */
class RenderedUpdatesTest {

  private static final List<ReportUpdate> UPDATES = List.of(
      ReportUpdate.builder().updateId("u-1").serviceRequestId("CASE-1").status(Status.OPEN)
          .description("Inspected & marked <urgent> \"today\"; café ☕ 🚧")
          .updated(OffsetDateTime.parse("2024-06-01T10:00:00+01:00"))
          .externalStatusCode("INP").fixMyStreetId("123").build(),
      ReportUpdate.builder().updateId("u-2").serviceRequestId("CASE-2").status(Status.CLOSED)
          .description("").updated(OffsetDateTime.parse("2024-06-01T10:00:01Z"))
          .addMediaUrl("https://example.org/p.jpg?a=1&b=2").customerReference("REF-9").build(),
      ReportUpdate.builder().updateId("u-3").serviceRequestId("CASE-3").build());

  @ParameterizedTest
  @EnumSource(Format.class)
  void aFeedOfCachedItemsIsTheFeedWrittenDirectly(Format format) {
    RenderedUpdates items = new RenderedUpdates();

    for (int n = 0; n <= UPDATES.size(); n++) {
      List<ReportUpdate> window = UPDATES.subList(0, n);
      String direct = utf8(Open311Documents.updates(format, window));
      assertThat(utf8(Open311Documents.updates(format, window, items))).as("first, %d", n)
          .isEqualTo(direct);
      assertThat(utf8(Open311Documents.updates(format, window, items))).as("cached, %d", n)
          .isEqualTo(direct);
    }
    List<ReportUpdate> reversed = new ArrayList<>(UPDATES);
    java.util.Collections.reverse(reversed);
    assertThat(utf8(Open311Documents.updates(format, reversed, items)))
        .isEqualTo(utf8(Open311Documents.updates(format, reversed)));
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void theSameUpdateIsTheSameItemAndAnotherOneIsRenderedAfresh(Format format) {
    RenderedUpdates items = new RenderedUpdates();
    ReportUpdate first = UPDATES.get(0);

    String item = items.item(format, first);

    assertThat(items.item(format, first)).isSameAs(item);
    assertThat(items.item(format, first.toBuilder().build())).as("an equal copy renders equal")
        .isEqualTo(item);
    assertThat(items.item(format, first.toBuilder().serviceRequestId("CASE-9").build()))
        .contains("CASE-9").isNotEqualTo(item);
  }

  private static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
