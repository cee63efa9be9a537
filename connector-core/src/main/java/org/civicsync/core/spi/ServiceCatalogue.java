package org.civicsync.core.spi;

import java.util.List;
import org.civicsync.core.model.Service;

/** Describes the categories the CRM accepts cases under. */
public interface ServiceCatalogue extends CrmCapability {

  /**
   * The CRM's case types as {@link Service}s, in CRM terms: {@link Service#code()} is the CRM's case
   * type; the jurisdiction's mapping translates it to an Open311 {@code service_code}.
   */
  List<Service> services();
}
