package org.civicsync.core.sync;

import com.google.common.hash.BloomFilter;
import com.google.common.hash.Funnels;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.civicsync.core.store.Link;
import org.civicsync.core.store.LinkCounts;
import org.civicsync.core.store.Receipt;
import org.civicsync.core.store.ReceiptLog;
import org.civicsync.core.store.SyncState;
import org.civicsync.core.store.SyncStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receipts in an H2 file store's {@link ReceiptLog}: answering a queued report costs a shared
 * append instead of an H2 commit. A receipt stays in the log until the transaction writing its
 * link has committed; draining one twice is harmless, the link's key being unique.
 *
 * <p>A new report's key must not have a link already (a resend after the drain is answered from
 * its link). Asking H2 for each one was a quarter of a POST's time, so the keys of the served
 * jurisdictions' links are kept in a Bloom filter, loaded at start and added to before each link
 * is written: "not there" is certain and skips the lookup; "maybe" (1 % of new keys, more once
 * the filter holds more keys than it was sized for) asks the store. The H2 file has one process,
 * and serve mode writes every link with a report key of a served jurisdiction, so no key escapes
 * the filter.
 */
final class LogIntake implements Intake {
  private static final Logger logger = LoggerFactory.getLogger(LogIntake.class);
  private static final long MIN_CAPACITY = 1_000_000;
  private static final double FALSE_POSITIVES = 0.01;

  private final SyncStore store;
  private final ReceiptLog log;
  private final BloomFilter<CharSequence> linkedKeys;

  LogIntake(SyncStore store, ReceiptLog log, Collection<Jurisdiction> served) {
    this.store = store;
    this.log = log;
    long start = System.nanoTime();
    long links = 0;
    for (Jurisdiction j : served) {
      LinkCounts counts = store.links().counts(j.id());
      links += counts.open() + counts.complete();
    }
    // Sized for twice the links there are (CRM-raised ones included, which have no report key).
    this.linkedKeys = BloomFilter.create(Funnels.stringFunnel(StandardCharsets.UTF_8),
        Math.max(MIN_CAPACITY, 2 * links), FALSE_POSITIVES);
    long keys = 0;
    for (Jurisdiction j : served) {
      keys += store.links().forEachOpen311Id(j.id(), key -> linkedKeys.put(filterKey(j, key)));
    }
    logger.info("serve mode: {} report keys of linked reports loaded in {} ms", keys,
        (System.nanoTime() - start) / 1_000_000);
  }

  @Override
  public ServeMode.Received keep(Jurisdiction j, String key, String version,
      Optional<String> fixMyStreetId, String payload) {
    ReceiptLog.Kept kept = log.keep(j.id(), key, version, fixMyStreetId, payload,
        () -> linkedKeys.mightContain(filterKey(j, key))
            && store.links().findByOpen311Id(j.id(), key).isPresent());
    return switch (kept) {
      case NEW -> new ServeMode.Received(Optional.empty(), true, Optional.empty());
      case PENDING -> new ServeMode.Received(Optional.empty(), false, Optional.empty());
      case LINKED -> {
        // Links are never deleted, so the one the check found is still there.
        Optional<Link> link = store.links().findByOpen311Id(j.id(), key);
        yield new ServeMode.Received(link, false, link.flatMap(Link::crmId));
      }
    };
  }

  @Override
  public void linking(Jurisdiction j, String key) {
    linkedKeys.put(filterKey(j, key));
  }

  @Override
  public Optional<Receipt> pending(SyncState tx, Jurisdiction j, String key) {
    return log.pending(j.id(), key);
  }

  @Override
  public OptionalInt backlog(Jurisdiction j) {
    return OptionalInt.of(log.pendingCount(j.id()));
  }

  @Override
  public List<Receipt> oldest(Jurisdiction j, int limit) {
    return log.oldest(j.id(), limit);
  }

  @Override
  public boolean take(SyncState tx, Receipt receipt) {
    return true;
  }

  @Override
  public void drained(List<Receipt> receipts) {
    log.drained(receipts);
  }

  private static String filterKey(Jurisdiction j, String key) {
    return j.id().length() + ":" + j.id() + key;
  }
}
