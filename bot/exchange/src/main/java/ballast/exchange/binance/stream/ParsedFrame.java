package ballast.exchange.binance.stream;

import java.util.Objects;

/** What one text frame turned out to be. Parsing never throws: a bad frame is a value the stream logs and skips. */
public sealed interface ParsedFrame {

    /** A frame that became an event. */
    record Event(BinanceStreamEvent event) implements ParsedFrame {
        public Event {
            Objects.requireNonNull(event, "event");
        }
    }

    /** A well-formed frame this adapter does not use (an event type it does not know, a subscription reply). */
    record Ignored(String reason) implements ParsedFrame {
        public Ignored {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A frame that is not what its format promises; the reason names the field and the offending value. */
    record Malformed(String reason) implements ParsedFrame {
        public Malformed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
