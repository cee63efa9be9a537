package org.civicsync.open311.server;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.civicsync.open311.codec.FormFields;

/**
 * Reads a {@code multipart/form-data} body, as FixMyStreet sends one with photos: text parts
 * become fields; file parts ({@code photo1}, {@code file_*}) are not kept, since the report's
 * {@code media_url} already points at the photos. Anything malformed is refused with what is
 * wrong, never guessed at.
 */
final class MultipartForm {
  private static final int MAX_PARTS = 500;

  private MultipartForm() {}

  /** The boundary of a multipart Content-Type, or an error naming what is missing. */
  static String boundary(String contentType) {
    for (String param : contentType.split(";")) {
      String p = param.strip();
      if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
        String b = p.substring(9).strip();
        if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
          b = b.substring(1, b.length() - 1);
        }
        if (b.isEmpty() || b.length() > 70) {
          throw new IllegalArgumentException("multipart boundary must be 1 to 70 characters");
        }
        return b;
      }
    }
    throw new IllegalArgumentException("multipart/form-data without a boundary parameter");
  }

  static FormFields parse(byte[] body, String boundary) {
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    byte[] between = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    int at = indexOf(body, delimiter, 0);
    if (at < 0) {
      throw malformed("no opening boundary");
    }
    List<Map.Entry<String, String>> fields = new ArrayList<>();
    int pos = at + delimiter.length;
    for (int parts = 0; ; parts++) {
      if (startsWith(body, pos, "--")) {
        return FormFields.of(fields);
      }
      if (parts == MAX_PARTS) {
        throw malformed("more than " + MAX_PARTS + " parts");
      }
      if (!startsWith(body, pos, "\r\n")) {
        throw malformed("boundary not followed by CRLF");
      }
      int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), pos + 2);
      if (headersEnd < 0) {
        throw malformed("part " + (parts + 1) + " has no end of headers");
      }
      String headers = new String(body, pos + 2, headersEnd - pos - 2, StandardCharsets.ISO_8859_1);
      int contentStart = headersEnd + 4;
      int contentEnd = indexOf(body, between, contentStart);
      if (contentEnd < 0) {
        throw malformed("part " + (parts + 1) + " is not closed by a boundary");
      }
      String name = null;
      boolean file = false;
      for (String header : headers.split("\r\n")) {
        if (header.toLowerCase(Locale.ROOT).startsWith("content-disposition:")) {
          name = param(header, "name");
          file = param(header, "filename") != null;
        }
      }
      if (name == null) {
        throw malformed("part " + (parts + 1) + " has no Content-Disposition name");
      }
      if (!file) {
        fields.add(Map.entry(name, utf8(body, contentStart, contentEnd - contentStart, name)));
      }
      pos = contentEnd + between.length;
    }
  }

  private static String param(String header, String key) {
    for (String p : header.split(";")) {
      String s = p.strip();
      if (s.startsWith(key + "=")) {
        String v = s.substring(key.length() + 1);
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")
            ? v.substring(1, v.length() - 1) : v;
      }
    }
    return null;
  }

  private static String utf8(byte[] body, int offset, int length, String field) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body, offset, length)).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("field '" + field + "' is not UTF-8");
    }
  }

  private static boolean startsWith(byte[] body, int pos, String s) {
    if (pos + s.length() > body.length) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (body[pos + i] != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(byte[] body, byte[] what, int from) {
    outer:
    for (int i = Math.max(0, from); i <= body.length - what.length; i++) {
      for (int k = 0; k < what.length; k++) {
        if (body[i + k] != what[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static IllegalArgumentException malformed(String what) {
    return new IllegalArgumentException("malformed multipart body: " + what);
  }
}
