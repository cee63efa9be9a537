package org.civicsync.examples.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading the served connector's answers in the run tests: a field, or a value that comes. */
final class Answers {
  private Answers() {}

  /** The first group of {@code p} in {@code body}, which must match. */
  static String group(Pattern p, String body) {
    Matcher m = p.matcher(body);
    assertThat(m.find()).as(body).isTrue();
    return m.group(1);
  }

  interface Probe<T> {
    Optional<T> get() throws Exception;
  }

  /** The first value {@code probe} gives, asked every 20 ms for up to 20 s. */
  static <T> T eventually(Probe<T> probe) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      Optional<T> value = probe.get();
      if (value.isPresent()) {
        return value.get();
      }
      Thread.sleep(20);
    }
    throw new AssertionError("not within 20 s");
  }
}
