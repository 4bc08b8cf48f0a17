package ballast.exchange.binance;

import java.util.Map;
import java.util.Objects;

/**
 * A Binance API key and its secret. Neither may ever reach a log, an alert or an exception message: {@link #toString()}
 * masks both, and every error raised here names the variable or component, never its value.
 */
public record BinanceCredentials(String apiKey, String secret) {

    public BinanceCredentials {
        requireVisibleAscii("apiKey", apiKey);
        requireVisibleAscii("secret", secret);
    }

    /**
     * Reads the key and secret from {@code env} (normally {@code System.getenv()}).
     *
     * @throws IllegalArgumentException naming the variable that is missing, empty or malformed
     */
    public static BinanceCredentials fromEnvironment(Map<String, String> env, String keyVar, String secretVar) {
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(keyVar, "keyVar");
        Objects.requireNonNull(secretVar, "secretVar");
        return new BinanceCredentials(variable(env, keyVar), variable(env, secretVar));
    }

    private static String variable(Map<String, String> env, String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("the name of the environment variable is empty (--key-env / --secret-env"
                    + " take a name like BINANCE_API_KEY)");
        }
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("environment variable " + name + " is not set or is empty");
        }
        try {
            requireVisibleAscii(name, value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("environment variable " + e.getMessage(), e);
        }
        return value;
    }

    /**
     * Binance keys and secrets are printable ASCII. Checking here matters for the key: it travels in a header, and
     * OkHttp's rejection of a bad header value quotes the value in its message.
     */
    private static void requireVisibleAscii(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " is missing");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new IllegalArgumentException(
                        name + " contains a character that is not printable ASCII (whitespace or a stray newline?) at"
                                + " position " + i);
            }
        }
    }

    @Override
    public String toString() {
        return "BinanceCredentials[apiKey=***, secret=***]";
    }
}
