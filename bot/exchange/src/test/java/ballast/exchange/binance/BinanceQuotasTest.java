package ballast.exchange.binance;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.exchange.binance.stream.MutableClock;
import ballast.exchange.venue.RateUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The client never sends what Binance would answer with a 429, and reads leave the reserved weight to writes. */
class BinanceQuotasTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
    final BinanceQuotas quotas = new BinanceQuotas(clock);

    /** As exchangeInfo lists them: 2,400 weight a minute, 300 orders per 10 s, 1,200 a minute. */
    static BinanceExchangeInfo info() {
        return new BinanceExchangeInfo(
                List.of(
                        new BinanceExchangeInfo.RateLimit(
                                BinanceExchangeInfo.LimitType.REQUEST_WEIGHT, Duration.ofMinutes(1), 2400),
                        new BinanceExchangeInfo.RateLimit(
                                BinanceExchangeInfo.LimitType.ORDERS, Duration.ofMinutes(1), 1200),
                        new BinanceExchangeInfo.RateLimit(
                                BinanceExchangeInfo.LimitType.ORDERS, Duration.ofSeconds(10), 300)),
                Map.of());
    }

    @Test
    void reads_stop_at_their_share_of_the_weight_and_writes_keep_the_reserve() {
        quotas.size(info(), 20);
        // positionRisk weighs 5: 384 reads take 1,920, the readers' 80 %.
        for (int i = 0; i < 384; i++) {
            assertThat(quotas.admit(BinanceEndpoint.POSITION_RISK)).isEmpty();
        }
        assertThat(quotas.admit(BinanceEndpoint.POSITION_RISK))
                .hasValueSatisfying(why -> assertThat(why)
                        .contains("1920 of the minute's 2400 used")
                        .contains("reads may use 1920")
                        .contains("until 2026-12-02T10:01:00Z"));
        // A top-up still goes.
        assertThat(quotas.admit(BinanceEndpoint.POSITION_MARGIN)).isEmpty();
        assertThat(quotas.headroom()).containsEntry("weight-1m", 2400 - 1921);
        // The next minute starts over.
        clock.advance(Duration.ofSeconds(60));
        assertThat(quotas.admit(BinanceEndpoint.POSITION_RISK)).isEmpty();
    }

    @Test
    void the_venues_count_corrects_ours_upwards_never_down() {
        quotas.size(info(), 20);
        quotas.admit(BinanceEndpoint.ACCOUNT);
        // Another process on the same IP spent most of the minute.
        quotas.observed(new RateUsage(OptionalInt.of(1918), OptionalInt.empty(), OptionalInt.empty()));
        assertThat(quotas.admit(BinanceEndpoint.POSITION_RISK)).isPresent();
        assertThat(quotas.admit(BinanceEndpoint.QUERY_ORDER)).isEmpty();
        quotas.observed(new RateUsage(OptionalInt.of(3), OptionalInt.empty(), OptionalInt.empty()));
        assertThat(quotas.headroom()).containsEntry("weight-1m", 2400 - 1919);
    }

    @Test
    void orders_keep_to_the_ten_second_and_the_minute_quota() {
        quotas.size(info(), 20);
        quotas.observed(new RateUsage(OptionalInt.empty(), OptionalInt.of(299), OptionalInt.of(299)));
        assertThat(quotas.admit(BinanceEndpoint.NEW_ORDER)).isEmpty();
        assertThat(quotas.admit(BinanceEndpoint.NEW_ALGO_ORDER))
                .hasValueSatisfying(why -> assertThat(why).contains("300 of 300 per 10 s"));
        // A margin change is no order.
        assertThat(quotas.admit(BinanceEndpoint.POSITION_MARGIN)).isEmpty();
        clock.advance(Duration.ofSeconds(10));
        assertThat(quotas.admit(BinanceEndpoint.NEW_ORDER)).isEmpty();
        assertThat(quotas.headroom()).containsEntry("orders-10s", 299).containsEntry("orders-1m", 1200 - 301);
        assertThat(quotas.refused()).isEqualTo(1);
    }
}
