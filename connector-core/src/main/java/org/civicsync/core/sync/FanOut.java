package org.civicsync.core.sync;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One Open311 jurisdiction served by several CRMs. Each {@link Branch} is an ordinary serve-mode
 * {@link Jurisdiction} (its own CRM, mapping, links, journal) that takes some of the service codes;
 * the Open311 side sees one jurisdiction whose ids are {@code <prefix>-<id in the branch>}, so two
 * CRMs' ids (both may count {@code CASE-000001}) never collide and every id FixMyStreet sends back
 * (requests/{id}, tokens, updates) routes to the CRM it came from.
 *
 * @param id the jurisdiction_id FixMyStreet uses
 * @param branches at least one; prefixes unique, service codes in at most one branch
 */
public record FanOut(String id, List<Branch> branches) {
  /** Between prefix and id. A prefix never contains it, so the first one splits. */
  public static final char SEPARATOR = '-';
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9]{1,16}");

  /**
   * @param prefix what this branch's ids start with on the Open311 side
   * @param jurisdiction the serve-mode jurisdiction (one CRM) behind it
   * @param serviceCodes the Open311 service codes whose reports go to this CRM
   */
  public record Branch(String prefix, String jurisdiction, Set<String> serviceCodes) {
    public Branch {
      Objects.requireNonNull(prefix, "prefix == null");
      Objects.requireNonNull(jurisdiction, "jurisdiction == null");
      serviceCodes = Set.copyOf(serviceCodes);
      if (!PREFIX.matcher(prefix).matches()) {
        throw new IllegalArgumentException("prefix '" + prefix
            + "' must be 1 to 16 letters or digits");
      }
    }
  }

  /** A served id split: the branch it belongs to and the id within that branch. */
  public record Routed(Branch branch, String localId) {}

  public FanOut {
    Objects.requireNonNull(id, "id == null");
    branches = List.copyOf(branches);
    if (branches.isEmpty()) {
      throw new IllegalArgumentException("fan-out " + id + " needs at least one branch");
    }
    Map<String, String> owner = new HashMap<>();
    Set<String> prefixes = new java.util.HashSet<>();
    for (Branch b : branches) {
      if (!prefixes.add(b.prefix())) {
        throw new IllegalArgumentException("fan-out " + id + ": prefix '" + b.prefix()
            + "' used twice");
      }
      for (String code : b.serviceCodes()) {
        String was = owner.put(code, b.prefix());
        if (was != null) {
          throw new IllegalArgumentException("fan-out " + id + ": service_code '" + code
              + "' goes to both '" + was + "' and '" + b.prefix() + "'");
        }
      }
    }
  }

  /** The branch that takes reports of {@code serviceCode}. */
  public Optional<Branch> forService(String serviceCode) {
    return branches.stream().filter(b -> b.serviceCodes().contains(serviceCode)).findFirst();
  }

  /** The id FixMyStreet is given for {@code localId} of {@code branch}. */
  public String served(Branch branch, String localId) {
    return branch.prefix() + SEPARATOR + localId;
  }

  /** The branch and local id of a served id; empty when no branch has its prefix. */
  public Optional<Routed> route(String servedId) {
    int at = servedId.indexOf(SEPARATOR);
    if (at < 1) {
      return Optional.empty();
    }
    String prefix = servedId.substring(0, at);
    return branches.stream().filter(b -> b.prefix().equals(prefix)).findFirst()
        .map(b -> new Routed(b, servedId.substring(at + 1)));
  }
}
