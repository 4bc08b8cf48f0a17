package ballast.app.run;

import ballast.core.policy.Action;
import ballast.core.venue.Outcome;
import ballast.kernel.Decided;
import ballast.kernel.Engine;
import ballast.kernel.EngineEvent;
import ballast.kernel.Intent;
import ballast.kernel.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the bot did and why, in one embedded SQLite file per account: every fact a step decided, every intent before it
 * is sent, its sending and its outcome, and the engine's memory (budgets, episodes, waiting intents, the next client
 * id), each step's writes in one transaction committed before the intents it issued go to the executor.
 *
 * <p>Durability: WAL with {@code synchronous=FULL}, so a committed step survives a power cut, not only a killed
 * process (NORMAL would lose the last commits on a power cut). A commit costs one fsync; the journal writes only steps
 * that decided something, account events and outcomes, never a quiet mark, so that is a few a minute at most.
 *
 * <p>The schema is versioned ({@code PRAGMA user_version}); each migration runs once, in order, in a transaction.
 */
public final class Journal implements AutoCloseable {

    /** The journal cannot be opened or read: its message names the file and what is wrong. */
    public static final class JournalException extends RuntimeException {
        public JournalException(String message) {
            super(message);
        }

        JournalException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Each version's statements, in order: version n is reached by running the first n entries. */
    private static final List<List<String>> MIGRATIONS = List.of(List.of(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            "CREATE TABLE facts (seq INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, kind TEXT NOT NULL,"
                    + " book TEXT, client_id TEXT, detail TEXT NOT NULL, body TEXT NOT NULL)",
            "CREATE INDEX facts_time ON facts (time)",
            "CREATE TABLE intents (client_id TEXT PRIMARY KEY, book TEXT NOT NULL, kind TEXT NOT NULL,"
                    + " action TEXT NOT NULL, issued_at TEXT NOT NULL, sent_at TEXT, outcome_kind TEXT, outcome TEXT,"
                    + " settled_at TEXT)",
            "CREATE TABLE memory (id INTEGER PRIMARY KEY CHECK (id = 1), taken_at TEXT NOT NULL, body TEXT NOT NULL)"));

    static final int VERSION = MIGRATIONS.size();

    /** One line of what the bot did, for {@code ballast journal}. */
    public record Entry(long seq, Instant time, String kind, String book, String clientId, String detail) {}

    /** An intent sent, or only journalled, whose outcome the venue has not settled. */
    public record Unsettled(Intent intent, Instant issuedAt, Optional<Instant> sentAt, Optional<String> outcome) {}

    private final Path file;
    private final Connection db;
    private final String idPrefix;

    private Journal(Path file, Connection db) throws SQLException {
        this.file = file;
        this.db = db;
        migrate();
        this.idPrefix = prefix();
    }

