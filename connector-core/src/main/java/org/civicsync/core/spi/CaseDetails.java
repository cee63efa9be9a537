package org.civicsync.core.spi;

import java.util.Optional;
import org.civicsync.core.model.Report;

/**
 * A case's public particulars, for serving a case raised in the CRM (by phone, by an officer) to
 * FixMyStreet as an Open311 request: the {@link ChangeFeed} carries only the case's type, status
 * and version, while FixMyStreet needs at least a location to show it.
 *
 * <p>Optional: without it, a CRM-originated case is served with what the feed gives (service,
 * status, times) and no location.
 */
public interface CaseDetails extends CrmCapability {

  /**
   * The case as a report: description, title, location, media, requested time and whether it is
   * for the public. Contact details, if the adapter fills them, are never served. Empty when the
   * case does not exist.
   */
  Optional<Report> details(String caseId);
}
