package org.civicsync.open311.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.civicsync.open311.Format;
import org.civicsync.open311.Open311FormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What WireParser refuses, and that each refusal says what was wrong and what arrived. */
class WireParserSafetyTest {
  private final WireParser parser = new WireParser();

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private Throwable refusal(String body, Format format) {
    return refusal(utf8(body), format);
  }

  private Throwable refusal(byte[] body, Format format) {
    try {
      WireDocument doc = parser.parse(body, format, "GET services.xml");
      throw new AssertionError("accepted: " + doc);
    } catch (Open311FormatException e) {
      return e;
    }
  }

  /** The messages of an exception and all its causes: what a log line could ever show. */
  private static String allMessages(Throwable t) {
    StringBuilder out = new StringBuilder();
    for (Throwable x = t; x != null; x = x.getCause()) {
      out.append(x).append('\n');
    }
    return out.toString();
  }

  @Test
  void externalEntityIsRefusedNamingTheDoctypeAndTheFileNeverAppears(@TempDir Path dir)
      throws Exception {
    Path secret = dir.resolve("secret.txt");
    Files.writeString(secret, "SECRET-MARKER-7f3a");
    String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE services [<!ENTITY xxe SYSTEM \""
        + secret.toUri() + "\">]>\n<services><service><service_code>&xxe;</service_code>"
        + "<service_name>x</service_name></service></services>";

    Throwable e = refusal(xxe, Format.XML);

    assertThat(e).hasMessageContaining("GET services.xml").hasMessageContaining("DOCTYPE");
    assertThat(allMessages(e)).doesNotContain("SECRET-MARKER-7f3a");
  }

  @Test
  void etcPasswdEntityIsRefusedBeforeAnythingIsRead() {
    String xxe = "<!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
        + "<service_requests><request><description>&xxe;</description></request></service_requests>";

    Throwable e = refusal(xxe, Format.XML);

    assertThat(e).hasMessageContaining("DOCTYPE");
    assertThat(allMessages(e)).doesNotContain("root:").doesNotContain("/bin/");
  }

  @Test
  void parameterEntityIsRefusedToo() {
    String xxe = "<!DOCTYPE x [<!ENTITY % remote SYSTEM \"http://127.0.0.1:1/evil.dtd\"> %remote;]>"
        + "<services/>";

    assertThat(refusal(xxe, Format.XML)).hasMessageContaining("DOCTYPE");
  }

  @Test
  void billionLaughsIsRefusedQuickly() {
    StringBuilder doc = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n"
        + " <!ENTITY lol \"lol\">\n");
    doc.append(" <!ENTITY lol1 \"").append("&lol;".repeat(10)).append("\">\n");
    for (int i = 2; i <= 9; i++) {
      doc.append(" <!ENTITY lol").append(i).append(" \"")
          .append(("&lol" + (i - 1) + ";").repeat(10)).append("\">\n");
    }
    doc.append("]>\n<services><service><service_name>&lol9;</service_name></service></services>");

    Throwable e = assertTimeoutPreemptively(Duration.ofSeconds(2),
        () -> refusal(doc.toString(), Format.XML));

    assertThat(e).hasMessageContaining("DOCTYPE");
  }

  @Test
  void entityReferenceWithoutADoctypeIsRefusedNotExpanded() {
    assertThat(refusal("<services><service><service_name>&xxe;</service_name></service></services>",
        Format.XML))
        .hasMessageContaining("not a well-formed XML document")
        .hasMessageContaining("xxe");
  }

  @Test
  void garbageIsRefusedQuotingItsFirstBytes() {
    assertThat(refusal("Service Unavailable", Format.XML))
        .hasMessageContaining("GET services.xml: not a well-formed XML document")
        .hasMessageContaining("it begins 'Service Unavailable' (19 bytes)");
    assertThat(refusal("Service Unavailable", Format.JSON))
        .hasMessageContaining("not a JSON document")
        .hasMessageContaining("it begins 'Service Unavailable' (19 bytes)");
  }

  @Test
  void longGarbageIsQuotedShortWithItsLength() {
    String body = "x".repeat(5000);

    Throwable e = refusal(body, Format.XML);

    assertThat(e.getMessage()).contains("'" + "x".repeat(120) + "…' (5000 bytes)")
        .doesNotContain("x".repeat(121));
  }

