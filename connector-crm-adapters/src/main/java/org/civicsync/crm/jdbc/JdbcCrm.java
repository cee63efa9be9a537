package org.civicsync.crm.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.civicsync.core.model.Report;
import org.civicsync.core.model.Service;
import org.civicsync.core.model.ServiceType;
import org.civicsync.core.spi.AppliedUpdate;
import org.civicsync.core.spi.CaseCreation;
import org.civicsync.core.spi.CaseDetails;
import org.civicsync.core.spi.CaseLookup;
import org.civicsync.core.spi.CaseUpdate;
import org.civicsync.core.spi.CaseUpdates;
import org.civicsync.core.spi.ChangeCursor;
import org.civicsync.core.spi.ChangeFeed;
import org.civicsync.core.spi.ChangePage;
import org.civicsync.core.spi.CreatedCase;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.core.spi.CrmCapability;
import org.civicsync.core.spi.CrmCase;
import org.civicsync.core.spi.CrmChange;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.CrmNote;
import org.civicsync.core.spi.CrmOperation;
import org.civicsync.core.spi.NewCase;
import org.civicsync.core.spi.ServiceCatalogue;
import org.civicsync.crm.feed.ChangePages;
import org.civicsync.crm.feed.KeysetPosition;
import org.civicsync.crm.internal.LocationFields;

/**
 * A CRM whose cases and notes are rows in its own database, read and written through JDBC with
 * prepared statements only (see {@link CaseSql}).
 *
 * <p><b>Create</b> looks for the idempotency key and inserts when it is absent; the key column's
 * unique constraint settles two creates racing, the loser answering the winner's case.
 * <b>Updates</b> run in one transaction holding the case row ({@code FOR UPDATE}): a note is
 * written unless a note with the update id is there (in its own column, or as a trailing
 * {@code [civicsync:<updateId>]}), a status unless it is already set, and any write moves the
 * case's modified time and version, so the feed lists it. <b>Changes</b> are keyset pages on
 * (modified, id), see {@link KeysetPosition}; with {@link FeedNotes} configured, each change
 * carries the public notes written on its case since the page's start. <b>Services</b> come from
 * an optional {@link ServiceTable}; without one the adapter has no {@link ServiceCatalogue}.
 * <b>Details</b> are the case's description, title and location (see {@link #details}), the
 * location only with {@link #withLocation} columns, which create then fills.
 */
