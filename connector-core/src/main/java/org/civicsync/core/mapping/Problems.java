package org.civicsync.core.mapping;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Collects errors while a mapping is read and checked, so all are reported together. */
final class Problems {
  private final List<MappingError> errors = new ArrayList<>();
  private final Set<MappingError> absences = new HashSet<>();

  static String path(String base, String key) {
    return base.isEmpty() ? key : base + "." + key;
  }

  void add(String path, String message) {
    errors.add(new MappingError(path, message));
  }

  /** Something required is missing or empty: said only when nothing more precise was. */
  void addAbsence(String path, String message) {
    MappingError error = new MappingError(path, message);
    errors.add(error);
    absences.add(error);
  }

  /**
   * Adds {@code later}'s errors except those a reader error here already explains: any error at
   * or below a refused value, and an absence at or above one (a section whose only entry was
   * refused is not also "empty").
   */
  void addUnlessCovered(Problems later) {
    List<MappingError> earlier = List.copyOf(errors);
    for (MappingError e : later.errors) {
      boolean covered = earlier.stream().anyMatch(r -> within(e.path(), r.path())
          || (later.absences.contains(e) && within(r.path(), e.path())));
      if (!covered) {
        errors.add(e);
      }
    }
  }

  private static boolean within(String path, String section) {
    return path.equals(section) || path.startsWith(section + ".")
        || path.startsWith(section + "[");
  }

  boolean isEmpty() {
    return errors.isEmpty();
  }

  List<MappingError> errors() {
    return List.copyOf(errors);
  }

  void throwIfAny() {
    if (!errors.isEmpty()) {
      throw new MappingException(errors);
    }
  }
}
