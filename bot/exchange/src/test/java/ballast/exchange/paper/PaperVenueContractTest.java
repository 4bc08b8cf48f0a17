package ballast.exchange.paper;

import ballast.core.Side;
import ballast.core.Venue;
import ballast.core.margin.MarginMode;
import ballast.core.venue.ExchangeGateway;
import ballast.exchange.contract.ExchangeGatewayContract;
import ballast.exchange.tiers.ShippedRiskTiers;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/** The paper venue passes the same contract as every real venue. */
class PaperVenueContractTest extends ExchangeGatewayContract {

    @Override
    protected ExchangeGateway startingVenue() {
        var tiers = ShippedRiskTiers.load()
                .find(Venue.BINANCE, BTC, Optional.of(LocalDate.parse("2024-10-24")))
                .table();
        BigDecimal openingFee =
                new BigDecimal("30000").multiply(PaperVenue.Config.binance().takerFee());
        PaperVenue venue = new PaperVenue(PaperVenue.Config.binance(), new BigDecimal("8000").add(openingFee));
        venue.open(
                BTC,
                Side.LONG,
                MarginMode.ISOLATED,
                new BigDecimal("0.5"),
                new BigDecimal("60000"),
                new BigDecimal("3000"),
                BigDecimal.TEN,
                tiers.tiers());
        venue.onPrice(BTC, Instant.parse("2024-10-24T00:00:00Z"), new BigDecimal("60000"), new BigDecimal("60000"));
        return venue;
    }
}
