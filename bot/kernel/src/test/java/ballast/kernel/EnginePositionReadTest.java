package ballast.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.core.Side;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * A read of the venue that finds the position as the engine holds it (a replay hears each funding settlement twice, a
 * running bot reads unchanged positions) keeps what the engine worked out from it: the liquidation price and the quiet
 * its policy proved. A read that finds any figure changed measures the position again; a quiet proved for a band of
 * wallets stands while a settlement leaves the wallet inside it.
 */
class EnginePositionReadTest {

    static final String BTC = EngineQuietProperties.BTC;

    @Test
    void an_unchanged_read_keeps_the_liquidation_price_and_the_quiet_a_changed_one_does_not() {
        Engine engine = EngineQuietProperties.engine(EngineQuietProperties.policy("buffer-exit"));
        var t = EngineQuietProperties.T0;
        engine.step(new EngineEvent.BalanceUpdated(t, new BigDecimal("20000")));
        engine.step(new EngineEvent.PositionUpdated(t, MonitorAgreementProperties.btcLong("3000.00")));
        engine.step(
                new EngineEvent.MarkUpdated(t.plusSeconds(1), BTC, new BigDecimal("60000"), new BigDecimal("60000")));
        assertThat(engine.quietRun(BTC)).as("quiet after a decision").isNotNull();
        var liquidation = engine.liquidation(BTC, Side.LONG).orElseThrow();

        // The same figures in new objects: nothing to measure again.
        engine.step(new EngineEvent.PositionUpdated(t.plusSeconds(2), MonitorAgreementProperties.btcLong("3000.00")));
        assertThat(engine.quietRun(BTC)).as("quiet after an unchanged read").isNotNull();
        assertThat(engine.liquidation(BTC, Side.LONG).orElseThrow()).isSameAs(liquidation);

        // Funding took a dollar: the liquidation price moves; the buffered exit proved its quiet for every wallet down
        // to ten settlements lower (0.1 % of the 30,000 notional), so it stands.
        engine.step(new EngineEvent.PositionUpdated(t.plusSeconds(3), MonitorAgreementProperties.btcLong("2999.00")));
        assertThat(engine.quietRun(BTC))
                .as("quiet after a settlement inside the band")
                .isNotNull();
        var moved = engine.liquidation(BTC, Side.LONG).orElseThrow();
        assertThat(moved).isNotEqualTo(liquidation);

        // A wallet below the band: the policy must be asked again.
        engine.step(new EngineEvent.PositionUpdated(t.plusSeconds(3), MonitorAgreementProperties.btcLong("2900.00")));
        assertThat(engine.quietRun(BTC))
                .as("quiet after the wallet left the band")
                .isNull();
        engine.step(new EngineEvent.PositionUpdated(t.plusSeconds(3), MonitorAgreementProperties.btcLong("2999.00")));
        engine.step(
                new EngineEvent.MarkUpdated(t.plusSeconds(4), BTC, new BigDecimal("60000"), new BigDecimal("60000")));
        assertThat(engine.quietRun(BTC))
                .as("quiet after the policy was asked again")
                .isNotNull();
        assertThat(engine.liquidation(BTC, Side.LONG).orElseThrow()).isEqualTo(moved);

        // An engine that heard only the changed read measures the same.
        Engine fresh = EngineQuietProperties.engine(EngineQuietProperties.policy("buffer-exit"));
        fresh.step(new EngineEvent.BalanceUpdated(t, new BigDecimal("20000")));
        fresh.step(new EngineEvent.PositionUpdated(t.plusSeconds(3), MonitorAgreementProperties.btcLong("2999.00")));
        fresh.step(
                new EngineEvent.MarkUpdated(t.plusSeconds(4), BTC, new BigDecimal("60000"), new BigDecimal("60000")));
        assertThat(fresh.liquidation(BTC, Side.LONG).orElseThrow()).isEqualTo(moved);
    }

    @Test
    void a_read_that_moves_only_the_wallet_is_measured_as_a_read_of_new_figures_is() {
        // One engine hears settlements that move only the wallet (the state it holds, with the new wallet); the other
        // hears each with the size written in another scale, which it builds its state from anew. Both decide the same
        // on every later mark, and hold the same liquidation price.
        var t = EngineQuietProperties.T0;
        Engine walletOnly = EngineQuietProperties.engine(EngineQuietProperties.policy("budget"));
        Engine anew = EngineQuietProperties.engine(EngineQuietProperties.policy("budget"));
        for (Engine e : new Engine[] {walletOnly, anew}) {
            e.step(new EngineEvent.BalanceUpdated(t, new BigDecimal("20000")));
            e.step(new EngineEvent.PositionUpdated(t, MonitorAgreementProperties.btcLong("3000.00")));
        }
        String[] wallets = {"2999.37", "2998.123456789", "2999.37", "3004.5", "2100", "2100.000", "2999"};
        String[] marks = {"60000", "59400", "58800.5", "61000", "55000", "54000", "60500"};
        for (int i = 0; i < wallets.length; i++) {
            var at = t.plusSeconds(60L * (i + 1));
            var read = MonitorAgreementProperties.btcLong(wallets[i]);
            var rescaled = new ballast.core.venue.PositionSnapshot(
                    read.symbol(),
                    read.side(),
                    read.mode(),
                    read.qty().setScale(read.qty().scale() + 1 + i % 2),
                    read.entryPrice(),
                    read.wallet(),
                    read.leverage(),
                    read.venueLiquidationPrice());
            assertThat(walletOnly.step(new EngineEvent.PositionUpdated(at, read)))
                    .isEqualTo(anew.step(new EngineEvent.PositionUpdated(at, rescaled)));
            var mark = new EngineEvent.MarkUpdated(
                    at.plusSeconds(30), BTC, new BigDecimal(marks[i]), new BigDecimal(marks[i]));
            assertThat(walletOnly.step(mark)).as("mark %d", i).isEqualTo(anew.step(mark));
            assertThat(walletOnly.liquidation(BTC, Side.LONG)).isEqualTo(anew.liquidation(BTC, Side.LONG));
        }
    }
}
