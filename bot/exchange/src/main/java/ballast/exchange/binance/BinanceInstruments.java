package ballast.exchange.binance;

import ballast.core.venue.InstrumentSpec;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchange.ExchangeFactory;
import org.knowm.xchange.ExchangeSpecification;
import org.knowm.xchange.binance.BinanceExchange;
import org.knowm.xchange.binance.dto.ExchangeType;
import org.knowm.xchange.derivative.FuturesContract;
import org.knowm.xchange.dto.meta.InstrumentMetaData;
import org.knowm.xchange.instrument.Instrument;

/**
 * Instrument metadata (tick size, step size, minimum size and notional) through XChange, where XChange is correct. Its
 * types stay in this class; its own retry and rate limiter are off (the executor owns all limiting); and it is pointed
 * at the configured futures host, which XChange 5.2.4 would otherwise hard-code.
 */
public final class BinanceInstruments {

    private BinanceInstruments() {}

    /** Reads {@code GET /fapi/v1/exchangeInfo} from {@code futuresBaseUrl} and returns the perpetuals by symbol. */
    public static Map<String, InstrumentSpec> load(String futuresBaseUrl) {
        ExchangeSpecification spec = new ExchangeSpecification(PointedBinanceExchange.class);
        spec.setExchangeSpecificParametersItem(BinanceExchange.EXCHANGE_TYPE, ExchangeType.FUTURES);
        spec.setExchangeSpecificParametersItem(PointedBinanceExchange.BASE_URL, futuresBaseUrl);
        spec.setShouldLoadRemoteMetaData(false);
        spec.getResilience().setRetryEnabled(false);
        spec.getResilience().setRateLimiterEnabled(false);
        BinanceExchange exchange = (BinanceExchange) ExchangeFactory.INSTANCE.createExchange(spec);
        exchange.remoteInit();
        Map<String, InstrumentSpec> specs = new TreeMap<>();
        for (Map.Entry<Instrument, InstrumentMetaData> entry :
                exchange.getExchangeMetaData().getInstruments().entrySet()) {
            if (!(entry.getKey() instanceof FuturesContract contract) || !contract.isPerpetual()) {
                continue;
            }
            InstrumentMetaData meta = entry.getValue();
            String symbol = contract.getCurrencyPair().getBase().getCurrencyCode()
                    + contract.getCurrencyPair().getCounter().getCurrencyCode();
            BigDecimal minNotional =
                    meta.getCounterMinimumAmount() == null ? BigDecimal.ZERO : meta.getCounterMinimumAmount();
            specs.put(
                    symbol,
                    new InstrumentSpec(
                            symbol,
                            meta.getPriceStepSize(),
                            meta.getAmountStepSize(),
                            meta.getMinimumAmount(),
                            minNotional));
        }
        return specs;
    }

    /** XChange's Binance exchange, but talking to the host Ballast was configured with. */
    public static final class PointedBinanceExchange extends BinanceExchange {
        static final String BASE_URL = "Ballast_Base_Url";

        @Override
        public void applySpecification(ExchangeSpecification specification) {
            super.applySpecification(specification);
            Object url = specification.getExchangeSpecificParametersItem(BASE_URL);
            if (url != null) {
                getExchangeSpecification().setSslUri(url.toString());
                // XChange built its REST proxies for its own host; build them again for ours.
                initServices();
            }
        }
    }
}
