package ballast.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A whole-file walk keeps each price between two of a candle's as its digits in two {@code long}s and its scale
 * ({@link ReplayRunner#pack}) and makes it again when a replay asks for the step ({@link ReplayRunner#unpack}): the
 * decimal made again is equal to the one kept, scale included (so every sum and product taken from it is too), for
 * every decimal whose digits fit 127 bits; any other is refused, to be kept whole.
 */
class PackedDigitsProperties {

    @Property(tries = 5000)
    void whatIsPackedIsMadeAgainDigitForDigit(@ForAll("decimals") BigDecimal value) {
        long[] packed = ReplayRunner.pack(value);
        boolean fits = value.signum() >= 0 && value.unscaledValue().bitLength() <= 127;
        assertThat(packed != null).as("%s packs", value).isEqualTo(fits);
        if (packed != null) {
            BigDecimal again = ReplayRunner.unpack(packed[0], packed[1], value.scale());
            assertThat(again).as("%s made again", value).isEqualTo(value);
            assertThat(again.scale()).isEqualTo(value.scale());
        }
    }

    /** Prices between two of a candle's, as the walk makes them: sixteen-digit quotients added to a price. */
    @Property(tries = 2000)
    void pricesOnAWalkPack(
            @ForAll("prices") BigDecimal from, @ForAll("prices") BigDecimal to, @ForAll("parts") int[] parts) {
        int n = Math.max(parts[0], parts[1]) + 1;
        int i = Math.min(parts[0], parts[1]) + 1;
        BigDecimal move = to.subtract(from);
        BigDecimal between =
                from.add(move.multiply(BigDecimal.valueOf(i)).divide(BigDecimal.valueOf(n), MathContext.DECIMAL64));
        long[] packed = ReplayRunner.pack(between);
        assertThat(packed).as("%s packs", between).isNotNull();
        assertThat(ReplayRunner.unpack(packed[0], packed[1], between.scale())).isEqualTo(between);
    }

    @Example
    void theEdgesOfTheBits() {
        BigInteger most = BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE);
        for (BigInteger digits : new BigInteger[] {
            BigInteger.ZERO,
            BigInteger.valueOf(Long.MAX_VALUE),
            BigInteger.ONE.shiftLeft(63),
            BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE),
            BigInteger.ONE.shiftLeft(64),
            most
        }) {
            BigDecimal value = new BigDecimal(digits, 7);
            long[] packed = ReplayRunner.pack(value);
            assertThat(ReplayRunner.unpack(packed[0], packed[1], 7)).isEqualTo(value);
        }
        assertThat(ReplayRunner.pack(new BigDecimal(most.add(BigInteger.ONE), 7)))
                .isNull();
        assertThat(ReplayRunner.pack(new BigDecimal("-1.5"))).isNull();
    }

    @Provide
    Arbitrary<BigDecimal> decimals() {
        Arbitrary<BigInteger> digits = Arbitraries.integers()
                .between(0, 130)
                .flatMap(bits -> Arbitraries.bigIntegers()
                        .between(BigInteger.ZERO, BigInteger.ONE.shiftLeft(bits))
                        .withDistribution(net.jqwik.api.RandomDistribution.uniform()));
        Arbitrary<Integer> signs = Arbitraries.of(1, 1, 1, -1);
        Arbitrary<Integer> scales = Arbitraries.integers().between(-5, 40);
        return Combinators.combine(digits, signs, scales)
                .as((d, sign, scale) -> new BigDecimal(sign < 0 ? d.negate() : d, scale));
    }

    @Provide
    Arbitrary<BigDecimal> prices() {
        return Arbitraries.integers()
                .between(0, 8)
                .flatMap(scale -> Arbitraries.bigDecimals()
                        .between(BigDecimal.ONE.movePointLeft(scale), new BigDecimal("200000"))
                        .ofScale(scale));
    }

    @Provide
    Arbitrary<int[]> parts() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 400),
                        Arbitraries.integers().between(0, 400))
                .as((a, b) -> new int[] {a, b});
    }
}
