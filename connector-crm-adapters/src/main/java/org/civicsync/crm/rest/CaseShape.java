package org.civicsync.crm.rest;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.civicsync.core.spi.CrmCase;
import org.civicsync.core.spi.CrmNote;

/**
 * Where the CRM's JSON keeps what the adapter reads, as RFC 6901 JSON Pointers. Case pointers
 * ({@code id}, {@code status}, ...) are relative to one case object: the item of a list, or
 * {@code casePointer} within a single-case answer.
 *
 * @param items the array of cases in a list answer (find, changes)
 * @param casePointer the case within a single-case answer (get, create); empty for the whole body
 * @param version absent when the CRM keeps none: the modified time in milliseconds stands in, as
 *     it too grows with every change
 * @param notes the array of notes in the answer of the {@code notes} operation (or of {@code get}
 *     when there is no such operation)
 * @param noteUpdateId where a note keeps the engine's update id, when the CRM has a field for it;
 *     otherwise the id is a {@code [civicsync:<id>]} marker at the end of the note's text
 * @param errorMessage the CRM's own message in an error answer, quoted in the exception (cut
 *     at 200 characters); point it at a code or a fixed text, not at a field that echoes the
 *     values sent, since exceptions are logged and must hold no personal data
 * @param details the case's particulars in the answer of the {@code details} operation, when
 *     there is one
 */
record CaseShape(
    JsonPointer items,
    JsonPointer casePointer,
    JsonPointer id,
    JsonPointer externalReference,
    JsonPointer status,
    JsonPointer modified,
    Optional<JsonPointer> version,
    Optional<JsonPointer> caseType,
    JsonPointer notes,
    JsonPointer noteText,
    Optional<JsonPointer> noteUpdateId,
    Optional<JsonPointer> errorMessage,
    ModifiedTime modifiedTime,
    Set<String> closedStatuses,
    Optional<DetailFields> details) {

  CaseShape {
    Objects.requireNonNull(items, "items == null");
    Objects.requireNonNull(casePointer, "casePointer == null");
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(externalReference, "externalReference == null");
    Objects.requireNonNull(status, "status == null");
    Objects.requireNonNull(modified, "modified == null");
    Objects.requireNonNull(version, "version == null");
    Objects.requireNonNull(caseType, "caseType == null");
    Objects.requireNonNull(notes, "notes == null");
    Objects.requireNonNull(noteText, "noteText == null");
    Objects.requireNonNull(noteUpdateId, "noteUpdateId == null");
    Objects.requireNonNull(errorMessage, "errorMessage == null");
    Objects.requireNonNull(modifiedTime, "modifiedTime == null");
    closedStatuses = Set.copyOf(closedStatuses);
    Objects.requireNonNull(details, "details == null");
  }

  /** The cases of a list answer. */
  List<JsonNode> cases(JsonNode body) {
    JsonNode array = body.at(items);
    if (!array.isArray()) {
      throw new IllegalArgumentException("no array at " + pointer(items) + " in the list answer");
    }
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }

  /** The case of a single-case answer. */
  CrmCase single(JsonNode body) {
    return read(body.at(casePointer));
  }

  /** One case object as the SPI's case. */
  CrmCase read(JsonNode node) {
    String caseId = required(node, id, "id");
    Instant time = modified(node);
    long v = version.map(p -> {
      String text = required(node, p, "version");
      if (!text.matches("-?\\d{1,18}")) {
        throw new IllegalArgumentException("version at " + pointer(p) + " is not a whole number");
      }
      return Long.parseLong(text);
    }).orElse(time.toEpochMilli());
    String code = text(node, status).orElse("");
    return new CrmCase(caseId, caseType.flatMap(p -> text(node, p)).orElse(""),
        text(node, externalReference), code, closedStatuses.contains(code), v, time);
  }

  Instant modified(JsonNode node) {
    JsonNode value = node.at(modified);
    if (value.isMissingNode() || value.isNull()) {
      throw new IllegalArgumentException("no modified time at " + pointer(modified));
    }
    try {
      return modifiedTime.parse(value);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("modified time at " + pointer(modified)
          + " is not " + modifiedTime + ": '" + value.asText() + "'");
    }
  }

  /** The notes of a notes answer; the note id is not needed, so the text stands in. */
  List<CrmNote> notesOf(JsonNode body, Instant when) {
    List<CrmNote> out = new ArrayList<>();
    JsonNode array = body.at(notes);
    if (!array.isArray()) {
      throw new IllegalArgumentException("no array of notes at " + pointer(notes));
    }
    int i = 0;
    for (JsonNode note : array) {
      out.add(new CrmNote(Integer.toString(i++), text(note, noteText).orElse(""), when,
          noteUpdateId.flatMap(p -> text(note, p))));
    }
    return out;
  }

  /** The CRM's message in an error answer, if it has one where configured. */
  Optional<String> errorMessageOf(JsonNode body) {
    return errorMessage.flatMap(p -> text(body, p));
  }

  static Optional<String> text(JsonNode node, JsonPointer pointer) {
    JsonNode value = node.at(pointer);
    return value.isMissingNode() || value.isNull() || value.isContainerNode()
        || value.asText().isEmpty() ? Optional.empty() : Optional.of(value.asText());
  }

  private static String required(JsonNode node, JsonPointer pointer, String what) {
    return text(node, pointer).orElseThrow(() ->
        new IllegalArgumentException("no " + what + " at " + pointer(pointer)));
  }

  static String pointer(JsonPointer pointer) {
    String text = pointer.toString();
    return text.isEmpty() ? "\"\" (the whole body)" : text;
  }
}
