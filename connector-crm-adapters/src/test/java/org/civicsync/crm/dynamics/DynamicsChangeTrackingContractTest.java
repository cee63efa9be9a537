package org.civicsync.crm.dynamics;

/**
 * The contract kit again with {@code change_tracking} on: once a keyset read has caught up, the
 * feed's cursor is a delta link, and the kit's feed checks still hold.
 */
class DynamicsChangeTrackingContractTest extends DynamicsCrmContractTest {
  @Override
  DynamicsSettings settings(String secret) {
    return super.settings(secret).withChangeTracking(true);
  }
}
