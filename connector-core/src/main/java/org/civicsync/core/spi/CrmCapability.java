package org.civicsync.core.spi;

/**
 * Marks the interfaces a CRM adapter may implement: {@link CaseCreation}, {@link CaseLookup},
 * {@link ChangeFeed}, {@link CaseUpdates}, {@link ServiceCatalogue}. A read-only CRM implements
 * fewer of them; the engine asks with {@link CrmAdapter#capability(Class)}.
 */
public interface CrmCapability {}
