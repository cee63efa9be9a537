package org.civicsync.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class DemoTest {

  @Test
  void reportsReachTheCrmAClosureBecomesFixedAndACommentBecomesANote() throws Exception {
    StringWriter story = new StringWriter();

    Demo.Outcome outcome = new Demo(new PrintWriter(story), Clock.systemUTC()).run();

    assertThat(outcome).isEqualTo(new Demo.Outcome(3, true, true, true));
    assertThat(story.toString())
        .contains("simulated FixMyStreet is listening on http://127.0.0.1:")
        .contains("from FixMyStreet #1001", "from FixMyStreet #1002", "from FixMyStreet #1003")
        .contains("FixMyStreet #1001 is now 'fixed'")
        .contains("has a note: \"Still flickering tonight, and now it buzzes too.\"")
        .contains("Done: 3 reports reached the CRM exactly once")
        .doesNotContain("demo-key-");
  }
}
