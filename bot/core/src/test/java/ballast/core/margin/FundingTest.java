package ballast.core.margin;

import static ballast.core.margin.ExchangeDocCasesTest.d;
import static org.assertj.core.api.Assertions.assertThat;

import ballast.core.Side;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** margin-math.md §5, FF-1 … FF-4 (freqtrade's test_calculate_funding_fees), plus sign and timing rules. */
class FundingTest {

    @Test
    void ff1_to_ff3_short_receives_a_positive_rate() {
        assertThat(Funding.cashFlow(Side.SHORT, d("10"), d("2.0"), d("0.0001"))).isEqualByComparingTo("0.002");
        assertThat(Funding.cashFlow(Side.SHORT, d("10"), d("2.0"), d("0.0002"))).isEqualByComparingTo("0.004");
        assertThat(Funding.cashFlow(Side.SHORT, d("10"), d("2.5"), d("0.0002"))).isEqualByComparingTo("0.005");
    }

    @Test
    void long_pays_what_the_short_receives() {
        assertThat(Funding.cashFlow(Side.LONG, d("10"), d("2.0"), d("0.0001"))).isEqualByComparingTo("-0.002");
        assertThat(Funding.cashFlow(Side.LONG, d("10"), d("2.0"), d("-0.0001"))).isEqualByComparingTo("0.002");
    }

    @Test
    void ff4_unknown_mark_books_nothing_and_says_so() {
        Instant t = Instant.parse("2022-11-09T08:00:00Z");
        Funding.Payment payment =
                Funding.settle(Side.SHORT, d("10"), new Funding.Settlement(t, d("0.0002"), Optional.empty()));
        assertThat(payment).isEqualTo(new Funding.Payment.MarkUnknown(t));
        assertThat(payment.cashFlow()).isZero();
    }

    @Test
    void only_settlements_while_open_count() {
        var s0 = new Funding.Settlement(Instant.parse("2022-11-09T00:00:00Z"), d("0.0001"), Optional.of(d("20000")));
        var s1 = new Funding.Settlement(Instant.parse("2022-11-09T08:00:00Z"), d("0.0001"), Optional.of(d("18000")));
        var s2 = new Funding.Settlement(Instant.parse("2022-11-09T16:00:00Z"), d("-0.0002"), Optional.of(d("17000")));
        var payments = Funding.payments(
                Side.LONG,
                d("1"),
                Instant.parse("2022-11-09T00:00:00Z"),
                Instant.parse("2022-11-09T16:00:00Z"),
                List.of(s0, s1, s2));
        assertThat(payments).hasSize(2);
        assertThat(Funding.total(payments)).isEqualByComparingTo("-3.8");
    }
}
