package org.civicsync.core.sync;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.civicsync.core.store.Receipt;
import org.civicsync.core.store.SyncState;

/**
 * Where serve mode keeps a queued report between answering it and draining it into its link and
 * "create the case" work: the store's {@code receipt} table ({@link TableIntake}, shared by nodes
 * on PostgreSQL) or an H2 file store's append-only {@link org.civicsync.core.store.ReceiptLog}
 * ({@link LogIntake}). Either way a key is kept once, and a kept report is durable before
 * {@link #keep} returns.
 */
interface Intake {

  /** Keeps a queued report unless its key is pending or linked; what {@code receive} answers. */
  ServeMode.Received keep(Jurisdiction j, String key, String version,
      Optional<String> fixMyStreetId, String payload);

  /** Called before a link with report key {@code key} is written, in its transaction. */
  void linking(Jurisdiction j, String key);

  /** The pending receipt of a key, as {@code tx} sees it. */
  Optional<Receipt> pending(SyncState tx, Jurisdiction j, String key);

  /** How many receipts of a jurisdiction are pending, when that is cheap to know. */
  OptionalInt backlog(Jurisdiction j);

  /** The oldest pending receipts of a jurisdiction, at most {@code limit}. */
  List<Receipt> oldest(Jurisdiction j, int limit);

  /**
   * Inside the draining transaction, before its link is written: false when another drainer took
   * the receipt first (its link is then committed or about to be).
   */
  boolean take(SyncState tx, Receipt receipt);

  /** After the transaction that drained {@code receipts} committed. */
  void drained(List<Receipt> receipts);
}
