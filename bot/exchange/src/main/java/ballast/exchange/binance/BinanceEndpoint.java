package ballast.exchange.binance;

/**
 * The REST calls this adapter makes. Whether a call is a write decides how a doubtful outcome is classified: a read can
 * be repeated at will, a write may already have moved money.
 */
enum BinanceEndpoint {
    SERVER_TIME("GET", "/fapi/v1/time", false),
    /** Quotas and symbol filters (public). */
    EXCHANGE_INFO("GET", "/fapi/v1/exchangeInfo", false),
    POSITION_RISK("GET", "/fapi/v2/positionRisk", true),
    ACCOUNT("GET", "/fapi/v3/account", true),
    LEVERAGE_BRACKET("GET", "/fapi/v1/leverageBracket", true),
    PREMIUM_INDEX("GET", "/fapi/v1/premiumIndex", false),
    POSITION_MODE("GET", "/fapi/v1/positionSide/dual", true),
    QUERY_ORDER("GET", "/fapi/v1/order", true),
    MARGIN_HISTORY("GET", "/fapi/v1/positionMargin/history", true),
    POSITION_MARGIN("POST", "/fapi/v1/positionMargin", true),
    NEW_ORDER("POST", "/fapi/v1/order", true),
    CANCEL_ORDER("DELETE", "/fapi/v1/order", true),
    NEW_ALGO_ORDER("POST", "/fapi/v1/algoOrder", true),
    CANCEL_ALGO_ORDER("DELETE", "/fapi/v1/algoOrder", true),
    /** Every open conditional order of the account (weight 40 without a symbol). */
    OPEN_ALGO_ORDERS("GET", "/fapi/v1/openAlgoOrders", true),
    LEVERAGE("POST", "/fapi/v1/leverage", true),
    MULTI_ASSETS_MODE("GET", "/fapi/v1/multiAssetsMargin", true),
    /** On the spot API host: what the API key may do (a bot must refuse a key that can withdraw). */
    API_RESTRICTIONS("GET", "/sapi/v1/account/apiRestrictions", true),
    /** The user-data stream's key: API key in the header, no signature (Binance security type USER_STREAM). */
    LISTEN_KEY_CREATE("POST", "/fapi/v1/listenKey", false, true),
    LISTEN_KEY_KEEPALIVE("PUT", "/fapi/v1/listenKey", false, true),
    LISTEN_KEY_CLOSE("DELETE", "/fapi/v1/listenKey", false, true),
    /** Public market history: last-price candles, mark-price candles, funding settlements (no key, no signature). */
    KLINES("GET", "/fapi/v1/klines", false),
    MARK_PRICE_KLINES("GET", "/fapi/v1/markPriceKlines", false),
    FUNDING_RATE("GET", "/fapi/v1/fundingRate", false);

    final String method;
    final String path;
    final boolean signed;
    /** Sends the API key header (every signed call does; a few unsigned ones need it too). */
    final boolean keyed;

    BinanceEndpoint(String method, String path, boolean signed) {
        this(method, path, signed, signed);
    }

    BinanceEndpoint(String method, String path, boolean signed, boolean keyed) {
        this.method = method;
        this.path = path;
        this.signed = signed;
        this.keyed = keyed;
    }

    /** Served by the spot API host rather than the futures one. */
    boolean spotHost() {
        return path.startsWith("/sapi/");
    }

    boolean write() {
        return !method.equals("GET");
    }

    /**
     * The request weight it costs on the IP's per-minute quota, as Binance's docs give it (the larger figure where it
     * depends on the parameters this client sends).
     */
    int weight() {
        return switch (this) {
            case POSITION_RISK, ACCOUNT -> 5;
            case POSITION_MODE, MULTI_ASSETS_MODE -> 30;
            case OPEN_ALGO_ORDERS -> 40;
            case KLINES, MARK_PRICE_KLINES -> 10;
            case NEW_ORDER, NEW_ALGO_ORDER -> 0;
            default -> 1;
        };
    }

    /** Counted against the account's order quotas. */
    boolean order() {
        return this == NEW_ORDER || this == NEW_ALGO_ORDER;
    }

    /** "GET /fapi/v2/positionRisk": names the payload in errors and logs. */
    String label() {
        return method + " " + path;
    }
}
