package org.civicsync.crm.open311;

/**
 * The contract on a back office without the update extension: no {@code CaseUpdates} (those
 * checks are skipped), and a change feed that re-reads {@code GET requests} by window.
 */
class Open311CrmWithoutUpdatesContractTest extends Open311CrmContractTest {
  @Override
  boolean updateExtension() {
    return false;
  }
}
