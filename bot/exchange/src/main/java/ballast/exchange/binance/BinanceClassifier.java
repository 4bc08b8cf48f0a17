package ballast.exchange.binance;

import static java.util.Objects.requireNonNull;

import ballast.exchange.payload.PayloadException;
import ballast.exchange.payload.Payloads;
import ballast.exchange.venue.RateUsage;
import ballast.exchange.venue.VenueError;
import ballast.exchange.venue.VenueResult;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Headers;

/**
 * Turns what happened on the wire into a {@link VenueResult}: the one place where HTTP statuses and Binance error codes
 * mean something. The executor acts on the {@link VenueError} class alone.
 *
 * <p>The rule behind every line: {@link VenueError.NotSent} only when the venue provably never saw the request;
 * {@link VenueError.Rejected} only when the venue said it did not apply it; anything in between is
 * {@link VenueError.OutcomeUnknown}. Reads get the same classes as writes (a timed-out read is just as unknown); what
 * differs is that the executor may repeat a read freely, and that an unreadable 200 is a {@link VenueError.BadPayload}
 * for a read but {@link VenueError.OutcomeUnknown} for a write, which the venue accepted and may have applied.
 */
final class BinanceClassifier {

    static final String USED_WEIGHT_1M = "X-MBX-USED-WEIGHT-1M";
    static final String ORDER_COUNT_10S = "X-MBX-ORDER-COUNT-10S";
    static final String ORDER_COUNT_1M = "X-MBX-ORDER-COUNT-1M";

    /** Binance's -1003 text when the IP is already banned: "… IP banned until 1700000000000. …" (epoch ms). */
    private static final Pattern BANNED_UNTIL = Pattern.compile("banned until (\\d{10,16})");

    private static final int EXCERPT = 200;

    private final Clock clock;
    private final List<String> confidential;

    /**
     * @param confidential strings that must never appear in a reason (the API key and secret): scrubbed from anything
     *     the venue or the network stack sends back, in case either ever echoes them
     */
    BinanceClassifier(Clock clock, List<String> confidential) {
        this.clock = requireNonNull(clock, "clock");
        this.confidential =
                List.copyOf(confidential).stream().filter(s -> !s.isEmpty()).toList();
    }

    <T> VenueResult<T> classify(BinanceEndpoint endpoint, BinanceExchange exchange, Function<String, T> parser) {
        return switch (exchange) {
            case BinanceExchange.Unanswered u -> unanswered(endpoint, u);
            case BinanceExchange.Answered a -> answered(endpoint, a, parser);
        };
    }

    private <T> VenueResult<T> unanswered(BinanceEndpoint endpoint, BinanceExchange.Unanswered u) {
        RateUsage usage = usage(u.headers());
        String what = endpoint.label() + ": " + describe(u.failure());
        if (!u.sent()) {
            return failed(new VenueError.NotSent(what + " (no connection was established)"), usage);
        }
        // Once bytes may have left, silence proves nothing: the venue may have acted and the answer got lost.
        return failed(
                new VenueError.OutcomeUnknown(what
                        + (endpoint.write()
                                ? " after the request was sent: reconcile before repeating it"
                                : " after the request was sent (a read: safe to repeat)")),
                usage);
    }