public final class JdbcCrm implements CrmAdapter, CaseCreation, CaseLookup, ChangeFeed,
    CaseUpdates, ServiceCatalogue, CaseDetails {
  private static final int MAX_PAGE = 10_000;
  /** Cursors as {@code jdbc1:<ISO instant>|<id>}; stored by the engine, so kept as it is. */
  private static final KeysetPosition.Format CURSOR = KeysetPosition.Format.isoInstant("jdbc1:");
  private static final Pattern MARKER = Pattern.compile("\\[civicsync:([^\\]]+)\\]\\s*$");

  private final String name;
  private final JdbcSettings settings;
  private final DataSource dataSource;
  private final Clock clock;
  private final CaseSql sql;
  private final AutoCloseable owned;
  private final Optional<ServiceTable> serviceTable;
  private final FeedNotes feedNotes;
  private final LocationFields location;

  private JdbcCrm(String name, JdbcSettings settings, DataSource dataSource, Clock clock,
      AutoCloseable owned, Optional<ServiceTable> serviceTable, FeedNotes feedNotes,
      LocationFields location) {
    this.name = name;
    this.settings = settings;
    this.dataSource = dataSource;
    this.clock = clock;
    this.sql = new CaseSql(settings);
    this.owned = owned;
    this.serviceTable = serviceTable;
    this.feedNotes = feedNotes;
    this.location = location;
  }

  /** This adapter with a {@link ServiceCatalogue} read from {@code table}. */
  public JdbcCrm withServiceTable(ServiceTable table) {
    return new JdbcCrm(name, settings, dataSource, clock, owned,
        Optional.of(Objects.requireNonNull(table, "table == null")), feedNotes, location);
  }

  /** This adapter with {@code notes} reported in its change feed. */
  public JdbcCrm withFeedNotes(FeedNotes notes) {
    return new JdbcCrm(name, settings, dataSource, clock, owned, serviceTable,
        Objects.requireNonNull(notes, "notes == null"), location);
  }

  /**
   * This adapter with a report's location written to and read from {@code columns} (a case table
   * rarely has a place of its own).
   *
   * @throws IllegalArgumentException when a column is not a plain SQL name
   */
  public JdbcCrm withLocation(LocationFields columns) {
    Objects.requireNonNull(columns, "columns == null");
    columns.latitude().ifPresent(c -> JdbcSettings.identifier("latitude_column", c));
    columns.longitude().ifPresent(c -> JdbcSettings.identifier("longitude_column", c));
    columns.address().ifPresent(c -> JdbcSettings.identifier("address_column", c));
    return new JdbcCrm(name, settings, dataSource, clock, owned, serviceTable, feedNotes,
        columns);
  }

  /** {@link ServiceCatalogue} only when a service table is configured. */
  @Override
  public <T extends CrmCapability> Optional<T> capability(Class<T> type) {
    Objects.requireNonNull(type, "type == null");
    if (type == ServiceCatalogue.class && serviceTable.isEmpty()) {
      return Optional.empty();
    }
    return CrmAdapter.super.capability(type);
  }

  /** Over {@code dataSource}, which the caller keeps and closes. */
  public static JdbcCrm create(String name, JdbcSettings settings, DataSource dataSource,
      Clock clock) {
    return create(name, settings, dataSource, clock, () -> {});
  }

  /** Over {@code dataSource}, closing {@code owned} (its pool) with the adapter. */
  static JdbcCrm create(String name, JdbcSettings settings, DataSource dataSource, Clock clock,
      AutoCloseable owned) {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(settings, "settings == null");
    Objects.requireNonNull(dataSource, "dataSource == null");
    Objects.requireNonNull(clock, "clock == null");
    return new JdbcCrm(name, settings, dataSource, clock, owned, Optional.empty(), FeedNotes.NONE,
        LocationFields.NONE);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CreatedCase create(NewCase newCase) {
    Objects.requireNonNull(newCase, "newCase == null");
    UnaryOperator<CrmException.Builder> subject = b -> b.externalReference(newCase.externalReference());
    // The location's columns, unless the mapping fills one of them itself.
    Map<String, Object> located = new LinkedHashMap<>(location.values(newCase.report().location()));
    located.keySet().removeAll(newCase.fields().keySet());
    List<String> extra = new ArrayList<>(located.keySet());
    extra.addAll(newCase.fields().keySet());
    String insertSql;
    try {
      insertSql = sql.insertCase(extra); // checks the mapped field names before any SQL runs
    } catch (IllegalArgumentException e) {
      throw subject.apply(CrmException.of(CrmException.Kind.PERMANENT, name,
          CrmOperation.CREATE_CASE)).detail("the mapping's " + e.getMessage()).build();
    }
    try (Connection c = dataSource.getConnection()) {
      Optional<CrmCase> existing = one(c, sql.byKey, newCase.idempotencyKey());
      if (existing.isPresent()) {
        return new CreatedCase(existing.get().caseId(), existing.get().version(), true);
      }
      String description = newCase.report().description().orElse("");
      List<Object> values = new ArrayList<>(List.of(newCase.idempotencyKey(),
          newCase.externalReference(), newCase.caseType(), settings.openStatus(), now(),
          description));
      settings.titleColumn().ifPresent(t -> values.add(newCase.report().title().orElse(
          description.length() > 200 ? description.substring(0, 200) : description)));
      settings.versionColumn().ifPresent(v -> values.add(1));
      values.addAll(located.values());
      newCase.fields().keySet()
          .forEach(f -> values.add(String.join(",", newCase.fields().get(f))));
      try (PreparedStatement insert = c.prepareStatement(insertSql)) {
        bind(insert, values);
        insert.executeUpdate();
      } catch (SQLException e) {
        if (SqlFailure.uniqueViolation(e)) { // another create of this key won the race
          CrmCase winner = one(c, sql.byKey, newCase.idempotencyKey()).orElseThrow(() -> e);
          return new CreatedCase(winner.caseId(), winner.version(), true);
        }
        throw e;
      }
      CrmCase created = one(c, sql.byKey, newCase.idempotencyKey()).orElseThrow(() ->
          new SQLException("the inserted case is not visible by its idempotency key", "02000"));
      return new CreatedCase(created.caseId(), created.version(), false);
    } catch (SQLException e) {
      throw SqlFailure.of(e, true, name, CrmOperation.CREATE_CASE, subject);
    }
  }

  @Override
  public Optional<CrmCase> findByExternalReference(String externalReference) {
    Objects.requireNonNull(externalReference, "externalReference == null");
    try (Connection c = dataSource.getConnection()) {
      return one(c, sql.byReference, externalReference);
    } catch (SQLException e) {
      throw SqlFailure.of(e, false, name, CrmOperation.FIND_CASE,
          b -> b.externalReference(externalReference));
    }
  }

  /**
   * The case's description and, with a title column, its title, and its location in the
   * columns given to {@link #withLocation}: the columns create writes from a report. Only those
   * columns are selected; the settings name no contact or creation time column, so the report
   * has none. An id that is not of the key's type is "no case".
   */
  @Override
  public Optional<Report> details(String caseId) {
    Objects.requireNonNull(caseId, "caseId == null");
    Object id;
    try {
      id = id(caseId);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql.details(location))) {
      bind(s, List.of(id));
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        int next = settings.titleColumn().isPresent() ? 3 : 2;
        Map<String, String> located = new HashMap<>();
        for (String column : location.names()) {
          located.put(column, text(rs.getString(next++)));
        }
        return Optional.of(Report.builder().description(text(rs.getString(1)))
            .title(settings.titleColumn().isPresent() ? text(rs.getString(2)) : null)
            .location(location.read(column -> Optional.ofNullable(located.get(column))))
            .build());
      }
    } catch (SQLException e) {
      throw SqlFailure.of(e, false, name, CrmOperation.FIND_CASE, b -> b.caseId(caseId));
    }
  }

  /** A column's text, or null (absent) when it is null or blank. */
  private static String text(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  @Override
  public ChangePage changesSince(ChangeCursor cursor, int limit) {
    Objects.requireNonNull(cursor, "cursor == null");
    int size = ChangePages.size(limit, MAX_PAGE);
    KeysetPosition after =
        CURSOR.parse(cursor).orElseThrow(() -> ChangePages.foreignCursor(name, cursor));
    LocalDateTime t = local(after.modified());
    List<Object> values = after.fromStart() ? List.of(t) : List.of(t, t, id(after.id()));
    try (Connection c = dataSource.getConnection()) {
      List<CrmCase> rows = all(c,
          CaseSql.limited(after.fromStart() ? sql.fromStart : sql.after, size + 1), values);
      ChangePage page = ChangePages.of(rows, size, row -> row, cursor, CURSOR);
      return feedNotes.mode() == FeedNotes.Mode.NONE || page.changes().isEmpty()
          ? page : withNotes(c, page, t);
    } catch (SQLException | NumberFormatException e) {
      if (e instanceof SQLException sqlException) {
        throw SqlFailure.of(sqlException, false, name, CrmOperation.LIST_CHANGES, b -> b);
      }
      throw ChangePages.foreignCursor(name, cursor);
    }
  }

  /**
   * Gives each change the notes on its case created since the page's start and no later than the
   * change (a case appears once per page, with its latest state). A note written by
   * {@link #apply} (its update id in the column or the trailing marker) is the engine's own: it is
   * left out of the text, and a change with only such notes carries its update id instead, so the
   * engine drops the echo. An officer's note that does not move the case's modified time is
   * reported with the case's next change.
   */
  private ChangePage withNotes(Connection c, ChangePage page, LocalDateTime from)
      throws SQLException {
    List<String> ids = page.changes().stream().map(CrmChange::caseId).distinct().toList();
    List<Object> values = new ArrayList<>();
    ids.forEach(id -> values.add(id(id)));
    values.add(from);
    if (feedNotes.mode() == FeedNotes.Mode.PUBLIC) {
      values.add(true);
    }
    List<NoteRow> notes = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(feedNotes.select(settings, ids.size()))) {
      bind(s, values);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          notes.add(new NoteRow(rs.getString(1), rs.getString(2),
              Objects.toString(rs.getString(3), ""),
              rs.getObject(4, LocalDateTime.class).atZone(settings.timeZone()).toInstant(),
              settings.noteUpdateIdColumn().isPresent()
                  ? Optional.ofNullable(rs.getString(5)).filter(u -> !u.isBlank())
                  : Optional.empty()));
        }
      }
    }
    List<CrmChange> changes = new ArrayList<>();
    for (CrmChange change : page.changes()) {
      List<String> texts = new ArrayList<>();
      Optional<String> ours = Optional.empty();
      NoteRow last = null;
      for (NoteRow note : notes) {
        if (!note.caseId().equals(change.caseId()) || note.created().isAfter(change.modified())) {
          continue;
        }
        Matcher m = MARKER.matcher(note.text());
        Optional<String> updateId = note.updateId().or(() -> m.find()
            ? Optional.of(m.group(1)) : Optional.empty());
        if (updateId.isPresent()) {
          ours = updateId;
        } else if (!note.text().isBlank()) {
          texts.add(note.text());
          last = note;
        }
      }
      if (last != null) {
        changes.add(new CrmChange(change.modified(), change.crmCase(), Optional.of(new CrmNote(
            last.noteId(), String.join("\n\n", texts), last.created(), Optional.empty())),
            Optional.empty()));
      } else {
        changes.add(ours.isPresent()
            ? new CrmChange(change.modified(), change.crmCase(), Optional.empty(), ours) : change);
      }
    }
    return new ChangePage(changes, page.next(), page.more());
  }

  private record NoteRow(String noteId, String caseId, String text, Instant created,
      Optional<String> updateId) {}

  /** The case types from the configured service table (see {@link ServiceTable}). */
  @Override
  public List<Service> services() {
    ServiceTable table = serviceTable.orElseThrow(() -> CrmException.of(
        CrmException.Kind.PERMANENT, name, CrmOperation.DESCRIBE_SERVICES)
        .detail("no service_table is configured").build());
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(table.select())) {
      if (table.activeColumn().isPresent()) {
        s.setBoolean(1, true);
      }
      Map<String, Service> byCode = new LinkedHashMap<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String code = Objects.toString(rs.getString(1), "").strip();
          if (code.isEmpty()) {
            continue;
          }
          String label = Objects.toString(rs.getString(2), "").strip();
          String group = Objects.toString(rs.getString(3), "").strip();
          byCode.putIfAbsent(code, new Service(code, label.isEmpty() ? code : label,
              Optional.empty(), false, ServiceType.REALTIME, List.of(),
              group.isEmpty() ? List.of() : List.of(group)));
        }
      }
      return List.copyOf(byCode.values());
    } catch (SQLException e) {
      throw SqlFailure.of(e, false, name, CrmOperation.DESCRIBE_SERVICES, b -> b);
    }
  }

  @Override
  public ChangeCursor cursorAt(Instant time) {
    return CURSOR.toCursor(KeysetPosition.from(Objects.requireNonNull(time, "time == null")));
  }

  @Override
  public AppliedUpdate apply(CaseUpdate update) {
    Objects.requireNonNull(update, "update == null");
    UnaryOperator<CrmException.Builder> subject = b -> b.caseId(update.caseId());
    Object caseId;
    try {
      caseId = id(update.caseId());
    } catch (NumberFormatException e) {
      throw subject.apply(CrmException.of(CrmException.Kind.NOT_FOUND, name,
          CrmOperation.APPLY_UPDATE)).detail("not a case id of " + settings.caseTable()).build();
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        AppliedUpdate applied = apply(c, update, caseId, subject);
        c.commit();
        return applied;
      } catch (SQLException | RuntimeException e) {
        rollback(c, e);
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw SqlFailure.of(e, true, name, CrmOperation.APPLY_UPDATE, subject);
    }
  }

  private AppliedUpdate apply(Connection c, CaseUpdate update, Object caseId,
      UnaryOperator<CrmException.Builder> subject) throws SQLException {
    CrmCase now = one(c, sql.byIdForUpdate, caseId).orElseThrow(() -> subject.apply(CrmException
        .of(CrmException.Kind.NOT_FOUND, name, CrmOperation.APPLY_UPDATE))
        .detail("no row in " + settings.caseTable()).build());
    String marker = "[civicsync:" + update.updateId() + "]";
    boolean writeNote = update.note().isPresent() && !noteExists(c, caseId, update, marker);
    String status = update.closes()
        ? update.statusCode().orElse(settings.closeStatus())
        : update.statusCode().orElse(now.statusCode());
    if (!writeNote && status.equals(now.statusCode())) {
      return new AppliedUpdate(now.version(), true);
    }
    LocalDateTime at = now();
    if (writeNote) {
      List<Object> values = new ArrayList<>(List.of(caseId,
          settings.noteUpdateIdColumn().isPresent() ? update.note().get()
              : update.note().get() + "\n" + marker, at));
      settings.noteUpdateIdColumn().ifPresent(col -> values.add(update.updateId()));
      execute(c, sql.insertNote, values);
    }
    execute(c, sql.touch, List.of(status, at, caseId));
    return new AppliedUpdate(one(c, sql.byId, caseId).orElseThrow().version(), false);
  }

  private boolean noteExists(Connection c, Object caseId, CaseUpdate update, String marker)
      throws SQLException {
    Object wanted = settings.noteUpdateIdColumn().isPresent() ? update.updateId()
        : "%" + marker.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    try (PreparedStatement s = c.prepareStatement(sql.noteExists)) {
      bind(s, List.of(caseId, wanted));
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  // ---- rows ----

  private Optional<CrmCase> one(Connection c, String query, Object value) throws SQLException {
    List<CrmCase> rows = all(c, query, List.of(value));
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  private List<CrmCase> all(Connection c, String query, List<Object> values) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(query)) {
      bind(s, values);
      try (ResultSet rs = s.executeQuery()) {
        List<CrmCase> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(row(rs));
        }
        return rows;
      }
    }
  }

  private CrmCase row(ResultSet rs) throws SQLException {
    Instant modified = rs.getObject(5, LocalDateTime.class).atZone(settings.timeZone()).toInstant();
    String status = Objects.toString(rs.getString(4), "");
    long version = settings.versionColumn().isPresent() ? rs.getLong(6) : modified.toEpochMilli();
    return new CrmCase(rs.getString(1), Objects.toString(rs.getString(2), ""),
        Optional.ofNullable(rs.getString(3)).filter(r -> !r.isEmpty()), status,
        settings.closedStatuses().contains(status), version, modified);
  }

  private static void execute(Connection c, String statement, List<Object> values)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(statement)) {
      bind(s, values);
      s.executeUpdate();
    }
  }

  private static void bind(PreparedStatement s, List<Object> values) throws SQLException {
    for (int i = 0; i < values.size(); i++) {
      s.setObject(i + 1, values.get(i));
    }
  }

  private Object id(String caseId) {
    return settings.numericIds() ? (Object) Long.parseLong(caseId) : caseId;
  }

  /** Now, to the millisecond, as the local time the CRM's columns hold. */
  private LocalDateTime now() {
    return local(clock.instant().truncatedTo(ChronoUnit.MILLIS));
  }

  private LocalDateTime local(Instant instant) {
    return LocalDateTime.ofInstant(instant, settings.timeZone());
  }

  private static void rollback(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  @Override
  public void close() {
    try {
      owned.close();
    } catch (Exception e) {
      throw new IllegalStateException(name + ": closing the connection pool failed", e);
    }
  }

  @Override
  public String toString() {
    return "JdbcCrm[" + name + ", " + settings.caseTable() + "]";
  }
}
