package org.civicsync.open311.codec;

import com.ctc.wstx.api.WstxInputProperties;
import com.ctc.wstx.stax.WstxInputFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.CharConversionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.civicsync.open311.Format;
import org.civicsync.open311.Open311FormatException;
import org.codehaus.stax2.DTDInfo;

/**
 * Reads bytes into a {@link WireDocument}, safely.
 *
 * <p>XML: no DTDs (a {@code DOCTYPE} is refused outright, which also refuses every external entity
 * and entity-expansion bomb), bounded depth, text and attribute sizes. JSON: Jackson's stream
 * constraints; decimals are kept exactly ({@code 25.0081830} keeps its last zero).
 * Thread-safe; one instance can serve every call.
 */
public final class WireParser {
  private static final int MAX_DEPTH = 32;
  private static final int QUOTE_LENGTH = 120;
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private final XMLInputFactory xml;
  private final ObjectMapper json;

  public WireParser() {
    WstxInputFactory factory = new WstxInputFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
    factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, Boolean.TRUE);
    factory.setProperty(XMLInputFactory.IS_COALESCING, Boolean.TRUE);
    factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, Boolean.FALSE);
    factory.setProperty(WstxInputProperties.P_MAX_ELEMENT_DEPTH, MAX_DEPTH);
    factory.setProperty(WstxInputProperties.P_MAX_TEXT_LENGTH, 4 * 1024 * 1024);
    factory.setProperty(WstxInputProperties.P_MAX_ATTRIBUTE_SIZE, 64 * 1024);
    this.xml = factory;
    this.json = JsonMapper.builder()
        .nodeFactory(NODES)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .build();
    json.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(MAX_DEPTH).maxStringLength(4 * 1024 * 1024).build());
  }

  /**
   * Parses a document in the given format.
   *
   * @param what names the document in errors, e.g. {@code "GET requests.xml"}
   * @throws Open311FormatException naming {@code what}, the problem, and quoting the first bytes
   */
  public WireDocument parse(byte[] body, Format format, String what) {
    return format == Format.XML ? parseXml(body, what) : parseJson(body, what);
  }

  /** Guesses the format from the first non-blank byte, for bodies whose content type lies. */
  public static Format sniff(byte[] body) {
    int i = skipBomAndSpace(body);
    if (i < body.length && (body[i] == '{' || body[i] == '[')) {
      return Format.JSON;
    }
    return Format.XML;
  }

  private WireDocument parseJson(byte[] body, String what) {
    try {
      JsonNode node = json.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw new Open311FormatException(what + ": empty body where a JSON document was expected");
      }
      if (!node.isContainerNode()) {
        // A bare string, number or null would otherwise decode as an empty list.
        throw new Open311FormatException(what + ": a JSON " + node.getNodeType().name()
            .toLowerCase(Locale.ROOT) + " where an object or an array was expected; "
            + "it begins " + quote(body));
      }
      return new WireDocument(Format.JSON, "", node);
    } catch (JsonProcessingException e) {
      String reason = e.getOriginalMessage();
      if (reason != null && reason.startsWith("Invalid UTF-8")) {
        throw notUtf8(what, reason, body, e);
      }
      throw new Open311FormatException(what + ": not a JSON document (" + reason
          + "); it begins " + quote(body), e);
    } catch (IOException e) {
      throw new Open311FormatException(what + ": unreadable JSON: " + e.getMessage(), e);
    }
  }

  private WireDocument parseXml(byte[] body, String what) {
    int start = skipBomAndSpace(body);
    if (start == body.length) {
      throw new Open311FormatException(what + ": empty body where an XML document was expected");
    }
    XMLStreamReader reader = null;
    try {
      reader = xml.createXMLStreamReader(
          new ByteArrayInputStream(body, start, body.length - start));
      while (reader.hasNext()) {
        int event = reader.next();
        if (event == XMLStreamConstants.DTD) {
          if (reader instanceof DTDInfo dtd && isHtml(dtd.getDTDRootName())) {
            throw notOpen311(what, body);
          }
          throw new Open311FormatException(what + ": XML with a DOCTYPE is refused "
              + "(DTDs and external entities are never processed); it begins " + quote(body));
        }
        if (event == XMLStreamConstants.START_ELEMENT) {
          String root = reader.getLocalName();
          if (isHtml(root)) {
            // Well-formed HTML parses as XML; read as a list it would be an empty one, and an
            // empty service list deletes every category downstream.
            throw notOpen311(what, body);
          }
          JsonNode content = readElement(reader);
          return new WireDocument(Format.XML, root, content == null ? NODES.objectNode() : content);
        }
      }
      throw new Open311FormatException(what + ": no root element; it begins " + quote(body));
    } catch (XMLStreamException e) {
      String reason = e.getMessage() == null ? e.toString() : e.getMessage().replaceAll("\\s+", " ");
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof CharConversionException bad) {
          throw notUtf8(what, String.valueOf(bad.getMessage()).replaceAll(",? ?byte #-1", ""), body, e);
        }
      }
      throw new Open311FormatException(what + ": not a well-formed XML document (" + reason
          + "); it begins " + quote(body), e);
    } finally {
      if (reader != null) {
        try {
          reader.close();
        } catch (XMLStreamException ignored) {
          // nothing held open: the input is a byte array
        }
      }
    }
  }

  /**
   * Reads the element the reader stands on, up to its end tag. Returns an object for an element
   * with children, a string for one with text only, {@code null} for an empty one. An element whose
   * children are all empty is an empty object, not absent: {@code <request><service_request_id/>
   * </request>} is still one request, whose id is empty, and must be reported as such.
   */
  private static JsonNode readElement(XMLStreamReader reader) throws XMLStreamException {
    ObjectNode children = null;
    StringBuilder text = null;
    String onlyText = null;
    while (true) {
      int event = reader.next();
      switch (event) {
        case XMLStreamConstants.START_ELEMENT -> {
          String name = reader.getLocalName();
          JsonNode child = readElement(reader);
          if (children == null) {
            children = NODES.objectNode();
          }
          if (child != null) {
            add(children, name, child);
          }
        }
        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA,
            XMLStreamConstants.SPACE -> {
          if (onlyText == null && text == null) {
            onlyText = reader.getText();
          } else {
            if (text == null) {
              text = new StringBuilder(onlyText);
            }
            text.append(reader.getText());
          }
        }
        case XMLStreamConstants.END_ELEMENT -> {
          if (children != null) {
            return children;
          }
          String value = text != null ? text.toString() : onlyText;
          return value == null || value.isBlank() ? null : NODES.textNode(value);
        }
        default -> {
          // comments and processing instructions carry nothing
        }
      }
    }
  }

  private static Open311FormatException notUtf8(String what, String reason, byte[] body,
      Exception cause) {
    return new Open311FormatException(what + ": not valid UTF-8, which GeoReport v2 requires ("
        + reason + "); it begins " + quote(body), cause);
  }

  private static boolean isHtml(String rootName) {
    return rootName != null && rootName.equalsIgnoreCase("html");
  }

  private static Open311FormatException notOpen311(String what, byte[] body) {
    return new Open311FormatException(what + ": an HTML page, not an Open311 document (an error "
        + "page, a login page or a wrong endpoint URL); it begins " + quote(body));
  }

  /** A repeated child becomes an array; XML makes arrays no other way, so this is unambiguous. */
  private static void add(ObjectNode parent, String name, JsonNode child) {
    JsonNode existing = parent.get(name);
    if (existing == null) {
      parent.set(name, child);
    } else if (existing instanceof ArrayNode array) {
      array.add(child);
    } else {
      ArrayNode array = NODES.arrayNode();
      array.add(existing);
      array.add(child);
      parent.set(name, array);
    }
  }

  private static int skipBomAndSpace(byte[] body) {
    int i = 0;
    if (body.length >= 3 && (body[0] & 0xff) == 0xEF && (body[1] & 0xff) == 0xBB
        && (body[2] & 0xff) == 0xBF) {
      i = 3;
    }
    while (i < body.length && (body[i] == ' ' || body[i] == '\t' || body[i] == '\r'
        || body[i] == '\n')) {
      i++;
    }
    return i;
  }

  /** The first bytes of a body, printable, for error messages. */
  public static String quote(byte[] body) {
    int n = Math.min(body.length, QUOTE_LENGTH);
    String head = new String(body, 0, n, StandardCharsets.UTF_8)
        .replaceAll("[\\r\\n\\t]+", " ").replaceAll("\\p{Cntrl}", "?");
    return "'" + head + (body.length > n ? "…" : "") + "' (" + body.length + " bytes)";
  }
}