    private <T> VenueResult<T> answered(
            BinanceEndpoint endpoint, BinanceExchange.Answered a, Function<String, T> parser) {
        RateUsage usage = usage(a.headers());
        int status = a.status();
        Optional<ErrorBody> error = errorBody(a.body());
        if (status == 429 || status == 418) {
            return failed(rateLimited(status, a.headers(), error, usage), usage);
        }
        if (status >= 200 && status < 300) {
            if (error.isPresent()) {
                // Not seen from Binance so far, but a negative code is an error whatever the status says.
                return failed(byCode(endpoint, status, error.get(), a.headers(), usage), usage);
            }
            try {
                return new VenueResult.Ok<>(parser.apply(a.body()), usage);
            } catch (PayloadException e) {
                String detail = scrub(e.getMessage());
                VenueError unreadable = endpoint.write()
                        ? new VenueError.OutcomeUnknown(endpoint.label() + ": accepted (HTTP " + status
                                + ") but the answer is unreadable: reconcile; " + detail)
                        : new VenueError.BadPayload(detail);
                return failed(unreadable, usage);
            }
        }
        if (status >= 500 && status < 600) {
            // Binance: a 5xx may come after the request reached the matching engine, "execution status unknown".
            // Only the two codes that say "not processed" are trusted to be anything else.
            if (error.isPresent() && error.get().code() == -1008) {
                return failed(byCode(endpoint, status, error.get(), a.headers(), usage), usage);
            }
            if (error.isPresent() && error.get().code() == -1003) {
                return failed(rateLimited(status, a.headers(), error, usage), usage);
            }
            return failed(
                    new VenueError.OutcomeUnknown(endpoint.label() + ": HTTP " + status
                            + error.map(e -> " " + e.code() + " " + scrub(e.message()))
                                    .orElse(" " + excerpt(a.body()))),
                    usage);
        }
        if (status >= 400 && status < 500) {
            if (error.isPresent()) {
                return failed(byCode(endpoint, status, error.get(), a.headers(), usage), usage);
            }
            return failed(bareClientError(endpoint, status, a.body()), usage);
        }
        if (status >= 300 && status < 400) {
            // Binance never redirects its API; a redirect means the base URL points somewhere else (a proxy, a
            // captive portal). Redirects are not followed, so the request went nowhere useful, but a human must fix it.
            return failed(
                    new VenueError.Fatal(endpoint.label() + ": unexpected redirect (HTTP " + status + ") to "
                            + scrub(Optional.ofNullable(a.headers().get("Location"))
                                    .orElse("nowhere"))
                            + ": check the REST base URL"),
                    usage);
        }
        return failed(new VenueError.OutcomeUnknown(endpoint.label() + ": unexpected HTTP status " + status), usage);
    }

    /** A Binance error body, by code. The HTTP status (400, 401, …) adds nothing once the code is known. */
    private VenueError byCode(BinanceEndpoint endpoint, int status, ErrorBody error, Headers headers, RateUsage usage) {
        int code = error.code();
        String message = scrub(error.message());
        return switch (code) {
            // Bad signature, malformed key, invalid key / IP / permissions, unauthorised: retrying cannot help.
            case -1022, -2014, -2015, -1002 ->
                new VenueError.Fatal(endpoint.label() + ": credentials refused (" + code + " " + message
                        + "): check the API key, secret, IP allow-list and futures permission");
            case -1003 -> rateLimited(status, headers, Optional.of(error), usage);
            // -1006 "execution status unknown", -1007 "send status unknown; execution status unknown", and -1000
            // "an unknown error occurred while processing the request": none says the request was not applied.
            case -1000, -1006, -1007 -> new VenueError.OutcomeUnknown(endpoint.label() + ": " + code + " " + message);
            // -1021: timestamp outside recvWindow. Rejected (not applied); the client re-syncs its clock offset.
            // -1008: throttled by system-level protection, not applied; Binance exempts reduce-only and
            // close-position orders from this throttle, one more reason protective cuts are sent reduce-only.
            default -> new VenueError.Rejected(code, message);
        };
    }

    private VenueError bareClientError(BinanceEndpoint endpoint, int status, String body) {
        String what = endpoint.label() + ": HTTP " + status + " without a Binance error body: " + excerpt(body);
        return switch (status) {
            // Binance: 408 = timed out waiting for the backend; the request may still be processed.
            case 408 -> new VenueError.OutcomeUnknown(what);
            // Unauthorised, WAF block, no such endpoint: configuration, not market conditions.
            case 401, 403, 404, 405 -> new VenueError.Fatal(what);
            // A positive code is the HTTP status: the front end refused the request, so it was not applied.
            default -> new VenueError.Rejected(status, what);
        };
    }

