package ballast.exchange.binance.stream;

import ballast.core.Side;
import ballast.core.margin.MarginMode;
import ballast.exchange.binance.OrderSide;
import ballast.exchange.binance.OrderStatus;
import ballast.exchange.binance.PositionSide;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the Binance USDⓈ-M streams tell the engine, already parsed into exact values. Every event carries two times:
 * {@code tsEvent}, the venue's own event time ({@code E}), and {@code tsInit}, when this process received it (from the
 * injected clock), so the engine can tell a late event from an old one.
 */
public sealed interface BinanceStreamEvent {

    /** Venue time of the event (Binance {@code E}); for {@link FeedStatus}, which has no venue time, equal to tsInit. */
    Instant tsEvent();

    /** When this process received (or, for {@link FeedStatus}, decided) it, from the injected clock. */
    Instant tsInit();

    /** {@code markPriceUpdate}: liquidation is decided on this mark, not on the last trade. */
    record MarkPrice(
            String symbol,
            BigDecimal mark,
            BigDecimal index,
            BigDecimal fundingRate,
            Instant nextFundingTime,
            Instant tsEvent,
            Instant tsInit)
            implements BinanceStreamEvent {
        public MarkPrice {
            Objects.requireNonNull(symbol, "symbol");
            Objects.requireNonNull(mark, "mark");
            Objects.requireNonNull(index, "index");
            Objects.requireNonNull(fundingRate, "fundingRate");
            Objects.requireNonNull(nextFundingTime, "nextFundingTime");
            Objects.requireNonNull(tsEvent, "tsEvent");
            Objects.requireNonNull(tsInit, "tsInit");
        }
    }

    /**
     * {@code ACCOUNT_UPDATE}: only the balances and positions that changed (an empty list when none did), so it patches
     * state read over REST and never replaces it. It carries no liquidation price.
     */
    record AccountUpdate(
            String reason,
            Instant transactionTime,
            List<Balance> balances,
            List<Position> positions,
            Instant tsEvent,
            Instant tsInit)
            implements BinanceStreamEvent {
        public AccountUpdate {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(transactionTime, "transactionTime");
            balances = List.copyOf(balances);
            positions = List.copyOf(positions);
            Objects.requireNonNull(tsEvent, "tsEvent");
            Objects.requireNonNull(tsInit, "tsInit");
        }

        /** {@code a.B[]}: {@code a} asset, {@code wb} wallet balance, {@code cw} cross wallet, {@code bc} change. */
        public record Balance(
                String asset, BigDecimal walletBalance, BigDecimal crossWalletBalance, BigDecimal balanceChange) {
            public Balance {
                Objects.requireNonNull(asset, "asset");
                Objects.requireNonNull(walletBalance, "walletBalance");
                Objects.requireNonNull(crossWalletBalance, "crossWalletBalance");
                Objects.requireNonNull(balanceChange, "balanceChange");
            }
        }

        /**
         * {@code a.P[]}: {@code pa} is signed (negative = short in one-way mode), {@code iw} is the isolated wallet (0
         * for cross).
         */
        public record Position(
                String symbol,
                BigDecimal amount,
                BigDecimal entryPrice,
                BigDecimal breakEvenPrice,
                BigDecimal accumulatedRealized,
                BigDecimal unrealizedPnl,
                MarginMode marginMode,
                BigDecimal isolatedWallet,
                PositionSide positionSide) {
            public Position {
                Objects.requireNonNull(symbol, "symbol");
                Objects.requireNonNull(amount, "amount");
                Objects.requireNonNull(entryPrice, "entryPrice");
                Objects.requireNonNull(breakEvenPrice, "breakEvenPrice");
                Objects.requireNonNull(accumulatedRealized, "accumulatedRealized");
                Objects.requireNonNull(unrealizedPnl, "unrealizedPnl");
                Objects.requireNonNull(marginMode, "marginMode");
                Objects.requireNonNull(isolatedWallet, "isolatedWallet");
                Objects.requireNonNull(positionSide, "positionSide");
            }

            /** Which way the position points; empty when it is flat. */
            public Optional<Side> direction() {
                return PositionSide.direction(positionSide, amount);
            }
        }
    }

