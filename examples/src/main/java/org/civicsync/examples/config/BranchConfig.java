package org.civicsync.examples.config;

import java.util.List;
import java.util.Objects;
import org.civicsync.core.mapping.JurisdictionMapping;

/**
 * One branch of a fanned-out jurisdiction ({@code fan_out}): the CRM that takes some of its Open311
 * service codes. FixMyStreet sees one jurisdiction; this branch's cases are served as
 * {@code <prefix>-<case id>}, so two CRMs' ids never collide and every id sent back routes here.
 * Behind the endpoint the branch is a serve-mode jurisdiction of its own, {@link #servingId},
 * with its own links and journal in the store.
 *
 * <pre>
 * fan_out:
 *   - prefix: hw                       # 1-16 letters or digits; ids served as hw-&lt;case id&gt;
 *     services: [Potholes, Street lights]   # Open311 service codes this CRM takes
 *     crm: { type: servicenow, settings: {...} }   # name defaults to &lt;jurisdiction&gt;-&lt;prefix&gt;-&lt;type&gt;
 *     mapping: {...}                   # optional: the jurisdiction's mapping when absent
 * </pre>
 *
 * @param prefix what the branch's ids start with on the Open311 side
 * @param services the Open311 service codes whose reports go to this CRM, in the order given
 * @param crm the branch's CRM
 * @param mapping the branch's own mapping, or the jurisdiction's when it gives none
 * @param servingId the serve-mode jurisdiction behind the branch: {@code <jurisdiction>/<prefix>};
 *     a configured jurisdiction id cannot contain {@code /}, so it never collides with one. It
 *     keys the branch's links in the store: renaming a prefix orphans them
 */
public record BranchConfig(String prefix, List<String> services, CrmConfig crm,
    JurisdictionMapping mapping, String servingId) {

  public BranchConfig {
    Objects.requireNonNull(prefix, "prefix == null");
    services = List.copyOf(services);
    Objects.requireNonNull(crm, "crm == null");
    Objects.requireNonNull(mapping, "mapping == null");
    Objects.requireNonNull(servingId, "servingId == null");
  }

  /** The serve-mode jurisdiction id of branch {@code prefix} of {@code jurisdiction}. */
  public static String servingId(String jurisdiction, String prefix) {
    return jurisdiction + "/" + prefix;
  }
}
