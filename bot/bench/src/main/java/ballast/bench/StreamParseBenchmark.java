package ballast.bench;

import ballast.exchange.binance.stream.BinanceStreamParser;
import ballast.exchange.binance.stream.ParsedFrame;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of turning one Binance WebSocket frame into a domain event: a mark-price update (raw and inside the
 * combined-stream envelope the bot subscribes with) and the user-data events. Frames are the test fixtures, in
 * Binance's own format.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class StreamParseBenchmark {

    static final String MARK_PRICE =
            "{\"e\":\"markPriceUpdate\",\"E\":1700000000000,\"s\":\"BTCUSDT\",\"p\":\"59500.00000000\",\"P\":\"59512.31000000\",\"i\":\"59490.12345678\",\"r\":\"0.00010000\",\"T\":1700006400000}";
    static final String MARK_PRICE_COMBINED =
            "{\"stream\":\"ethusdt@markPrice@1s\",\"data\":{\"e\":\"markPriceUpdate\",\"E\":1700000001000,\"s\":\"ETHUSDT\",\"p\":\"3012.45000000\",\"P\":\"3013.01000000\",\"i\":\"3011.98765432\",\"r\":\"-0.00003125\",\"T\":1700006400000}}";
    static final String ACCOUNT_UPDATE =
            "{\n  \"e\": \"ACCOUNT_UPDATE\",\n  \"E\": 1700000002000,\n  \"T\": 1700000001999,\n  \"a\": {\n    \"m\": \"ORDER\",\n    \"B\": [\n      {\"a\": \"USDT\", \"wb\": \"1060.00000000\", \"cw\": \"1000.00000000\", \"bc\": \"0\"},\n      {\"a\": \"BNB\", \"wb\": \"0.50000000\", \"cw\": \"0.50000000\", \"bc\": \"-0.00012000\"}\n    ],\n    \"P\": [\n      {\"s\": \"BTCUSDT\", \"pa\": \"0.010\", \"ep\": \"60000.0\", \"bep\": \"60024.0\", \"cr\": \"200.00000000\", \"up\": \"-5.00000000\", \"mt\": \"isolated\", \"iw\": \"60.00000000\", \"ps\": \"BOTH\"},\n      {\"s\": \"ETHUSDT\", \"pa\": \"-0.500\", \"ep\": \"3000.00\", \"bep\": \"2998.80\", \"cr\": \"0\", \"up\": \"-6.22500000\", \"mt\": \"cross\", \"iw\": \"0\", \"ps\": \"SHORT\"}\n    ]\n  }\n}";
    static final String ORDER_TRADE_UPDATE =
            "{\n  \"e\": \"ORDER_TRADE_UPDATE\",\n  \"E\": 1700000003000,\n  \"T\": 1700000002998,\n  \"o\": {\n    \"s\": \"BTCUSDT\", \"c\": \"ballast-cut-BTCUSDT-0001\", \"S\": \"SELL\", \"o\": \"MARKET\", \"f\": \"GTC\",\n    \"q\": \"0.004\", \"p\": \"0\", \"ap\": \"59498.70\", \"sp\": \"0\", \"x\": \"TRADE\", \"X\": \"FILLED\", \"i\": 8886774,\n    \"l\": \"0.004\", \"z\": \"0.004\", \"L\": \"59498.70\", \"N\": \"USDT\", \"n\": \"0.11899740\", \"T\": 1700000002998, \"t\": 1234567,\n    \"b\": \"0\", \"a\": \"0\", \"m\": false, \"R\": true, \"wt\": \"CONTRACT_PRICE\", \"ot\": \"MARKET\",\n    \"ps\": \"BOTH\", \"cp\": false, \"rp\": \"-2.00520000\", \"pP\": false, \"si\": 0, \"ss\": 0,\n    \"V\": \"EXPIRE_TAKER\", \"pm\": \"NONE\", \"gtd\": 0\n  }\n}";
    static final String MARGIN_CALL =
            "{\n  \"e\": \"MARGIN_CALL\",\n  \"E\": 1700000004000,\n  \"cw\": \"3.16812045\",\n  \"p\": [\n    {\"s\": \"ETHUSDT\", \"ps\": \"LONG\", \"pa\": \"1.327\", \"mt\": \"CROSSED\", \"iw\": \"0\", \"mp\": \"187.17127\", \"up\": \"-1.166074\", \"mm\": \"1.614445\"}\n  ]\n}";

    private final BinanceStreamParser parser =
            new BinanceStreamParser(Clock.fixed(Instant.parse("2024-10-24T00:00:00Z"), ZoneOffset.UTC));

    @Benchmark
    public ParsedFrame markPrice() {
        return parser.parse(MARK_PRICE);
    }

    @Benchmark
    public ParsedFrame markPriceCombined() {
        return parser.parse(MARK_PRICE_COMBINED);
    }

    @Benchmark
    public ParsedFrame accountUpdate() {
        return parser.parse(ACCOUNT_UPDATE);
    }

    @Benchmark
    public ParsedFrame orderTradeUpdate() {
        return parser.parse(ORDER_TRADE_UPDATE);
    }

    @Benchmark
    public ParsedFrame marginCall() {
        return parser.parse(MARGIN_CALL);
    }
}
