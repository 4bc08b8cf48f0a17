package ballast.app.config;

import ballast.kernel.Engine;
import ballast.kernel.Gate;
import ballast.strategies.BudgetParams;
import ballast.strategies.LadderParams;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Everything a profile configures, typed. Built by {@link SettingsFile} from {@code config/application.yaml}, the
 * profile's {@code application-<profile>.yaml} and a scenario's {@code policy:} section, in that order.
 *
 * @param policy the policy to run: budget, ladder, none, buffer-exit, exchange-auto-add
 * @param budget the loss-budget policy's settings
 * @param bufferExit the buffer of the buffer-exit baseline, as a fraction of |entry − liquidation|
 */
public record Settings(
        Engine.Params engine,
        Gate.Params gate,
        String policy,
        BudgetParams budget,
        LadderParams ladder,
        BigDecimal bufferExit,
        Paper paper) {

    /** The paper venue's costs, as fractions of notional. */
    public record Paper(BigDecimal takerFee, BigDecimal slippage, BigDecimal liquidationFee) {
        public static Paper defaults() {
            return new Paper(new BigDecimal("0.0005"), new BigDecimal("0.0005"), new BigDecimal("0.0125"));
        }
    }

    /** The built-in defaults; the shipped config/application.yaml states the same values (a test keeps them equal). */
    public static Settings defaults() {
        return new Settings(
                Engine.Params.defaults().withBackstop(Optional.of(new BigDecimal("0.005"))),
                Gate.Params.defaults(),
                "budget",
                BudgetParams.defaults(),
                LadderParams.defaults(),
                new BigDecimal("0.05"),
                Paper.defaults());
    }

    public Settings withPolicy(String name) {
        return new Settings(engine, gate, name, budget, ladder, bufferExit, paper);
    }
}
