package ballast.app.marketdata;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link CsvRows#plainUtc}, the CSV reader's fast path for times, against {@link Instant#parse}: the same instant for
 * every time it reads, and nothing (so {@code Instant.parse} decides) for every text it does not.
 */
class PlainUtcProperties {

    /** Every instant from 1970 to 2100, written as the files write it, with and without milliseconds. */
    @Property(tries = 2000)
    void readsWhatInstantParseReads(@ForAll("instants") Instant instant, @ForAll boolean withMillis) {
        String text = written(instant, withMillis);
        assertThat(CsvRows.plainUtc(text)).as(text).isEqualTo(Instant.parse(text));
    }

    /**
     * Texts near the shape: a character changed anywhere in a valid time. Either the fast path reads the instant
     * {@code Instant.parse} reads, or it leaves the text to it.
     */
    @Property(tries = 5000)
    void neverReadsWhatInstantParseWouldNot(@ForAll("nearTimes") String text) {
        Instant fast = CsvRows.plainUtc(text);
        if (fast == null) {
            return;
        }
        Instant slow;
        try {
            slow = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new AssertionError("the fast path read " + text + " as " + fast + "; Instant.parse refuses it", e);
        }
        assertThat(fast).as(text).isEqualTo(slow);
    }

    @Example
    void leavesTheEdgesToInstantParse() {
        assertThat(CsvRows.plainUtc("2024-02-30T00:00:00Z")).isNull();
        assertThat(CsvRows.plainUtc("2023-02-29T00:00:00Z")).isNull();
        assertThat(CsvRows.plainUtc("2024-02-29T00:00:00Z")).isEqualTo(Instant.parse("2024-02-29T00:00:00Z"));
        assertThat(CsvRows.plainUtc("2016-12-31T23:59:60Z")).isNull();
        assertThat(CsvRows.plainUtc("2024-01-01T24:00:00Z")).isNull();
        assertThat(CsvRows.plainUtc("2024-01-01T00:00:00+01:00")).isNull();
        assertThat(CsvRows.plainUtc("2024-01-01 00:00:00Z")).isNull();
        assertThat(CsvRows.plainUtc("2024-01-01T00:00:00.5Z")).isNull();
        assertThat(CsvRows.plainUtc("2019-09-10T08:00:00.000Z")).isEqualTo(Instant.parse("2019-09-10T08:00:00Z"));
    }

    @Provide
    Arbitrary<Instant> instants() {
        return Arbitraries.longs()
                .between(0, Instant.parse("2100-01-01T00:00:00Z").toEpochMilli())
                .map(Instant::ofEpochMilli);
    }

    @Provide
    Arbitrary<String> nearTimes() {
        Arbitrary<String> valid =
                Combinators.combine(instants(), Arbitraries.of(false, true)).as(PlainUtcProperties::written);
        Arbitrary<Character> anyChar =
                Arbitraries.of('0', '1', '2', '3', '5', '6', '9', '-', ':', 'T', 'Z', 'z', '.', ' ', '+');
        return Combinators.combine(valid, Arbitraries.integers().between(0, 23), anyChar)
                .as((text, at, c) -> {
                    int i = Math.min(at, text.length() - 1);
                    return text.substring(0, i) + c + text.substring(i + 1);
                });
    }

    /** {@code 2024-01-01T00:00:00Z}, or {@code 2024-01-01T00:00:00.000Z} with the instant's milliseconds. */
    private static String written(Instant instant, boolean withMillis) {
        String seconds = instant.toString().substring(0, 19);
        return withMillis ? seconds + "." + String.format("%03d", instant.getNano() / 1_000_000) + "Z" : seconds + "Z";
    }
}