    /** Opens (or creates) the journal at {@code file}, migrating an older schema; refuses a newer one. */
    public static Journal open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new JournalException("cannot create the folder of the journal " + file + ": " + e.getMessage(), e);
        }
        try {
            Connection db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA busy_timeout=5000");
            }
            return new Journal(file, db);
        } catch (SQLException e) {
            throw new JournalException("cannot open the journal " + file + ": " + e.getMessage(), e);
        }
    }

    private void migrate() throws SQLException {
        int version;
        try (Statement s = db.createStatement();
                ResultSet r = s.executeQuery("PRAGMA user_version")) {
            version = r.getInt(1);
        }
        if (version > VERSION) {
            throw new JournalException("the journal " + file + " has schema version " + version
                    + ", newer than this Ballast reads (" + VERSION + "): run the Ballast that wrote it");
        }
        for (int v = version; v < VERSION; v++) {
            db.setAutoCommit(false);
            try (Statement s = db.createStatement()) {
                for (String sql : MIGRATIONS.get(v)) {
                    s.execute(sql);
                }
                s.execute("PRAGMA user_version = " + (v + 1));
                db.commit();
            } catch (SQLException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        }
    }

    /** The account's client id prefix: made once, at the journal's creation, and kept with it. */
    private String prefix() throws SQLException {
        Optional<String> kept = meta("id_prefix");
        if (kept.isPresent()) {
            return kept.get();
        }
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        SecureRandom random = new SecureRandom();
        StringBuilder made = new StringBuilder("bl");
        for (int i = 0; i < 4; i++) {
            made.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        made.append('-');
        try (PreparedStatement p = db.prepareStatement("INSERT INTO meta (key, value) VALUES ('id_prefix', ?)")) {
            p.setString(1, made.toString());
            p.executeUpdate();
        }
        return made.toString();
    }

    private Optional<String> meta(String key) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            p.setString(1, key);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        }
    }

    public Path file() {
        return file;
    }

    /** What every client id of this account starts with: {@code bl} and four characters, then a dash. */
    public String idPrefix() {
        return idPrefix;
    }

    /** The engine's memory as last journalled; empty for a new journal. */
    public synchronized Optional<Engine.Memory> memory() {
        try (Statement s = db.createStatement();
                ResultSet r = s.executeQuery("SELECT body FROM memory WHERE id = 1")) {
            if (!r.next()) {
                return Optional.empty();
            }
            return Optional.of(JournalJson.read(r.getString(1), Engine.Memory.class, file + ": the engine's memory"));
        } catch (SQLException e) {
            throw failed("read the engine's memory", e);
        }
    }

    /**
     * One step: the facts it decided, the intents it issued (before they are sent), an outcome it heard, and the engine's
     * memory after it (null: unchanged), in one transaction.
     */
    public synchronized void stepped(EngineEvent event, Step step, Engine.Memory memory) {
        if (step.isEmpty() && memory == null && !(event instanceof EngineEvent.OutcomeReported)) {
            return;
        }
        try {
            db.setAutoCommit(false);
            try {
                if (event instanceof EngineEvent.OutcomeReported o) {
                    settle(o);
                }
                for (Decided d : step.decided()) {
                    fact(d);
                    if (d instanceof Decided.Issued issued && !(issued.intent().action() instanceof Action.Alert)) {
                        issue(issued);
                    }
                }
                if (memory != null) {
                    try (PreparedStatement p = db.prepareStatement(
                            "INSERT INTO memory (id, taken_at, body) VALUES (1, ?, ?)"
                                    + " ON CONFLICT (id) DO UPDATE SET taken_at = excluded.taken_at, body = excluded.body")) {
                        p.setString(1, Describe.stamp(event.time()));
                        p.setString(2, JournalJson.write(memory));
                        p.executeUpdate();
                    }
                }
                db.commit();
            } catch (SQLException | RuntimeException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failed("write a step", e);
        }
    }

    private void fact(Decided d) throws SQLException {
        String kind;
        String book = null;
        String clientId = null;
        String detail;
        switch (d) {
            case Decided.Issued i -> {
                kind = i.intent().action() instanceof Action.Alert ? "alert" : "intent";
                book = i.book().label();
                clientId = i.intent().clientId();
                detail = Describe.action(i.intent().action());
            }
            case Decided.Refused r -> {
                kind = "refused";
                book = r.book().label();
                detail = Describe.action(r.action()) + ": " + r.reason();
            }
            case Decided.LevelMoved l -> {
                kind = "level";
                book = l.book().label();
                detail = l.from() + " -> " + l.to();
            }
            case Decided.TradingStateMoved t -> {
                kind = "trading";
                detail = t.from() + " -> " + t.to() + ": " + t.reason();
            }
        }
        insertFact(d.time(), kind, book, clientId, detail, JournalJson.write(d));
    }

    private void insertFact(Instant time, String kind, String book, String clientId, String detail, String body)
            throws SQLException {
        try (PreparedStatement p = db.prepareStatement(
                "INSERT INTO facts (time, kind, book, client_id, detail, body) VALUES (?, ?, ?, ?, ?, ?)")) {
            p.setString(1, Describe.stamp(time));
            p.setString(2, kind);
            p.setString(3, book);
            p.setString(4, clientId);
            p.setString(5, detail);
            p.setString(6, body);
            p.executeUpdate();
        }
    }

    private void issue(Decided.Issued issued) throws SQLException {
        try (PreparedStatement p = db.prepareStatement(
                "INSERT INTO intents (client_id, book, kind, action, issued_at) VALUES (?, ?, ?, ?, ?)")) {
            p.setString(1, issued.intent().clientId());
            p.setString(2, issued.book().label());
            p.setString(3, Describe.kind(issued.intent().action()));
            p.setString(4, JournalJson.write(issued.intent().action()));
            p.setString(5, Describe.stamp(issued.time()));
            p.executeUpdate();
        }
    }

    private void settle(EngineEvent.OutcomeReported o) throws SQLException {
        String kind = Describe.kind(o.outcome());
        try (PreparedStatement p = db.prepareStatement(
                "UPDATE intents SET outcome_kind = ?, outcome = ?, settled_at = ? WHERE client_id = ?")) {
            p.setString(1, kind);
            p.setString(2, JournalJson.write(o.outcome()));
            p.setString(3, o.outcome() instanceof Outcome.Unknown ? null : Describe.stamp(o.time()));
            p.setString(4, o.intent().clientId());
            p.executeUpdate();
        }
        insertFact(
                o.time(),
                "outcome",
                Describe.book(o.intent().action()),
                o.intent().clientId(),
                Describe.outcome(o.intent().action(), o.outcome()),
                JournalJson.write(o.outcome()));
    }

    /** The intent is about to be written to the venue's wire: journalled before it is. */
    public synchronized void sent(String clientId, Instant at) {
        try (PreparedStatement p = db.prepareStatement("UPDATE intents SET sent_at = ? WHERE client_id = ?")) {
            p.setString(1, Describe.stamp(at));
            p.setString(2, clientId);
            p.executeUpdate();
        } catch (SQLException e) {
            throw failed("mark " + clientId + " sent", e);
        }
    }

    /**
     * Intents the venue has not settled (never sent, sent without an answer, or answered unknown), oldest first. A
     * backstop is never among them: it moves no money, and the engine places it again from the venue's truth.
     */
    public synchronized List<Unsettled> unsettled() {
        List<Unsettled> out = new ArrayList<>();
        try (Statement s = db.createStatement();
                ResultSet r = s.executeQuery("SELECT client_id, action, issued_at, sent_at, outcome_kind FROM intents"
                        + " WHERE settled_at IS NULL AND kind NOT IN ('backstop', 'backstop-cancel')"
                        + " ORDER BY issued_at, rowid")) {
            while (r.next()) {
                Action action = JournalJson.read(r.getString(2), Action.class, file + ": intent " + r.getString(1));
                out.add(new Unsettled(
                        new Intent(r.getString(1), action),
                        Instant.parse(r.getString(3)),
                        Optional.ofNullable(r.getString(4)).map(Instant::parse),
                        Optional.ofNullable(r.getString(5))));
            }
        } catch (SQLException e) {
            throw failed("read the unsettled intents", e);
        }
        return out;
    }

    /** One intent as journalled: what was asked, when, and how it ended (empty: not settled). */
    public record Sent(
            String clientId, String book, String kind, Action action, Instant issuedAt, Optional<Outcome> outcome) {}

    /** Every intent in the order it was issued. */
    public synchronized List<Sent> intents() {
        List<Sent> out = new ArrayList<>();
        try (Statement s = db.createStatement();
                ResultSet r = s.executeQuery(
                        "SELECT client_id, book, kind, action, issued_at, outcome FROM intents ORDER BY rowid")) {
            while (r.next()) {
                String id = r.getString(1);
                out.add(new Sent(
                        id,
                        r.getString(2),
                        r.getString(3),
                        JournalJson.read(r.getString(4), Action.class, file + ": intent " + id),
                        Instant.parse(r.getString(5)),
                        Optional.ofNullable(r.getString(6))
                                .map(json -> JournalJson.read(json, Outcome.class, file + ": outcome of " + id))));
            }
        } catch (SQLException e) {
            throw failed("read the intents", e);
        }
        return out;
    }

    /** What the bot did from {@code since} on (everything when empty), oldest first. */
    public synchronized List<Entry> entries(Optional<Instant> since) {
        List<Entry> out = new ArrayList<>();
        String sql = "SELECT seq, time, kind, book, client_id, detail FROM facts"
                + (since.isPresent() ? " WHERE time >= ?" : "") + " ORDER BY seq";
        try (PreparedStatement p = db.prepareStatement(sql)) {
            if (since.isPresent()) {
                p.setString(1, Describe.stamp(since.get()));
            }
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new Entry(
                            r.getLong(1),
                            Instant.parse(r.getString(2)),
                            r.getString(3),
                            r.getString(4),
                            r.getString(5),
                            r.getString(6)));
                }
            }
        } catch (SQLException e) {
            throw failed("read the facts", e);
        }
        return out;
    }

    private JournalException failed(String what, SQLException e) {
        return new JournalException("the journal " + file + " could not " + what + ": " + e.getMessage(), e);
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw failed("close", e);
        }
    }
}
