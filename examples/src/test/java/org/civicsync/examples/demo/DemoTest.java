package org.civicsync.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class DemoTest {

  @Test
  void pollAndServeModeReportsReachTheCrmAndClosuresReachFixMyStreet() throws Exception {
    StringWriter story = new StringWriter();

    Demo.Outcome outcome = new Demo(new PrintWriter(story), Clock.systemUTC()).run();

    assertThat(outcome).isEqualTo(new Demo.Outcome(3, true, true, true, true, true));
    assertThat(story.toString())
        .contains("simulated FixMyStreet is listening on http://127.0.0.1:")
        .contains("from FixMyStreet #1001", "from FixMyStreet #1002", "from FixMyStreet #1003")
        .contains("FixMyStreet #1001 is now 'fixed'")
        .contains("has a note: \"Still flickering tonight, and now it buzzes too.\"")
        .contains("5. Now the same run in serve mode")
        .containsPattern("serves bristol at http://127\\.0\\.0\\.1:[0-9]+/open311/v2/bristol/")
        .contains("with attribute[fixmystreet_id]=1004")
        .contains("from FixMyStreet fms-1004")
        .containsPattern("FixMyStreet sends it again \\(as after a timeout\\): the answer is (\\S+) again, "
            + "and the CRM still has 1 case")
        .containsPattern("servicerequestupdates\\.xml: 1 update; #1004 is now 'fixed'")
        .contains("Done: in poll mode 3 reports reached the CRM exactly once")
        .contains("in serve mode the report FixMyStreet pushed reached the CRM exactly once, and"
            + " FixMyStreet fetched its closure as fixed")
        .doesNotContain("being built separately", "not in this demo yet")
        .doesNotContain("demo-key-");
  }
}
