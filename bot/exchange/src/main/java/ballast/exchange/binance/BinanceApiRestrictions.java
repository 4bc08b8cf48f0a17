package ballast.exchange.binance;

/** What a Binance API key may do ({@code GET /sapi/v1/account/apiRestrictions}); a keeper bot refuses keys that can withdraw. */
public record BinanceApiRestrictions(boolean enableWithdrawals, boolean enableFutures, boolean ipRestrict) {}
