package org.civicsync.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The demo's log at DEBUG, formatted by the bundled {@code logback.xml}'s own pattern: every call
 * to a system carries its system and report (or case) in the MDC, and no line carries a secret
 * or the serve-mode citizen's name, email or phone, although they travelled through the
 * connector.
 */
class DemoLogTest {

  @Test
  void callsToSystemsAreLoggedWithTheirMdcAndWithoutPersonalDataOrSecrets() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    PatternLayoutEncoder bundled = (PatternLayoutEncoder)
        ((OutputStreamAppender<ILoggingEvent>) root.getAppender("CONSOLE")).getEncoder();
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(bundled.getPattern());
    encoder.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutputStream(captured);
    appender.start();
    Logger civicsync = context.getLogger("org.civicsync");
    Level before = civicsync.getLevel();
    civicsync.setLevel(Level.DEBUG);
    root.addAppender(appender);
    Demo.Outcome outcome;
    try {
      outcome = new Demo(new PrintWriter(new StringWriter()), Clock.systemUTC()).run();
    } finally {
      root.detachAppender(appender);
      civicsync.setLevel(before);
      appender.stop();
    }
    String log = captured.toString(StandardCharsets.UTF_8);

    assertThat(outcome.succeeded()).isTrue();
    // MDC keys come in no fixed order: each line is checked for all of them.
    assertThat(line(log, "create answered", "jurisdiction=bristol", "system=crm:bristol-servicenow",
        "report=1001")).isTrue();
    assertThat(line(log, "requestsBetween answered", "jurisdiction=bristol", "system=open311:bristol"))
        .isTrue();
    assertThat(line(log, "postUpdate answered", "system=open311:bristol", "report=1001")).isTrue();
    assertThat(line(log, "POST servicerequestupdates.xml -> HTTP 200", "system=open311:bristol",
        "report=1001")).isTrue();
    assertThat(log).containsPattern("case=[0-9a-f]{32}.* - apply answered in \\d+ ms");
    // serve mode: the case FixMyStreet pushed is created under its report
    assertThat(line(log, "create answered", "system=crm:bristol-servicenow", "report=fms-1004")).isTrue();
    assertThat(log).doesNotContain("report=null", "case=null", "system=null");
    for (String secret : Demo.secretValues()) {
      assertThat(log).doesNotContain(secret);
    }
    SimulatedFixMyStreet.Citizen citizen = Demo.SERVE_MODE_CITIZEN;
    assertThat(log).doesNotContain(citizen.email(), citizen.firstName() + " " + citizen.lastName(),
        citizen.lastName(), citizen.phone(), "7700 900123", "7700900123");
  }

  /** True when one line of {@code log} has its message containing {@code message} and every MDC pair. */
  private static boolean line(String log, String message, String... pairs) {
    return log.lines().anyMatch(l -> l.contains(" - " + message)
        && java.util.Arrays.stream(pairs).allMatch(p -> l.substring(0, l.indexOf(" - ")).contains(" " + p)));
  }
}