  @Test
  void htmlPageWithDoctypeIsCalledHtmlAndQuoted() {
    String html = "<!DOCTYPE html>\n<html><head><title>FixMyStreet</title></head>"
        + "<body><p>jurisdiction_id is required</p></body></html>";

    assertThat(refusal(html, Format.XML))
        .hasMessageContaining("HTML")
        .hasMessageContaining("it begins '<!DOCTYPE html> <html><head><title>FixMyStreet");
  }

  @Test
  void wellFormedHtmlWithoutDoctypeIsNotMistakenForAnEmptyDocument() {
    // FixMyStreet answers a missing jurisdiction_id with an HTML page and HTTP 200: read as an
    // empty service list, that would delete every category.
    String html = "<html><head><title>Error</title></head><body><p>Oops</p></body></html>";

    assertThat(refusal(html, Format.XML))
        .hasMessageContaining("an HTML page, not an Open311 document")
        .hasMessageContaining("it begins '<html><head><title>Error");
  }

  @Test
  void htmlServedAsJsonIsRefusedQuotingIt() {
    assertThat(refusal("<!doctype html><html><body>Bad gateway</body></html>", Format.JSON))
        .hasMessageContaining("not a JSON document")
        .hasMessageContaining("it begins '<!doctype html><html><body>Bad gateway");
  }

  @Test
  void invalidUtf8InXmlIsRefusedSayingSo() throws Exception {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(utf8("<?xml version=\"1.0\" encoding=\"utf-8\"?><services><service>"
        + "<service_code>1</service_code><service_name>Caf"));
    body.write(0xE9); // Latin-1 é in a UTF-8 document
    body.write(utf8(" on fire</service_name></service></services>"));

    assertThat(refusal(body.toByteArray(), Format.XML))
        .hasMessageContaining("GET services.xml: not valid UTF-8")
        .hasMessageContaining("it begins '");
  }

  @Test
  void invalidUtf8InJsonIsRefusedSayingSo() throws Exception {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(utf8("[{\"service_code\":\"1\",\"service_name\":\"Caf"));
    body.write(0xE9);
    body.write(utf8(" on fire\"}]"));

    assertThat(refusal(body.toByteArray(), Format.JSON))
        .hasMessageContaining("GET services.xml: not valid UTF-8")
        .hasMessageContaining("it begins '");
  }

  @Test
  void bareJsonScalarIsRefusedNotReadAsAnEmptyList() {
    assertThat(refusal("\"Unauthorized\"", Format.JSON))
        .hasMessageContaining("a JSON string where an object or an array was expected")
        .hasMessageContaining("it begins '\"Unauthorized\"'");
    assertThat(refusal("null", Format.JSON)).hasMessageContaining("a JSON null");
    assertThat(refusal("42", Format.JSON)).hasMessageContaining("a JSON number");
  }

  @Test
  void emptyBodiesAreRefusedSayingTheyAreEmpty() {
    assertThat(refusal(" \r\n", Format.XML)).hasMessageContaining("empty body");
    assertThat(refusal("", Format.JSON)).hasMessageContaining("empty body");
  }

  @Test
  void absurdNestingIsRefused() {
    String deep = "<a>".repeat(100) + "</a>".repeat(100);

    assertThat(refusal(deep, Format.XML)).hasMessageContaining("not a well-formed XML document");
    assertThat(refusal("[".repeat(100) + "]".repeat(100), Format.JSON))
        .hasMessageContaining("not a JSON document");
  }

  @Test
  void byteOrderMarkAndLeadingWhiteSpaceBeforeTheDeclarationAreTolerated() {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] rest = utf8("\r\n  <?xml version=\"1.0\" encoding=\"utf-8\"?><errors/>");
    byte[] body = new byte[bom.length + rest.length];
    System.arraycopy(bom, 0, body, 0, bom.length);
    System.arraycopy(rest, 0, body, bom.length, rest.length);

    assertThat(parser.parse(body, Format.XML, "x").root()).isEqualTo("errors");
  }
}
