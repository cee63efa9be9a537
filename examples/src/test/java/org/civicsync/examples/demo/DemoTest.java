package org.civicsync.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class DemoTest {

  @Test
  void pollAndServeModeReportsReachServiceNowOverHttpAndClosuresReachFixMyStreet() throws Exception {
    StringWriter story = new StringWriter();

    Demo.Outcome outcome = new Demo(new PrintWriter(story), Clock.systemUTC()).run();

    assertThat(outcome).isEqualTo(new Demo.Outcome(3, true, true, true, true, true, true));
    assertThat(story.toString())
        .contains("simulated FixMyStreet is listening on http://127.0.0.1:")
        .containsPattern("a simulated ServiceNow instance on http://127\\.0\\.0\\.1:[0-9]+/ \\(Table API")
        .containsPattern("ServiceNow incident INC0010001 \\(sys_id [0-9a-f]{32}\\): category roads, "
            + "state 1, from FixMyStreet #1001")
        .contains("category street_lighting, state 1, from FixMyStreet #1002")
        .contains("category waste, state 1, from FixMyStreet #1003")
        .containsPattern("The adapter made [0-9]+ Table API calls for it, 3 of them POST /api/now/table/incident")
        .contains("FixMyStreet #1001 is now 'fixed'")
        .containsPattern("incident INC0010002 has a work_notes entry: \"Still flickering tonight, and now it"
            + " buzzes too\\. \\[civicsync:[^\\]]+\\]\"")
        .contains("5. Now the same run in serve mode")
        .containsPattern("serves bristol at http://127\\.0\\.0\\.1:[0-9]+/open311/v2/bristol/")
        .contains("with attribute[fixmystreet_id]=1004")
        .containsPattern("ServiceNow incident INC0010004: category roads, state 1, from FixMyStreet \\S+")
        .containsPattern("FixMyStreet sends it again \\(as after a timeout\\): the answer is ([0-9a-f]{32}) again, "
            + "and ServiceNow still has 1 incident for it \\(4 in all\\)")
        .containsPattern("servicerequestupdates\\.xml: 1 update; #1004 is now 'fixed'")
        .contains("Done: in poll mode 3 reports reached the CRM exactly once")
        .contains("in serve mode the report FixMyStreet pushed reached the CRM exactly once, and"
            + " FixMyStreet fetched its closure as fixed")
        .containsPattern("ServiceNow answered [0-9]+ Table API calls over HTTP");
    for (String secret : Demo.secretValues()) {
      assertThat(story.toString()).doesNotContain(secret);
    }
    SimulatedFixMyStreet.Citizen citizen = Demo.SERVE_MODE_CITIZEN;
    assertThat(story.toString()).doesNotContain(citizen.email(), citizen.lastName(), citizen.phone());
  }
}
