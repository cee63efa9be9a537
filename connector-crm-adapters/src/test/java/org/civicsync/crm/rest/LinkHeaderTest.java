package org.civicsync.crm.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 8288 link-values as servers write them. */
class LinkHeaderTest {

  @Test
  void findsNextAmongSeveralLinksInOneHeader() {
    assertThat(LinkHeader.next(List.of("<https://crm/cases?page=1>; rel=\"first\", "
        + "<https://crm/cases?page=3>; rel=\"next\", <https://crm/cases?page=9>; rel=\"last\"")))
        .contains("https://crm/cases?page=3");
  }

  @Test
  void readsUnquotedAndMultiValuedRelsAndOtherParameters() {
    assertThat(LinkHeader.next(List.of("</c?o=2>;title=\"a, b; c\";rel=next"))).contains("/c?o=2");
    assertThat(LinkHeader.next(List.of("</c?o=4>; rel=\"last NEXT\""))).contains("/c?o=4");
  }

  @Test
  void looksInEveryHeaderAndIgnoresOtherRelations() {
    assertThat(LinkHeader.next(List.of("</a>; rel=\"prev\"", "</b>; rel=\"next\"")))
        .contains("/b");
    assertThat(LinkHeader.next(List.of("</a>; rel=\"prev\"", "</z>; rel=\"nextpage\"")))
        .isEmpty();
    assertThat(LinkHeader.next(List.of())).isEmpty();
  }

  @Test
  void onlyTheFirstRelParameterCounts() {
    assertThat(LinkHeader.next(List.of("</a>; rel=\"prev\"; rel=\"next\""))).isEmpty();
  }
}
