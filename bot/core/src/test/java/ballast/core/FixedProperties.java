package ballast.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link Fixed} against {@link BigInteger}: the 128-bit product, the division and the square root are exact. */
class FixedProperties {

    @Provide
    Arbitrary<Long> anyLong() {
        // Every magnitude, with the edges (0, ±1, ±max) that a division by 2^32 digits gets wrong first.
        return Arbitraries.oneOf(
                Arbitraries.longs().between(-Long.MAX_VALUE, Long.MAX_VALUE),
                Arbitraries.longs().between(-1L << 33, 1L << 33),
                Arbitraries.of(0L, 1L, -1L, Long.MAX_VALUE, -Long.MAX_VALUE, 1L << 32, (1L << 32) - 1, 1L << 62));
    }

    @Property(tries = 5000)
    void mul_div_is_the_truncated_exact_quotient(
            @ForAll("anyLong") long a, @ForAll("anyLong") long b, @ForAll("anyLong") long c) {
        if (c == 0) {
            return;
        }
        BigInteger exact = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).divide(BigInteger.valueOf(c));
        // Long.MIN_VALUE has no positive twin: the one quotient that fits but is refused.
        if (exact.bitLength() <= 63 && exact.compareTo(BigInteger.valueOf(Long.MIN_VALUE)) != 0) {
            assertThat(Fixed.mulDiv(a, b, c)).isEqualTo(exact.longValueExact());
        } else {
            assertThatThrownBy(() -> Fixed.mulDiv(a, b, c)).isInstanceOf(ArithmeticException.class);
        }
    }

    @Property(tries = 5000)
    void divide128_is_the_exact_unsigned_quotient(
            @ForAll("anyLong") long hi, @ForAll("anyLong") long lo, @ForAll("anyLong") long v) {
        if (v == 0 || Long.compareUnsigned(hi, v) >= 0) {
            return;
        }
        BigInteger u =
                new BigInteger(Long.toUnsignedString(hi)).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(lo)));
        BigInteger exact = u.divide(new BigInteger(Long.toUnsignedString(v)));
        assertThat(Long.toUnsignedString(Fixed.divide128(hi, lo, v))).isEqualTo(exact.toString());
    }

    @Property(tries = 5000)
    void ten_squared_less_one_over_is_the_exact_quotient_or_the_largest_long(
            @ForAll("anyLong") long a, @ForAll("anyLong") long d) {
        if (a < 1 || d < 1) {
            assertThatThrownBy(() -> Fixed.tenSquaredLessOneOver(a, d)).isInstanceOf(ArithmeticException.class);
            return;
        }
        assertThat(Fixed.tenSquaredLessOneOver(a, d)).isEqualTo(tenSquaredLessOneOver(a, d));
    }

    @Example
    void ten_squared_less_one_over_saturates_where_ten_times_the_square_leaves_128_bits() {
        // 10·a² ≥ 2¹²⁷ from a ≈ 4.12·10¹⁸; the square's high word times ten left 64 bits from a ≈ 5.83·10¹⁸.
        for (long a : new long[] {4_124_817_000_000_000_000L, 5_833_372_668_713_515_890L, Long.MAX_VALUE}) {
            for (long d : new long[] {1, 1800, 2_592_000, Long.MAX_VALUE}) {
                assertThat(Fixed.tenSquaredLessOneOver(a, d))
                        .as("a %d, d %d", a, d)
                        .isEqualTo(tenSquaredLessOneOver(a, d));
            }
        }
        assertThat(Fixed.tenSquaredLessOneOver(5_833_372_668_713_515_890L, 1800))
                .isEqualTo(Long.MAX_VALUE);
        // ⌊√(2⁶³)⌋ = 3,037,000,499: ten of its squares less one, over ten, is the square itself less one.
        assertThat(Fixed.tenSquaredLessOneOver(3_037_000_499L, 10)).isEqualTo(9_223_372_030_926_249_000L);
    }

    private static long tenSquaredLessOneOver(long a, long d) {
        BigInteger q = BigInteger.valueOf(a)
                .pow(2)
                .multiply(BigInteger.TEN)
                .subtract(BigInteger.ONE)
                .divide(BigInteger.valueOf(d));
        return q.min(BigInteger.valueOf(Long.MAX_VALUE)).longValueExact();
    }

    @Property(tries = 5000)
    void sqrt_is_the_floor_of_the_root(@ForAll("anyLong") long n) {
        long m = Math.abs(n);
        long r = Fixed.sqrt(m);
        BigInteger big = BigInteger.valueOf(m);
        assertThat(BigInteger.valueOf(r)).isEqualTo(big.sqrt());
    }

    @Property(tries = 5000)
    void sqrt_from_any_guess_is_the_same_root(@ForAll("anyLong") long n, @ForAll("anyLong") long guess) {
        long m = Math.abs(n);
        assertThat(Fixed.sqrt(m, Math.abs(guess))).isEqualTo(Fixed.sqrt(m));
        long root = Fixed.sqrt(m);
        assertThat(Fixed.sqrt(m, root)).isEqualTo(root);
        assertThat(Fixed.sqrt(m, root + 1)).isEqualTo(root);
        assertThat(Fixed.sqrt(m, Math.max(1, root - 1))).isEqualTo(root);
    }

    @Example
    void sqrt_at_and_beside_squares_up_to_the_largest_root() {
        // Where x² ≤ n ends the search (no division to confirm the root), the squares and their neighbours decide;
        // 3,037,000,499 is the largest root of a long, and its square the last one under 2⁶³.
        for (long r : new long[] {1, 2, 3, 99_999, 3_037_000_498L, 3_037_000_499L}) {
            long square = r * r;
            long next = square > Long.MAX_VALUE - 2 * r - 1 ? Long.MAX_VALUE : square + 2 * r + 1;
            for (long n : new long[] {square - 1, square, square + 1, next - 1, next}) {
                long expected = BigInteger.valueOf(n).sqrt().longValueExact();
                assertThat(Fixed.sqrt(n)).as("sqrt(%d)", n).isEqualTo(expected);
                for (long guess :
                        new long[] {1, r - 1, r, r + 1, 2 * r + 7, 3_037_000_499L, 3_037_000_500L, Long.MAX_VALUE}) {
                    assertThat(Fixed.sqrt(n, Math.max(1, guess)))
                            .as("sqrt(%d) from %d", n, guess)
                            .isEqualTo(expected);
                }
            }
        }
        assertThat(Fixed.sqrt(Long.MAX_VALUE)).isEqualTo(3_037_000_499L);
    }

    @Property(tries = 2000)
    void a_decimal_round_trips_at_its_scale(@ForAll("anyLong") long units) {
        int scale = (int) Math.floorMod(units, 13);
        BigDecimal value = Fixed.decimal(units, scale);
        assertThat(Fixed.of(value, scale)).isEqualTo(units);
        assertThat(Fixed.of(value.setScale(scale + 3), scale)).isEqualTo(units);
    }

    @Property(tries = 5000)
    void conversion_is_big_decimals_half_even_rounding(@ForAll("anyLong") long units, @ForAll("anyLong") long scales) {
        int own = (int) Math.floorMod(scales, 20);
        int target = (int) Math.floorMod(scales / 20, 13);
        BigDecimal value = BigDecimal.valueOf(units, own);
        BigDecimal expected = value.setScale(target, RoundingMode.HALF_EVEN);
        if (expected.unscaledValue().bitLength() > 63) {
            assertThatThrownBy(() -> Fixed.of(value, target)).isInstanceOf(ArithmeticException.class);
        } else {
            assertThat(Fixed.of(value, target))
                    .isEqualTo(expected.unscaledValue().longValueExact());
        }
    }

    @Example
    void conversion_rounds_half_even_to_the_scale() {
        assertThat(Fixed.of(new BigDecimal("16853.123456785"), 8)).isEqualTo(1_685_312_345_678L);
        assertThat(Fixed.of(new BigDecimal("16853.123456775"), 8)).isEqualTo(1_685_312_345_678L);
        assertThat(Fixed.of(new BigDecimal("16853.4"), 8)).isEqualTo(1_685_340_000_000L);
        assertThat(new BigDecimal("1.5").setScale(0, RoundingMode.HALF_EVEN)).isEqualByComparingTo("2");
    }

    /** A bound in units rounds inward as asked: a low end's units are never below it, a high end's never above. */
    @Example
    void a_bound_rounds_the_way_it_is_asked() {
        assertThat(Fixed.of(new BigDecimal("1.000000001"), 8, RoundingMode.CEILING))
                .isEqualTo(100_000_001L);
        assertThat(Fixed.of(new BigDecimal("1.000000009"), 8, RoundingMode.FLOOR))
                .isEqualTo(100_000_000L);
        assertThat(Fixed.of(new BigDecimal("-1.000000001"), 8, RoundingMode.CEILING))
                .isEqualTo(-100_000_000L);
        assertThat(Fixed.of(new BigDecimal("-1.000000001"), 8, RoundingMode.FLOOR))
                .isEqualTo(-100_000_001L);
        assertThat(Fixed.of(new BigDecimal("2E+3"), 8, RoundingMode.FLOOR)).isEqualTo(200_000_000_000L);
        assertThatThrownBy(() -> Fixed.of(new BigDecimal("1E+12"), 8, RoundingMode.FLOOR))
                .isInstanceOf(ArithmeticException.class);
    }
}
