package org.civicsync.core.store;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serve mode's durable intake on an H2 file store: received reports appended to a log file beside
 * the database, so that answering a {@code POST requests} costs one {@code write} shared by the
 * requests arriving together ({@link GroupCommit}) instead of an H2 commit, which rewrites whole
 * B-tree pages of report text. A drainer later turns receipts into links and work in the store and
 * then reports them {@link #drained}; a segment file is deleted once nothing in it is pending.
 *
 * <p>Durability is the store's: a record is written to the file before {@link #keep} returns, so
 * it survives the death of the process; with {@link H2Durability#POWER_LOSS} the file is also
 * forced to the device. A record is {@code [length][CRC-32C][body]}: on opening, a torn record at
 * the end of the newest segment (one that was never answered) is cut off; damage anywhere else is
 * refused with the file and offset, never skipped. A failed write is truncated away; if even that
 * fails, the log refuses every later append rather than write after a hole.
 *
 * <p>Keys are unique per jurisdiction while pending: a key being kept is claimed first, so
 * concurrent requests with one key append it once, and the caller's check for an existing link
 * (see {@link #keep}) runs after the claim, which a drain releases only once its link committed.
 * One process only: a lock file in the directory is held while the log is open.
 */
public final class ReceiptLog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReceiptLog.class);
  private static final String PREFIX = "receipts-";
  private static final String SUFFIX = ".log";
  /** Record types: a receipt, or the ids of receipts drained since. */
  private static final byte RECEIPT = 1;
  private static final byte DRAINED = 2;
  private static final int HEADER = 8;
  /** A segment is closed for appends and a new one started past this size. */
  private static final long SEGMENT_BYTES = 16L << 20;
  /** Larger than any record this log writes; a longer length read back is damage. */
  private static final int MAX_RECORD = 64 << 20;
  private static final Duration GATHER = Duration.ofNanos(150_000);

  /** What {@link #keep} did with a report. */
  public enum Kept {
    /** Appended: this call received it first. */
    NEW,
    /** Already pending here (a resend); nothing appended. */
    PENDING,
    /** Not pending, and the caller's check found its link: already drained, nothing appended. */
    LINKED
  }

  private final Path dir;
  private final boolean force;
  private final long segmentBytes;
  private final Clock clock;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final GroupCommit<List<Entry>> appends;
  private final AtomicLong ids = new AtomicLong();
  /** Claimed or pending receipts by jurisdiction and key. */
  private final Map<String, Entry> byKey = new ConcurrentHashMap<>();
  /** Written receipts by jurisdiction, oldest first, and how many (a skip list's size is slow). */
  private final Map<String, NavigableMap<Long, Entry>> written = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

  /** Guards the files: the active segment, sealing, deleting, the broken flag. */
  private final Object files = new Object();
  private Segment active;
  private boolean broken;
  private boolean closed;

  private ReceiptLog(Path dir, boolean force, long segmentBytes, Clock clock,
      FileChannel lockChannel, FileLock lock) {
    this.dir = dir;
    this.force = force;
    this.segmentBytes = segmentBytes;
    this.clock = clock;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.appends = new GroupCommit<>(this::append, GATHER);
  }

  /**
   * Opens (creating) the log in {@code dir} and reads back what is pending there.
   *
   * @throws IllegalStateException when another process holds the log, or a record before the
   *     newest segment's end is damaged
   */
  public static ReceiptLog open(Path dir, H2Durability durability, Clock clock) {
    return open(dir, durability, clock, SEGMENT_BYTES);
  }

  /** {@link #open(Path, H2Durability, Clock)} with segments rolled past {@code segmentBytes}. */
  static ReceiptLog open(Path dir, H2Durability durability, Clock clock, long segmentBytes) {
    Objects.requireNonNull(dir, "dir == null");
    Objects.requireNonNull(durability, "durability == null");
    Objects.requireNonNull(clock, "clock == null");
    FileChannel lockChannel = null;
    try {
      Files.createDirectories(dir);
      lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw new IllegalStateException("receipt log " + dir + " is open in another process or"
            + " another store of this one; a log has one owner");
      }
      ReceiptLog receipts = new ReceiptLog(dir, durability == H2Durability.POWER_LOSS,
          segmentBytes, clock, lockChannel, lock);
      receipts.recover();
      return receipts;
    } catch (IOException e) {
      closeQuietly(lockChannel);
      throw new UncheckedIOException("receipt log " + dir + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(lockChannel);
      throw e;
    }
  }

  /**
   * Keeps a receipt durably unless its key is pending here or {@code linked} says it was drained.
   * The key is claimed before {@code linked} runs, so a resend racing a drain either finds the
   * claim or, the drain having released it after committing, finds the link.
   *
   * @param linked whether the key already has its link in the store (asked only when the key is
   *     not pending)
   */
  public Kept keep(String jurisdiction, String key, String version,
      Optional<String> fixMyStreetId, String payload, BooleanSupplier linked) {
    Objects.requireNonNull(linked, "linked == null");
    Entry mine = new Entry(new Receipt(ids.incrementAndGet(), jurisdiction, key, version,
        fixMyStreetId, payload, clock.instant()));
    String k = mapKey(jurisdiction, key);
    while (true) {
      Entry prior = byKey.putIfAbsent(k, mine);
      if (prior == null) {
        break;
      }
      if (await(prior.settled)) {
        return Kept.PENDING;
      }
      // The earlier claim was let go (its key had a link, or its write failed): ask again.
    }
    boolean kept = false;
    try {
      if (linked.getAsBoolean()) {
        return Kept.LINKED;
      }
      appends.run(batch -> batch.add(mine));
      kept = true;
      return Kept.NEW;
    } finally {
      if (!kept) {
        byKey.remove(k, mine);
      }
      mine.settled.complete(kept);
    }
  }

  /** The written receipt of a key, while it is pending. */
  public Optional<Receipt> pending(String jurisdiction, String key) {
    Entry e = byKey.get(mapKey(jurisdiction, key));
    return e != null && e.segment != null ? Optional.of(e.receipt) : Optional.empty();
  }

  /** The oldest written receipts of a jurisdiction, at most {@code limit}. */
  public List<Receipt> oldest(String jurisdiction, int limit) {
    NavigableMap<Long, Entry> entries = written.get(jurisdiction);
    List<Receipt> out = new ArrayList<>(Math.min(limit, 512));
    if (entries != null) {
      for (Entry e : entries.values()) {
        if (out.size() >= limit) {
          break;
        }
        out.add(e.receipt);
      }
    }
    return out;
  }

  /** Receipts written and not yet drained, over all jurisdictions. */
  public int size() {
    return counts.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /** Receipts of a jurisdiction written and not yet drained. */
  public int pendingCount(String jurisdiction) {
    AtomicInteger n = counts.get(jurisdiction);
    return n == null ? 0 : n.get();
  }

  /**
   * Lets go of receipts whose links are committed in the store. Call only after that commit: a
   * segment whose receipts are all drained is deleted. Receipts not pending (drained twice) are
   * ignored.
   */
  public void drained(Collection<Receipt> receipts) {
    List<Long> ids = new ArrayList<>(receipts.size());
    for (Receipt r : receipts) {
      String k = mapKey(r.jurisdiction(), r.key());
      Entry e = byKey.get(k);
      if (e == null || e.receipt.id() != r.id() || e.segment == null) {
        continue;
      }
      NavigableMap<Long, Entry> entries = written.get(r.jurisdiction());
      if (entries == null || entries.remove(r.id()) == null) {
        continue;
      }
      counts.get(r.jurisdiction()).decrementAndGet();
      byKey.remove(k, e);
      ids.add(r.id());
      synchronized (files) {
        e.segment.live--;
        deleteIfDone(e.segment);
      }
    }
    if (!ids.isEmpty()) {
      mark(ids);
    }
  }

  /**
   * Notes drained ids in the active segment, so a restart does not read those receipts back as
   * pending. Not forced and not retried: a lost note (a crash right after the drain, or its
   * segment deleted before an older one) only has the receipts drained again, which finds their
   * links and creates nothing.
   */
  private void mark(List<Long> ids) {
    ByteArrayOutputStream body = new ByteArrayOutputStream(5 + ids.size() * 8);
    try (DataOutputStream out = new DataOutputStream(body)) {
      out.writeByte(DRAINED);
      out.writeInt(ids.size());
      for (long id : ids) {
        out.writeLong(id);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ByteBuffer record = frame(List.of(body.toByteArray()));
    synchronized (files) {
      if (closed || broken) {
        return;
      }
      Segment segment = active;
      long start = segment.size;
      try {
        while (record.hasRemaining()) {
          segment.channel.write(record);
        }
        segment.size = start + record.limit();
      } catch (IOException e) {
        log.warn("receipt log {}: noting {} drained receipts failed ({}); they will be drained"
            + " again after a restart", segment.path, ids.size(), e.toString());
        try {
          segment.channel.truncate(start);
          segment.channel.position(start);
        } catch (IOException again) {
          broken = true;
        }
      }
    }
  }

  /** Appends made so far and the writes they took (appends / writes is the batch). */
  public GroupStats stats() {
    return new GroupStats(appends.units(), appends.commits());
  }

  /** Appends and the writes they shared. */
  public record GroupStats(long appends, long writes) {}

  @Override
  public void close() {
    synchronized (files) {
      if (closed) {
        return;
      }
      closed = true;
      if (active != null) {
        closeQuietly(active.channel);
      }
    }
    try {
      lock.release();
    } catch (IOException e) {
      log.warn("receipt log {}: releasing the lock failed: {}", dir, e.toString());
    }
    closeQuietly(lockChannel);
  }

  /** One shared write: the batch's records in one buffer, written (and forced) at once. */
  private <T> T append(Function<List<Entry>, T> work) {
    List<Entry> batch = new ArrayList<>();
    T result = work.apply(batch);
    ByteBuffer buffer = encode(batch);
    synchronized (files) {
      if (closed) {
        throw new SyncStoreException("receipt.append", dir, "the receipt log is closed");
      }
      if (broken) {
        throw new SyncStoreException("receipt.append", dir, "refused: an earlier failed write"
            + " could not be cut off; restart to recover");
      }
      Segment segment = active;
      long start = segment.size;
      try {
        while (buffer.hasRemaining()) {
          segment.channel.write(buffer);
        }
        if (force) {
          segment.channel.force(false);
        }
      } catch (IOException e) {
        try {
          segment.channel.truncate(start);
          segment.channel.position(start);
        } catch (IOException again) {
          broken = true;
          e.addSuppressed(again);
        }
        throw new SyncStoreException("receipt.append", segment.path, e);
      }
      segment.size = start + buffer.limit();
      segment.live += batch.size();
      for (Entry e : batch) {
        e.segment = segment;
        index(e);
      }
      if (segment.size >= segmentBytes) {
        roll();
      }
    }
    return result;
  }

  /** Makes a written receipt visible to {@link #oldest} and the counts. */
  private void index(Entry e) {
    String jurisdiction = e.receipt.jurisdiction();
    counts.computeIfAbsent(jurisdiction, j -> new AtomicInteger()).incrementAndGet();
    written.computeIfAbsent(jurisdiction, j -> new ConcurrentSkipListMap<>())
        .put(e.receipt.id(), e);
  }

  private static ByteBuffer encode(List<Entry> batch) {
    List<byte[]> bodies = new ArrayList<>(batch.size());
    for (Entry e : batch) {
      bodies.add(body(e.receipt));
    }
    return frame(bodies);
  }

  /** Each body as {@code [length][CRC-32C][body]}, in one buffer. */
  private static ByteBuffer frame(List<byte[]> bodies) {
    int size = 0;
    for (byte[] body : bodies) {
      size += HEADER + body.length;
    }
    ByteBuffer buffer = ByteBuffer.allocate(size);
    CRC32C crc = new CRC32C();
    for (byte[] body : bodies) {
      crc.reset();
      crc.update(body);
      buffer.putInt(body.length).putInt((int) crc.getValue()).put(body);
    }
    return buffer.flip();
  }

  private static byte[] body(Receipt r) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + r.payload().length() * 2);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(RECEIPT);
      out.writeLong(r.id());
      string(out, r.jurisdiction());
      string(out, r.key());
      string(out, r.version());
      out.writeBoolean(r.fixMyStreetId().isPresent());
      if (r.fixMyStreetId().isPresent()) {
        string(out, r.fixMyStreetId().get());
      }
      string(out, r.payload());
      out.writeLong(r.received().getEpochSecond());
      out.writeInt(r.received().getNano());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void string(DataOutputStream out, String s) throws IOException {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  /** Reads every segment, keeps what is pending, cuts a torn tail, starts a new segment. */
  private void recover() throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> segmentNumber(p) >= 0).toList();
    }
    NavigableMap<Long, Path> ordered = new TreeMap<>();
    for (Path p : files) {
      ordered.put(segmentNumber(p), p);
    }
    Map<Segment, List<Receipt>> read = new LinkedHashMap<>();
    Set<Long> drainedIds = new HashSet<>();
    for (Map.Entry<Long, Path> f : ordered.entrySet()) {
      boolean newest = f.getKey().equals(ordered.lastKey());
      Segment segment = new Segment(f.getKey(), f.getValue(), null);
      segment.sealed = true;
      read.put(segment, readSegment(f.getValue(), newest, drainedIds));
    }
    long maxId = 0;
    int recovered = 0;
    for (Map.Entry<Segment, List<Receipt>> f : read.entrySet()) {
      Segment segment = f.getKey();
      for (Receipt r : f.getValue()) {
        maxId = Math.max(maxId, r.id());
        if (drainedIds.contains(r.id())) {
          continue;
        }
        Entry e = new Entry(r);
        e.segment = segment;
        e.settled.complete(true);
        if (byKey.putIfAbsent(mapKey(r.jurisdiction(), r.key()), e) == null) {
          index(e);
          segment.live++;
          recovered++;
        }
      }
      synchronized (files) {
        deleteIfDone(segment);
      }
    }
    // Past every id still named anywhere, drained notes included: a new receipt must never take
    // an id that a note left in a surviving segment calls drained.
    for (long id : drainedIds) {
      maxId = Math.max(maxId, id);
    }
    ids.set(maxId);
    synchronized (files) {
      startSegment(ordered.isEmpty() ? 1 : ordered.lastKey() + 1);
    }
    if (recovered > 0) {
      log.info("receipt log {}: {} receipts pending from before the restart", dir, recovered);
    }
  }

  /** The segment's receipts, in order; the ids its drained notes name go to {@code drained}. */
  private static List<Receipt> readSegment(Path path, boolean newest, Set<Long> drained)
      throws IOException {
    List<Receipt> out = new ArrayList<>();
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      long size = channel.size();
      ByteBuffer all = ByteBuffer.allocate(Math.toIntExact(size));
      while (all.hasRemaining() && channel.read(all) >= 0) {
        // read the whole segment
      }
      all.flip();
      CRC32C crc = new CRC32C();
      while (all.hasRemaining()) {
        int offset = all.position();
        String damage = null;
        if (all.remaining() < HEADER) {
          damage = "a record header cut short";
        } else {
          int length = all.getInt();
          int sum = all.getInt();
          if (length <= 0 || length > MAX_RECORD || length > all.remaining()) {
            damage = "a record length of " + length + " with " + all.remaining() + " bytes left";
          } else {
            byte[] body = new byte[length];
            all.get(body);
            crc.reset();
            crc.update(body);
            if ((int) crc.getValue() != sum) {
              damage = "a record whose checksum does not match";
            } else {
              parse(body, path, offset, out, drained);
            }
          }
        }
        if (damage != null) {
          if (!newest) {
            throw new IllegalStateException("receipt log " + path + " is damaged at offset "
                + offset + " (" + damage + "), before its end; move the file aside to start,"
                + " and replay its receipts by hand");
          }
          log.warn("receipt log {}: cut {} bytes at offset {} ({}), a write the process did not"
              + " finish and never answered", path, size - offset, offset, damage);
          channel.truncate(offset);
          break;
        }
      }
    }
    return out;
  }

  private static void parse(byte[] body, Path path, int offset, List<Receipt> receipts,
      Set<Long> drained) {
    ByteBuffer in = ByteBuffer.wrap(body);
    byte type = in.get();
    if (type == DRAINED) {
      for (int n = in.getInt(); n > 0; n--) {
        drained.add(in.getLong());
      }
      return;
    }
    if (type != RECEIPT) {
      throw new IllegalStateException("receipt log " + path + ": record at offset " + offset
          + " is of type " + type + ", which this version does not know");
    }
    long id = in.getLong();
    String jurisdiction = string(in);
    String key = string(in);
    String version = string(in);
    Optional<String> fixMyStreetId = in.get() != 0 ? Optional.of(string(in)) : Optional.empty();
    String payload = string(in);
    Instant received = Instant.ofEpochSecond(in.getLong(), in.getInt());
    receipts.add(new Receipt(id, jurisdiction, key, version, fixMyStreetId, payload, received));
  }

  private static String string(ByteBuffer in) {
    byte[] utf8 = new byte[in.getInt()];
    in.get(utf8);
    return new String(utf8, StandardCharsets.UTF_8);
  }

  /** Under {@link #files}: seals the active segment and starts the next. */
  private void roll() {
    Segment old = active;
    old.sealed = true;
    closeQuietly(old.channel);
    startSegment(old.number + 1);
    deleteIfDone(old);
  }

  /** Under {@link #files}. */
  private void startSegment(long number) {
    Path path = dir.resolve(PREFIX + String.format("%012d", number) + SUFFIX);
    try {
      FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
      if (force) {
        forceDirectory();
      }
      active = new Segment(number, path, channel);
    } catch (IOException e) {
      broken = true;
      throw new SyncStoreException("receipt.segment", path, e);
    }
  }

  /** Under {@link #files}: a sealed segment with nothing pending is deleted. */
  private void deleteIfDone(Segment segment) {
    if (!segment.sealed || segment.live > 0) {
      return;
    }
    try {
      Files.deleteIfExists(segment.path);
    } catch (IOException e) {
      // Harmless: its receipts are drained, and a restart reads them as already linked.
      log.warn("receipt log {}: could not delete a drained segment: {}", segment.path,
          e.toString());
    }
  }

  private void forceDirectory() throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  private static long segmentNumber(Path p) {
    String name = p.getFileName().toString();
    if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) {
      return -1;
    }
    try {
      return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String mapKey(String jurisdiction, String key) {
    Objects.requireNonNull(jurisdiction, "jurisdiction == null");
    Objects.requireNonNull(key, "key == null");
    return jurisdiction.length() + ":" + jurisdiction + key;
  }

  private static boolean await(CompletableFuture<Boolean> settled) {
    try {
      return settled.join();
    } catch (CompletionException e) {
      return false;
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("closing {} failed: {}", channel, e.toString());
    }
  }

  /** A receipt claimed or pending here. */
  private static final class Entry {
    final Receipt receipt;
    /** Completed true once written, false if the claim was let go. */
    final CompletableFuture<Boolean> settled = new CompletableFuture<>();
    /** Set (under {@link #files}) once written. */
    volatile Segment segment;

    Entry(Receipt receipt) {
      this.receipt = receipt;
    }
  }

  /** One file of the log; fields guarded by {@link #files}. */
  private static final class Segment {
    final long number;
    final Path path;
    final FileChannel channel;
    long size;
    int live;
    boolean sealed;

    Segment(long number, Path path, FileChannel channel) {
      this.number = number;
      this.path = path;
      this.channel = channel;
    }
  }
}
