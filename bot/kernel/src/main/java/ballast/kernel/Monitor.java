package ballast.kernel;

import ballast.core.Side;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

/**
 * The monitor's per-mark arithmetic: a symbol's volatility, a position's distance to liquidation, its z and z's speed.
 * Two implementations that must agree (same levels, same decisions; {@code MonitorAgreementProperties} checks it on
 * random and real paths): {@link #EXACT}, in {@code BigDecimal} as the formulas read, and {@link #FIXED}, the same
 * formulas in scaled {@code long}s with 128-bit products, which the engine runs. Neither uses binary floating point.
 * Amounts (what reaches a venue, a ledger or a report) stay {@code BigDecimal} either way.
 */
public enum Monitor {
    EXACT {
        @Override
        SymbolMonitor symbol(Engine.Params params) {
            return new ExactMonitor.Symbol(params);
        }

        @Override
        PositionMonitor position() {
            return new ExactMonitor.Position();
        }
    },
    FIXED {
        @Override
        SymbolMonitor symbol(Engine.Params params) {
            try {
                return new FixedMonitor.Symbol(params);
            } catch (ArithmeticException floorBeyondFixedPoint) {
                // The floor's variance per second does not fit the fixed point (a horizon of seconds with a floor of
                // tens of percent): σ is taken in BigDecimal, as the exact monitor takes it; distances and z stay
                // fixed.
                return new ExactMonitor.Symbol(params);
            }
        }

        @Override
        PositionMonitor position() {
            return new FixedMonitor.Position();
        }
    };

    abstract SymbolMonitor symbol(Engine.Params params);

    abstract PositionMonitor position();

    /** One symbol's volatility, from its marks and its closed candles' ranges. */
    interface SymbolMonitor {
        void mark(Instant time, BigDecimal mark);

        void candle(BigDecimal high, BigDecimal low, Duration interval);

        /**
         * σ over the horizon: the larger of what the marks (the floor before the first) and the candles' ranges say,
         * never below the floor, and stretched by {@code sqrt(slowest / horizon)} (in whole milliseconds) when
         * {@code slowestNanos} (the longest recent wait between marks) is longer than the horizon.
         */
        BigDecimal sigma(boolean marked, long slowestNanos);
    }

    /** One position's distance, z and z's speed. */
    interface PositionMonitor {
        /** The fraction of {@code mark} to {@code liquidationPrice}, positive on the safe side of {@code side}. */
        BigDecimal distance(Side side, BigDecimal mark, BigDecimal liquidationPrice);

        /**
         * z = distance / σ at {@code time}; its speed (change per minute, an exponentially weighted mean over five
         * minutes) moves when time has moved since the last z.
         */
        BigDecimal z(BigDecimal distance, BigDecimal sigma, Instant time);

        /** z = distance / σ as {@link #z} gives it, without moving its speed (for a policy that reads none). */
        BigDecimal zAlone(BigDecimal distance, BigDecimal sigma);

        BigDecimal speed();
    }
}
