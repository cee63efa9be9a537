package org.civicsync.examples.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of {@code wrk --latency} against a loopback URL, with its figures read from wrk's
 * report: requests/s, latency percentiles, and how many answers were not 2xx/3xx; plus the CPU
 * time this JVM (the server, its background work included) spent per request. On a shared
 * machine the rate follows the other processes' load much more than CPU per request does.
 */
record WrkRun(String name, double requestsPerSecond, String p50, String p90, String p99,
    long non2xx, long socketErrors, double serverCpuMicros, String report) {
  private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
  private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");
  private static final Pattern SOCKET = Pattern.compile(
      "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

  /** Runs {@code wrk -t2 -c8 -d<seconds>s --latency [-s script] url}, bounded in time. */
  static WrkRun run(String name, String url, Optional<Path> script, int seconds)
      throws IOException, InterruptedException {
    if (!url.startsWith("http://127.0.0.1:")) {
      throw new IllegalArgumentException("loopback targets only");
    }
    List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c8", "-d" + seconds + "s",
        "--timeout", "5s", "--latency"));
    script.ifPresent(s -> command.addAll(List.of("-s", s.toString())));
    command.add(url);
    long serverCpu0 = serverCpuNanos();
    Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!wrk.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
      wrk.destroyForcibly();
      throw new IllegalStateException("wrk did not finish");
    }
    long serverCpu = serverCpuNanos() - serverCpu0;
    String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    Matcher rate = RATE.matcher(out);
    if (wrk.exitValue() != 0 || !rate.find()) {
      throw new IllegalStateException("wrk failed: " + out);
    }
    Matcher non2xx = NON_2XX.matcher(out);
    Matcher socket = SOCKET.matcher(out);
    long socketErrors = 0;
    if (socket.find()) {
      for (int g = 1; g <= 4; g++) {
        socketErrors += Long.parseLong(socket.group(g));
      }
    }
    Matcher requests = REQUESTS.matcher(out);
    double count = requests.find() ? Math.max(1, Long.parseLong(requests.group(1))) : 1;
    return new WrkRun(name, Double.parseDouble(rate.group(1)), percentile(out, "50%"),
        percentile(out, "90%"), percentile(out, "99%"),
        non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0, socketErrors,
        serverCpu / 1e3 / count, out);
  }

  private static long serverCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static String percentile(String out, String which) {
    Matcher m = Pattern.compile("^\\s+" + Pattern.quote(which) + "\\s+(\\S+)", Pattern.MULTILINE)
        .matcher(out);
    return m.find() ? m.group(1) : "?";
  }

  String summary() {
    return String.format("%-34s %9.0f req/s   p50 %8s  p90 %8s  p99 %8s  non-2xx %d  socket errors %d"
        + "  server cpu/req %.0f us", name, requestsPerSecond, p50, p90, p99, non2xx,
        socketErrors, serverCpuMicros);
  }
}
