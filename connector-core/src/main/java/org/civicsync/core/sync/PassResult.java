package org.civicsync.core.sync;

/**
 * What one sync pass of a jurisdiction did, for logs, metrics and tests. Counts only: no ids or
 * personal data.
 */
public record PassResult(
    String jurisdiction,
    int requestsSeen,
    int linksCreated,
    int casesCreated,
    int crmChangesRead,
    int updatesForOpen311,
    int updatesDelivered,
    int updatesForCrm,
    int crmUpdatesApplied,
    int echoesDropped,
    int staleDropped,
    int workFailed) {

  static final class Counter {
    final String jurisdiction;
    int requestsSeen;
    int linksCreated;
    int casesCreated;
    int crmChangesRead;
    int updatesForOpen311;
    int updatesDelivered;
    int updatesForCrm;
    int crmUpdatesApplied;
    int echoesDropped;
    int staleDropped;
    int workFailed;

    Counter(String jurisdiction) {
      this.jurisdiction = jurisdiction;
    }

    PassResult result() {
      return new PassResult(jurisdiction, requestsSeen, linksCreated, casesCreated, crmChangesRead,
          updatesForOpen311, updatesDelivered, updatesForCrm, crmUpdatesApplied, echoesDropped,
          staleDropped, workFailed);
    }
  }
}
