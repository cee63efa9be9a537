package org.civicsync.open311.codec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import org.civicsync.open311.Format;

/**
 * A parsed Open311 document, XML or JSON, as one tree shape so that one decoder serves both.
 *
 * <p>XML is read into the same tree JSON gives: an element with children becomes an object, a
 * repeated child becomes an array, an element with only text becomes a string, and an empty
 * element is left out (FixMyStreet treats empty elements as absent); an element whose children
 * are all empty stays, as an empty object, so a list keeps its count. {@code root} is the XML root
 * element's name, or empty for JSON.
 */
public record WireDocument(Format format, String root, JsonNode content) {
  public WireDocument {
    Objects.requireNonNull(format, "format == null");
    Objects.requireNonNull(root, "root == null");
    Objects.requireNonNull(content, "content == null");
  }
}