    /** {@code ORDER_TRADE_UPDATE}, reduced to what the executor needs to follow its own orders. */
    record OrderTradeUpdate(
            String symbol,
            String clientOrderId,
            OrderSide side,
            OrderStatus status,
            ExecutionType executionType,
            BigDecimal filledQuantity,
            BigDecimal averagePrice,
            boolean reduceOnly,
            PositionSide positionSide,
            Instant tsEvent,
            Instant tsInit)
            implements BinanceStreamEvent {
        public OrderTradeUpdate {
            Objects.requireNonNull(symbol, "symbol");
            Objects.requireNonNull(clientOrderId, "clientOrderId");
            Objects.requireNonNull(side, "side");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(executionType, "executionType");
            Objects.requireNonNull(filledQuantity, "filledQuantity");
            Objects.requireNonNull(averagePrice, "averagePrice");
            Objects.requireNonNull(positionSide, "positionSide");
            Objects.requireNonNull(tsEvent, "tsEvent");
            Objects.requireNonNull(tsInit, "tsInit");
        }
    }

    /**
     * {@code MARGIN_CALL}: the venue says these positions are near liquidation; they may already be liquidated by the
     * time this arrives. {@code cw} is only sent for cross positions, hence optional.
     */
    record MarginCall(
            Optional<BigDecimal> crossWalletBalance, List<Position> positions, Instant tsEvent, Instant tsInit)
            implements BinanceStreamEvent {
        public MarginCall {
            Objects.requireNonNull(crossWalletBalance, "crossWalletBalance");
            positions = List.copyOf(positions);
            Objects.requireNonNull(tsEvent, "tsEvent");
            Objects.requireNonNull(tsInit, "tsInit");
        }

        /** {@code p[]}: {@code mp} mark price, {@code mm} maintenance margin required. */
        public record Position(
                String symbol,
                PositionSide positionSide,
                BigDecimal amount,
                MarginMode marginMode,
                BigDecimal isolatedWallet,
                BigDecimal markPrice,
                BigDecimal unrealizedPnl,
                BigDecimal maintenanceMargin) {
            public Position {
                Objects.requireNonNull(symbol, "symbol");
                Objects.requireNonNull(positionSide, "positionSide");
                Objects.requireNonNull(amount, "amount");
                Objects.requireNonNull(marginMode, "marginMode");
                Objects.requireNonNull(isolatedWallet, "isolatedWallet");
                Objects.requireNonNull(markPrice, "markPrice");
                Objects.requireNonNull(unrealizedPnl, "unrealizedPnl");
                Objects.requireNonNull(maintenanceMargin, "maintenanceMargin");
            }

            /** Which way the position points; empty when it is flat. */
            public Optional<Side> direction() {
                return PositionSide.direction(positionSide, amount);
            }
        }
    }

    /** {@code ACCOUNT_CONFIG_UPDATE}: either a symbol's leverage ({@code ac}) or the multi-assets mode ({@code ai}). */
    record AccountConfigUpdate(Change change, Instant tsEvent, Instant tsInit) implements BinanceStreamEvent {
        public AccountConfigUpdate {
            Objects.requireNonNull(change, "change");
            Objects.requireNonNull(tsEvent, "tsEvent");
            Objects.requireNonNull(tsInit, "tsInit");
        }

        public sealed interface Change {}

        /** {@code ac.s}, {@code ac.l}. */
        public record LeverageChanged(String symbol, int leverage) implements Change {
            public LeverageChanged {
                Objects.requireNonNull(symbol, "symbol");
            }
        }

        /** {@code ai.j}. */
        public record MultiAssetsModeChanged(boolean enabled) implements Change {}
    }

    /**
     * {@code listenKeyExpired}: the user-data connection is about to stop delivering. The key itself is deliberately
     * not carried: it is a credential.
     */
    record ListenKeyExpired(Instant tsEvent, Instant tsInit) implements BinanceStreamEvent {
        public ListenKeyExpired {
            Objects.requireNonNull(tsEvent, "tsEvent");
            Objects.requireNonNull(tsInit, "tsInit");
        }
    }

    /**
     * The health of one feed, produced by this process rather than the venue. After any gap the engine sees
     * {@link Status#RECONNECTING} then {@link Status#CONNECTED}, and must re-read REST truth, because events sent during
     * the gap are lost.
     */
    record FeedStatus(String stream, Status status, String reason, Instant tsEvent, Instant tsInit)
            implements BinanceStreamEvent {
        public FeedStatus {
            Objects.requireNonNull(stream, "stream");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(tsEvent, "tsEvent");
            Objects.requireNonNull(tsInit, "tsInit");
        }

        public enum Status {
            /** Open and (as far as we know) delivering. */
            CONNECTED,
            /** Open, but nothing heard for longer than the configured silence: data may be missing. */
            STALE,
            /** Lost (or being replaced); events are being missed until the next CONNECTED. */
            RECONNECTING,
            /** Closed on request; no further events. */
            CLOSED
        }
    }
}
