package ballast.exchange.binance;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs Binance SIGNED requests: lower-case hex HMAC-SHA256 of the exact query string (or form body), keyed with the API
 * secret. "Exact" matters: the venue recomputes the MAC over the bytes it received, so the string signed must be the
 * string sent, percent-encoding and parameter order included.
 */
public final class BinanceSigner {

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    public BinanceSigner(String secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("the API secret must not be empty");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** The {@code signature} parameter for {@code payload}, the query string exactly as it will be sent. */
    public String sign(String payload) {
        Objects.requireNonNull(payload, "payload");
        // A Mac is stateful and not thread-safe; a fresh one per signature keeps the signer shareable.
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            // Every JDK ships HmacSHA256, and any non-empty key is valid for it: this is a broken runtime.
            throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "BinanceSigner[secret=***]";
    }
}