    private VenueError.RateLimited rateLimited(
            int status, Headers headers, Optional<ErrorBody> error, RateUsage usage) {
        Optional<Duration> retryAfter = retryAfter(headers);
        int reported = status == 418 || status == 429 ? status : 429;
        Optional<Instant> bannedUntil = error.flatMap(e -> bannedUntil(e.message()));
        if (bannedUntil.isPresent()) {
            reported = 418;
            if (retryAfter.isEmpty()) {
                Duration left = Duration.between(clock.instant(), bannedUntil.get());
                retryAfter = Optional.of(left.isNegative() ? Duration.ZERO : left);
            }
        }
        return new VenueError.RateLimited(reported, retryAfter, usage);
    }

    private static Optional<Instant> bannedUntil(String message) {
        Matcher m = BANNED_UNTIL.matcher(message);
        return m.find() ? Optional.of(Instant.ofEpochMilli(Long.parseLong(m.group(1)))) : Optional.empty();
    }

    /** {@code Retry-After} in seconds (what Binance sends) or as an HTTP date; unreadable means absent. */
    private Optional<Duration> retryAfter(Headers headers) {
        String value = headers.get("Retry-After");
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String text = value.trim();
        try {
            long seconds = Long.parseLong(text);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration left = Duration.between(
                        clock.instant(),
                        ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME)
                                .toInstant());
                return Optional.of(left.isNegative() ? Duration.ZERO : left);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    /** Quota usage from the response headers (OkHttp's lookup ignores case: Binance sends "…-1m"). */
    static RateUsage usage(Headers headers) {
        return new RateUsage(
                count(headers, USED_WEIGHT_1M), count(headers, ORDER_COUNT_10S), count(headers, ORDER_COUNT_1M));
    }

    private static OptionalInt count(Headers headers, String name) {
        String value = headers.get(name);
        if (value == null) {
            return OptionalInt.empty();
        }
        try {
            int n = Integer.parseInt(value.trim());
            return n < 0 ? OptionalInt.empty() : OptionalInt.of(n);
        } catch (NumberFormatException e) {
            // A garbled quota header must not turn a good answer into a failure; it only leaves usage unknown.
            return OptionalInt.empty();
        }
    }

    /** {@code {"code":-2019,"msg":"Margin is insufficient."}}; success bodies may carry a non-negative code (200). */
    private static Optional<ErrorBody> errorBody(String body) {
        JsonNode root;
        try {
            root = Payloads.parse("error body", body);
        } catch (PayloadException e) {
            return Optional.empty();
        }
        if (!root.isObject()) {
            return Optional.empty();
        }
        JsonNode code = root.get("code");
        if (code == null || !code.isIntegralNumber() || !code.canConvertToInt() || code.intValue() >= 0) {
            return Optional.empty();
        }
        JsonNode msg = root.get("msg");
        return Optional.of(new ErrorBody(code.intValue(), msg != null && msg.isTextual() ? msg.asText() : ""));
    }

    private String describe(IOException failure) {
        String message = failure.getMessage();
        return scrub(failure.getClass().getSimpleName() + (message == null ? "" : ": " + message));
    }

    private String excerpt(String body) {
        // Scrub before cutting, so that a secret straddling the cut cannot leak in part.
        String oneLine = scrub(body.strip().replaceAll("\\s+", " "));
        if (oneLine.isEmpty()) {
            return "(empty)";
        }
        return oneLine.length() <= EXCERPT ? oneLine : oneLine.substring(0, EXCERPT) + "…";
    }

    String scrub(String text) {
        String out = text;
        for (String secret : confidential) {
            out = out.replace(secret, "***");
        }
        return out;
    }

    private static <T> VenueResult<T> failed(VenueError error, RateUsage usage) {
        return new VenueResult.Failed<>(error, usage);
    }

    private record ErrorBody(int code, String message) {}
}
