package org.civicsync.open311.server;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.function.Consumer;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.civicsync.open311.Format;

/**
 * Writes one GeoReport v2 document in either format from the same calls, so XML and JSON cannot
 * drift apart. A list is named twice: {@code services} / {@code service} gives
 * {@code <services><service>…</service></services>} in XML and a bare array in JSON (the
 * specification's shape, which FixMyStreet and our decoder read). Absent values are not written:
 * FixMyStreet treats empty elements as absent anyway.
 */
abstract class WireWriter {
  private static final XMLOutputFactory XML = XMLOutputFactory.newFactory();
  private static final JsonFactory JSON = new JsonFactory();

  final ByteArrayOutputStream out = new ByteArrayOutputStream(512);

  static WireWriter of(Format format) {
    Objects.requireNonNull(format, "format == null");
    return format == Format.XML ? new Xml(true) : new Json();
  }

  /**
   * One list item rendered on its own ({@code <item>…</item>} or a JSON object), for a document
   * that repeats it later through {@link #rendered}: a feed served over and over renders each
   * item once.
   */
  static String item(Format format, String item, Consumer<WireWriter> fields) {
    Objects.requireNonNull(format, "format == null");
    WireWriter w = format == Format.XML ? new Xml(false) : new Json();
    w.beginObject(item);
    fields.accept(w);
    return new String(w.end().finish(), StandardCharsets.UTF_8);
  }

  /** The next item of the enclosing list, as {@link #item} rendered it in the same format. */
  abstract WireWriter rendered(String item);

  /** A list: XML element {@code name} holding {@code item} elements; JSON an array. */
  abstract WireWriter beginList(String name, String item);

  /** An object: the list's item, or a named element / field. */
  abstract WireWriter beginObject(String name);

  /** The next item of the enclosing list. */
  final WireWriter beginItem() {
    return beginObject(null);
  }

  abstract WireWriter end();

  /** A scalar field; nothing is written when {@code value} is null. */
  abstract WireWriter field(String name, String value);

  /** A scalar item of the enclosing list (a {@code group}, a {@code media_url}). */
  abstract WireWriter value(String value);

  abstract byte[] finish();

  private static final class Xml extends WireWriter {
    private final XMLStreamWriter w;
    private final Deque<String> items = new ArrayDeque<>();

    /** @param document false for a lone item: no XML declaration */
    Xml(boolean document) {
      try {
        w = XML.createXMLStreamWriter(out, "UTF-8");
        if (document) {
          w.writeStartDocument("UTF-8", "1.0");
        }
      } catch (XMLStreamException e) {
        throw new IllegalStateException("cannot start an XML document", e);
      }
    }

    @Override
    WireWriter rendered(String item) {
      try {
        // Closes the list's start tag if it is still open, then hands the writer's buffer over.
        w.writeCharacters("");
        w.flush();
      } catch (XMLStreamException e) {
        throw new IllegalStateException(e);
      }
      out.writeBytes(item.getBytes(StandardCharsets.UTF_8));
      return this;
    }

    @Override
    WireWriter beginList(String name, String item) {
      start(name == null ? items.peek() : name);
      items.push(item);
      return this;
    }

    @Override
    WireWriter beginObject(String name) {
      start(name == null ? items.peek() : name);
      items.push("");
      return this;
    }

    private void start(String name) {
      try {
        w.writeStartElement(Objects.requireNonNull(name, "element name == null"));
      } catch (XMLStreamException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    WireWriter end() {
      items.pop();
      try {
        w.writeEndElement();
      } catch (XMLStreamException e) {
        throw new IllegalStateException(e);
      }
      return this;
    }

    @Override
    WireWriter field(String name, String value) {
      if (value != null) {
        try {
          w.writeStartElement(name);
          w.writeCharacters(value);
          w.writeEndElement();
        } catch (XMLStreamException e) {
          throw new IllegalStateException(e);
        }
      }
      return this;
    }

    @Override
    WireWriter value(String value) {
      return field(items.peek(), value);
    }

    @Override
    byte[] finish() {
      try {
        w.writeEndDocument();
        w.close();
      } catch (XMLStreamException e) {
        throw new IllegalStateException(e);
      }
      return out.toByteArray();
    }
  }

  private static final class Json extends WireWriter {
    private final JsonGenerator g;
    private int depth;

    Json() {
      try {
        g = JSON.createGenerator(out, JsonEncoding.UTF8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    WireWriter beginList(String name, String item) {
      try {
        name(name);
        g.writeStartArray();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    @Override
    WireWriter beginObject(String name) {
      try {
        name(name);
        g.writeStartObject();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    /** The root's name is only XML's: a JSON document is the bare array or object. */
    private void name(String name) throws IOException {
      if (name != null && depth > 0 && g.getOutputContext().inObject()) {
        g.writeFieldName(name);
      }
      depth++;
    }

    @Override
    WireWriter end() {
      depth--;
      try {
        if (g.getOutputContext().inArray()) {
          g.writeEndArray();
        } else {
          g.writeEndObject();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    @Override
    WireWriter field(String name, String value) {
      if (value != null) {
        try {
          g.writeStringField(name, value);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return this;
    }

    @Override
    WireWriter rendered(String item) {
      try {
        g.writeRawValue(item);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    @Override
    WireWriter value(String value) {
      if (value != null) {
        try {
          g.writeString(value);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return this;
    }

    @Override
    byte[] finish() {
      try {
        g.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toByteArray();
    }
  }
}
