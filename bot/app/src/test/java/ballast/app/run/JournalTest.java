package ballast.app.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ballast.core.PositionKey;
import ballast.core.Side;
import ballast.core.margin.PartialCloseRelease;
import ballast.core.policy.Action;
import ballast.core.policy.RiskLevel;
import ballast.core.venue.Outcome;
import ballast.kernel.Book;
import ballast.kernel.Decided;
import ballast.kernel.Engine;
import ballast.kernel.EngineEvent;
import ballast.kernel.Gate;
import ballast.kernel.Intent;
import ballast.kernel.Step;
import ballast.kernel.TradingState;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    static final Instant T0 = Instant.parse("2024-10-24T00:00:00.5Z");
    static final Book BTC = Book.of(new PositionKey("BTCUSDT", Side.LONG));

    static Engine.Memory memory(long next) {
        return new Engine.Memory(
                next,
                null,
                Instant.parse("2024-10-24T01:00:00Z"),
                "HTTP 418: IP banned",
                List.of(
                        new Engine.BookMemory(
                                BTC,
                                RiskLevel.WARN,
                                T0,
                                1,
                                true,
                                T0.minusSeconds(60),
                                List.of("blabcd-7"),
                                null,
                                null,
                                new BigDecimal("3000"),
                                new BigDecimal("0.5"),
                                new BigDecimal("30000.00"),
                                new BigDecimal("0.0964123456789012345"),
                                new BigDecimal("8000"),
                                new BigDecimal("120.5"),
                                BigDecimal.ZERO,
                                new BigDecimal("1.25"),
                                BigDecimal.ZERO,
                                new BigDecimal("54495.12345678")),
                        new Engine.BookMemory(
                                Book.CROSS,
                                RiskLevel.WATCH,
                                null,
                                0,
                                false,
                                T0,
                                List.of(),
                                T0,
                                "blabcd-8",
                                BigDecimal.ONE,
                                BigDecimal.ONE,
                                BigDecimal.ONE,
                                null,
                                null,
                                BigDecimal.ZERO,
                                BigDecimal.ZERO,
                                BigDecimal.ZERO,
                                BigDecimal.ZERO,
                                null)),
                new Gate.Memory(
                        List.of(new Gate.Episode(
                                "BTCUSDT:long", 3, new BigDecimal("1000"), new BigDecimal("120.5"), 1)),
                        List.of(new Gate.Charge(
                                "blabcd-7", "BTCUSDT:long", 3, LocalDate.parse("2024-10-24"), new BigDecimal("120.5"))),
                        3,
                        LocalDate.parse("2024-10-24"),
                        new BigDecimal("3000"),
                        new BigDecimal("120.5"),
                        new BigDecimal("4879.5")));
    }

    @Test
    void the_engines_memory_comes_back_exactly_and_the_prefix_stays_with_the_file(@TempDir Path dir) {
        Path file = dir.resolve("a/b/journal.sqlite");
        String prefix;
        try (Journal journal = Journal.open(file)) {
            prefix = journal.idPrefix();
            assertThat(prefix).matches("bl[a-z0-9]{4}-");
            assertThat(journal.memory()).isEmpty();
            journal.stepped(new EngineEvent.BalanceUpdated(T0, BigDecimal.TEN), Step.NONE, memory(8));
        }
        try (Journal again = Journal.open(file)) {
            assertThat(again.idPrefix()).isEqualTo(prefix);
            assertThat(again.memory()).contains(memory(8));
        }
    }

    @Test
    void intents_are_journalled_before_they_are_sent_and_settled_by_their_outcome(@TempDir Path dir) {
        try (Journal journal = Journal.open(dir.resolve("journal.sqlite"))) {
            Intent topUp = new Intent(
                    "blabcd-7", new Action.TopUpMargin("BTCUSDT", Side.LONG, new BigDecimal("120.5"), "cushion"));
            Intent cut = new Intent(
                    "blabcd-8",
                    new Action.ReducePosition(
                            "BTCUSDT", Side.LONG, new BigDecimal("0.1"), PartialCloseRelease.KEEP_NET, "guard"));
            Intent alert = new Intent("blabcd-6", new Action.Alert("BTCUSDT", Side.LONG, RiskLevel.WARN, "close"));
            Step step = new Step(List.of(
                    new Decided.LevelMoved(T0, BTC, RiskLevel.WATCH, RiskLevel.WARN),
                    new Decided.Issued(T0, BTC, alert),
                    new Decided.Issued(T0, BTC, topUp),
                    new Decided.Issued(T0, BTC, cut),
                    new Decided.TradingStateMoved(T0, TradingState.ACTIVE, TradingState.REDUCING, "stale")));
            journal.stepped(new EngineEvent.MarkUpdated(T0, "BTCUSDT", BigDecimal.ONE, BigDecimal.ONE), step, null);
            // Alerts are facts, not intents.
            assertThat(journal.unsettled())
                    .extracting(u -> u.intent().clientId())
                    .containsExactly("blabcd-7", "blabcd-8");
            assertThat(journal.unsettled().get(0).intent()).isEqualTo(topUp);
            assertThat(journal.unsettled().get(0).sentAt()).isEmpty();

            journal.sent("blabcd-7", T0.plusSeconds(1));
            journal.stepped(
                    new EngineEvent.OutcomeReported(T0.plusSeconds(2), topUp, new Outcome.Unknown("read timeout")),
                    Step.NONE,
                    null);
            Journal.Unsettled timedOut = journal.unsettled().get(0);
            assertThat(timedOut.sentAt()).contains(T0.plusSeconds(1));
            assertThat(timedOut.outcome()).contains("unknown");

            journal.stepped(
                    new EngineEvent.OutcomeReported(
                            T0.plusSeconds(3),
                            topUp,
                            new Outcome.Accepted(
                                    new BigDecimal("120.5"), Optional.empty(), Optional.of(new BigDecimal("0")))),
                    Step.NONE,
                    null);
            journal.stepped(
                    new EngineEvent.OutcomeReported(T0.plusSeconds(4), cut, new Outcome.Rejected("-2022", "no")),
                    Step.NONE,
                    null);
            assertThat(journal.unsettled()).isEmpty();
            assertThat(journal.intents())
                    .extracting(Journal.Sent::outcome)
                    .containsExactly(
                            Optional.of(new Outcome.Accepted(
                                    new BigDecimal("120.5"), Optional.empty(), Optional.of(new BigDecimal("0")))),
                            Optional.of(new Outcome.Rejected("-2022", "no")));
            assertThat(journal.entries(Optional.empty()))
                    .extracting(Journal.Entry::kind)
                    .containsExactly("level", "alert", "intent", "intent", "trading", "outcome", "outcome", "outcome");
            // Times sort as text in time order, fractions of a second included.
            assertThat(journal.entries(Optional.of(T0.plusSeconds(3))))
                    .extracting(Journal.Entry::time)
                    .containsExactly(T0.plusSeconds(3), T0.plusSeconds(4));
        }
    }

    @Test
    void every_kind_of_action_and_outcome_has_a_name_in_the_journal() {
        // A variant added to the sealed types without a name here would be written under its class name and not be
        // read back after a restart.
        assertThat(named(JournalJson.ActionTypes.class))
                .containsExactlyInAnyOrder(Action.class.getPermittedSubclasses());
        assertThat(named(JournalJson.OutcomeTypes.class))
                .containsExactlyInAnyOrder(Outcome.class.getPermittedSubclasses());
        Action backstop = new Action.PlaceBackstop("BTCUSDT", Side.LONG, new BigDecimal("54495.12"), "liq");
        assertThat(JournalJson.read(JournalJson.write(backstop), Action.class, "test"))
                .isEqualTo(backstop);
    }

    private static List<Class<?>> named(Class<?> mixin) {
        return java.util.Arrays.stream(mixin.getAnnotation(com.fasterxml.jackson.annotation.JsonSubTypes.class)
                        .value())
                .<Class<?>>map(com.fasterxml.jackson.annotation.JsonSubTypes.Type::value)
                .toList();
    }

    @Test
    void a_journal_from_a_newer_ballast_is_refused_with_its_file_named(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("journal.sqlite");
        Journal.open(file).close();
        try (var db = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = db.createStatement()) {
            s.execute("PRAGMA user_version = " + (Journal.VERSION + 1));
        }
        assertThatThrownBy(() -> Journal.open(file))
                .isInstanceOf(Journal.JournalException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("newer than this Ballast reads");
    }

    @Test
    void one_bot_per_account_the_second_is_told_who_holds_it(@TempDir Path dir) {
        Path lock = dir.resolve("journal.sqlite.lock");
        try (InstanceLock first = InstanceLock.take(lock, "the demo account")) {
            assertThatThrownBy(() -> InstanceLock.take(lock, "the demo account"))
                    .isInstanceOf(InstanceLock.HeldException.class)
                    .hasMessageContaining("another Ballast (process "
                            + ProcessHandle.current().pid() + ")")
                    .hasMessageContaining("the demo account");
        }
        // Released with the first: the next one takes it.
        InstanceLock.take(lock, "the demo account").close();
    }
}
