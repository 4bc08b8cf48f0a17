package ballast.core;

import java.util.Locale;

/** The exchanges whose margin rules Ballast implements. */
public enum Venue {
    BINANCE("Binance USDⓈ-M"),
    BYBIT("Bybit linear"),
    OKX("OKX USDT swap"),
    GATE("Gate USDT futures"),
    KUCOIN("KuCoin USDT futures");

    private final String displayName;

    Venue(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
