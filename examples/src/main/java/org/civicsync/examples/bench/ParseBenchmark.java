package org.civicsync.examples.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.civicsync.core.model.Report;
import org.civicsync.open311.Format;
import org.civicsync.open311.codec.Open311Decoder;
import org.civicsync.open311.codec.WireParser;

/**
 * Parses a 1,000-request {@code GET requests} page, XML and JSON, on one thread, and prints
 * requests parsed per second. A harness, not a test: figures vary ±35 % between runs on a shared
 * two-core machine, so read them as orders of magnitude.
 *
 * <pre>java -cp examples/target/civicsync.jar org.civicsync.examples.bench.ParseBenchmark [seconds]</pre>
 */
public final class ParseBenchmark {
  private static final int PAGE = 1_000;

  private ParseBenchmark() {}

  public static void main(String[] args) {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    WireParser parser = new WireParser();
    byte[] xml = xmlPage().getBytes(StandardCharsets.UTF_8);
    byte[] json = jsonPage().getBytes(StandardCharsets.UTF_8);
    System.out.printf(Locale.ROOT, "page of %d requests: XML %,d bytes, JSON %,d bytes%n",
        PAGE, xml.length, json.length);
    for (Format format : Format.values()) {
      byte[] page = format == Format.XML ? xml : json;
      check(parse(parser, page, format));
      run(parser, page, format, seconds, false);
      double perSecond = run(parser, page, format, seconds, true);
      System.out.printf(Locale.ROOT, "%-4s %,10.0f requests/s  %,7.1f MB/s  (%d s warm-up, %d s measured, 1 thread)%n",
          format, perSecond, perSecond / PAGE * page.length / 1e6, seconds, seconds);
    }
  }

  private static double run(WireParser parser, byte[] page, Format format, int seconds, boolean measure) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    long started = System.nanoTime();
    long pages = 0;
    int sink = 0;
    while (System.nanoTime() < deadline) {
      sink += parse(parser, page, format).size();
      pages++;
    }
    double elapsed = (System.nanoTime() - started) / 1e9;
    if (sink != pages * PAGE) {
      throw new IllegalStateException("parsed " + sink + " requests in " + pages + " pages");
    }
    return measure ? pages * PAGE / elapsed : 0;
  }

  private static List<Report> parse(WireParser parser, byte[] page, Format format) {
    return Open311Decoder.requests(parser.parse(page, format, "benchmark"), "benchmark");
  }

  private static void check(List<Report> reports) {
    if (reports.size() != PAGE || reports.get(PAGE - 1).requested().isEmpty()
        || reports.get(0).location().coordinates().isEmpty()) {
      throw new IllegalStateException("benchmark page did not parse as expected");
    }
  }

  static String xmlPage() {
    StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<service_requests>\n");
    for (int i = 0; i < PAGE; i++) {
      b.append("  <request>\n")
          .append("    <service_request_id>").append(600000 + i).append("</service_request_id>\n")
          .append("    <status>").append(i % 3 == 0 ? "closed" : "open").append("</status>\n")
          .append("    <status_notes>").append(i % 3 == 0 ? "Repaired by highways team" : "").append("</status_notes>\n")
          .append("    <service_name>Pothole &amp; road surface</service_name>\n")
          .append("    <service_code>POT").append(i % 7).append("</service_code>\n")
          .append("    <description>Deep pothole outside number ").append(i).append(", a danger to cyclists</description>\n")
          .append("    <agency_responsible>Bristol City Council</agency_responsible>\n")
          .append("    <service_notice></service_notice>\n")
          .append("    <requested_datetime>2024-05-01T10:").append(two(i % 60)).append(":00+01:00</requested_datetime>\n")
          .append("    <updated_datetime>2024-05-02T09:").append(two(i % 60)).append(":30Z</updated_datetime>\n")
          .append("    <expected_datetime>2024-05-09T17:00:00+01:00</expected_datetime>\n")
          .append("    <address>").append(i).append(" Corn Street, Bristol</address>\n")
          .append("    <address_id>").append(545000 + i).append("</address_id>\n")
          .append("    <zipcode>BS1 1HT</zipcode>\n")
          .append("    <lat>51.45").append(i % 1000).append("</lat>\n")
          .append("    <long>-2.59").append(i % 1000).append("</long>\n")
          .append("    <media_url>https://fixmystreet.example/photo/").append(i).append(".jpeg</media_url>\n")
          .append("  </request>\n");
    }
    return b.append("</service_requests>\n").toString();
  }

  static String jsonPage() {
    StringBuilder b = new StringBuilder("[\n");
    for (int i = 0; i < PAGE; i++) {
      b.append(i == 0 ? "" : ",\n").append("  {")
          .append("\"service_request_id\":\"").append(600000 + i).append("\",")
          .append("\"status\":\"").append(i % 3 == 0 ? "closed" : "open").append("\",")
          .append("\"status_notes\":").append(i % 3 == 0 ? "\"Repaired by highways team\"" : "null").append(',')
          .append("\"service_name\":\"Pothole & road surface\",")
          .append("\"service_code\":\"POT").append(i % 7).append("\",")
          .append("\"description\":\"Deep pothole outside number ").append(i).append(", a danger to cyclists\",")
          .append("\"agency_responsible\":\"Bristol City Council\",\"service_notice\":\"\",")
          .append("\"requested_datetime\":\"2024-05-01T10:").append(two(i % 60)).append(":00+01:00\",")
          .append("\"updated_datetime\":\"2024-05-02T09:").append(two(i % 60)).append(":30Z\",")
          .append("\"expected_datetime\":\"2024-05-09T17:00:00+01:00\",")
          .append("\"address\":\"").append(i).append(" Corn Street, Bristol\",")
          .append("\"address_id\":\"").append(545000 + i).append("\",\"zipcode\":\"BS1 1HT\",")
          .append("\"lat\":51.45").append(i % 1000).append(",\"long\":-2.59").append(i % 1000).append(',')
          .append("\"media_url\":\"https://fixmystreet.example/photo/").append(i).append(".jpeg\"}");
    }
    return b.append("\n]\n").toString();
  }

  private static String two(int n) {
    return n < 10 ? "0" + n : Integer.toString(n);
  }
}
