package ballast.app.run;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.kernel.EngineEvent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InboxTest {
    static final Instant T0 = Instant.parse("2024-10-24T00:00:00Z");

    static EngineEvent.MarkUpdated mark(String symbol, int second, String price) {
        return new EngineEvent.MarkUpdated(
                T0.plusSeconds(second), symbol, new BigDecimal(price), new BigDecimal(price));
    }

    static List<EngineEvent> drain(Inbox inbox) throws InterruptedException {
        List<EngineEvent> out = new ArrayList<>();
        EngineEvent e;
        while ((e = inbox.take(Duration.ZERO)) != null) {
            out.add(e);
        }
        return out;
    }

    @Test
    void a_waiting_mark_is_replaced_by_the_newer_one_of_its_symbol_in_its_place() throws Exception {
        Inbox inbox = new Inbox(100);
        EngineEvent balance = new EngineEvent.BalanceUpdated(T0, BigDecimal.TEN);
        assertThat(inbox.put(mark("BTCUSDT", 1, "100"))).isTrue();
        assertThat(inbox.put(mark("ETHUSDT", 1, "10"))).isTrue();
        assertThat(inbox.put(balance)).isTrue();
        assertThat(inbox.put(mark("BTCUSDT", 2, "99"))).isFalse();
        assertThat(inbox.put(mark("BTCUSDT", 3, "98"))).isFalse();

        assertThat(drain(inbox)).containsExactly(mark("BTCUSDT", 3, "98"), mark("ETHUSDT", 1, "10"), balance);
        assertThat(inbox.coalesced()).isEqualTo(2);
        // Once taken, the next mark of the symbol queues again.
        assertThat(inbox.put(mark("BTCUSDT", 4, "97"))).isTrue();
        assertThat(drain(inbox)).containsExactly(mark("BTCUSDT", 4, "97"));
    }

    @Test
    void a_full_inbox_never_drops_an_account_event_and_counts_each_one_over() throws Exception {
        Inbox inbox = new Inbox(2);
        List<EngineEvent> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            EngineEvent e = new EngineEvent.BalanceUpdated(T0.plusSeconds(i), BigDecimal.valueOf(i));
            sent.add(e);
            inbox.put(e);
        }
        assertThat(inbox.overflows()).isEqualTo(3);
        assertThat(inbox.deepest()).isEqualTo(5);
        assertThat(drain(inbox)).isEqualTo(sent);
    }

    @Test
    void take_waits_for_an_event_and_gives_up_after_its_timeout() throws Exception {
        Inbox inbox = new Inbox(10);
        assertThat(inbox.take(Duration.ofMillis(5))).isNull();
        Thread producer = new Thread(() -> inbox.put(mark("BTCUSDT", 1, "100")));
        producer.start();
        assertThat(inbox.take(Duration.ofSeconds(10))).isEqualTo(mark("BTCUSDT", 1, "100"));
        producer.join();
    }
}
