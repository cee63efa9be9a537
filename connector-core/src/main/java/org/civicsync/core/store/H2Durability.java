package org.civicsync.core.store;

/**
 * How far an H2 file store goes before a commit returns.
 *
 * <p>H2 2.x by default writes committed changes from a background thread every 500 ms
 * (WRITE_DELAY), so a process that dies loses up to half a second of acknowledged work. Both
 * levels here set WRITE_DELAY=0: then MVStore writes the commit's chunk to the file inside the
 * commit. H2 does not force the file to the device on commit, though.
 */
public enum H2Durability {
  /**
   * The commit is in the file (the operating system's page cache) before it returns: survives the
   * JVM being killed, not a power cut or kernel crash. Proven by a kill -9 test.
   */
  PROCESS_CRASH,
  /**
   * Additionally runs {@code CHECKPOINT SYNC} (fsync) after every commit: survives a power cut if
   * the device honours flushes. Much slower: each commit waits for the device.
   */
  POWER_LOSS
}
