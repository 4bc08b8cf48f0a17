package ballast.exchange.binance;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import okhttp3.Headers;

/** What happened to one request on the wire, before anything is made of it: the classifier's input. */
sealed interface BinanceExchange {

    /**
     * No complete answer arrived.
     *
     * @param sent whether the request may have left this process: false only when the connection was never
     *     established (refused, unknown host, connect timeout), which proves the venue never saw it
     * @param headers the response headers when the failure came while reading the body, else empty
     */
    record Unanswered(IOException failure, boolean sent, Headers headers) implements BinanceExchange {
        public Unanswered {
            requireNonNull(failure, "failure");
            requireNonNull(headers, "headers");
        }
    }

    /** A complete HTTP response. */
    record Answered(int status, Headers headers, String body) implements BinanceExchange {
        public Answered {
            requireNonNull(headers, "headers");
            requireNonNull(body, "body");
        }
    }
}
