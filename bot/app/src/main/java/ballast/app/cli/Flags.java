package ballast.app.cli;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/** Parsing and checking flag values, with messages of the form {@code --qty must be > 0, was -1}. */
final class Flags {
    private Flags() {}

    static Optional<BigDecimal> decimal(String flag, String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BigDecimal(value.trim().replace("_", "")));
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " must be a decimal number, was '" + value + "'");
        }
    }

    static BigDecimal required(String flag, String value, String meaning) {
        return decimal(flag, value).orElseThrow(() -> new UsageException(flag + " is required (" + meaning + ")"));
    }

    static BigDecimal positive(String flag, BigDecimal value) {
        if (value.signum() <= 0) {
            throw new UsageException(flag + " must be > 0, was " + value.toPlainString());
        }
        return value;
    }

    /** {@code value} in {@code [min, max]}: a figure a person can mean ({@code 1e400} and {@code 1e-30} are typos). */
    static BigDecimal within(String flag, BigDecimal value, String min, String max, String meaning) {
        if (value.compareTo(new BigDecimal(min)) < 0 || value.compareTo(new BigDecimal(max)) > 0) {
            throw new UsageException(flag + " must be from " + min + " to " + max + " (" + meaning + "), was "
                    + ballast.app.replay.ScenarioFile.shown(value));
        }
        return value;
    }

    static BigDecimal nonNegative(String flag, BigDecimal value) {
        if (value.signum() < 0) {
            throw new UsageException(flag + " must be >= 0, was " + value.toPlainString());
        }
        return value;
    }

    /** A rate given as a fraction; {@code below} catches a percentage typed where a fraction is meant. */
    static BigDecimal fraction(String flag, BigDecimal value, String below, String example) {
        nonNegative(flag, value);
        if (value.compareTo(new BigDecimal(below)) >= 0) {
            throw new UsageException(
                    flag + " must be a fraction below " + below + " (" + example + "), was " + value.toPlainString());
        }
        return value;
    }

    static <E extends Enum<E>> E choice(String flag, String value, Class<E> type, String meaning) {
        if (value == null) {
            throw new UsageException(flag + " is required (" + meaning + ")");
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value.trim())) {
                return constant;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            allowed.append(allowed.isEmpty() ? "" : ", ").append(constant.name().toLowerCase(Locale.ROOT));
        }
        throw new UsageException(flag + " must be one of " + allowed + ", was '" + value + "'");
    }

    static Optional<LocalDate> date(String flag, String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(value.trim()));
        } catch (DateTimeParseException e) {
            throw new UsageException(flag + " must be a date YYYY-MM-DD, was '" + value + "'");
        }
    }

    /** A UTC time ({@code 2024-08-01T00:00:00Z}) or a date ({@code 2024-08-01}, its start in UTC). */
    static java.time.Instant instant(String flag, String value) {
        String text = value.trim();
        try {
            return java.time.Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return LocalDate.parse(text)
                        .atStartOfDay(java.time.ZoneOffset.UTC)
                        .toInstant();
            } catch (DateTimeParseException notADate) {
                throw new UsageException(flag
                        + " must be a date YYYY-MM-DD or a UTC time like 2024-08-01T00:00:00Z, was '" + value + "'");
            }
        }
    }

    /** {@code 12h}, {@code 1d}, {@code 0}: a duration as settings write them. */
    static java.time.Duration duration(String flag, String value) {
        String text = value.trim();
        if (text.equals("0")) {
            return java.time.Duration.ZERO;
        }
        try {
            return ballast.app.config.SettingsFile.parseDuration(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(flag + " must be a duration like 12h or 1d (0 for none), was '" + value + "'");
        }
    }

    /** A duration longer than 0, like 7d, 12h or 30m. */
    static java.time.Duration positiveDuration(String flag, String text) {
        try {
            java.time.Duration d = ballast.app.config.SettingsFile.parseDuration(text);
            if (d.isZero() || d.isNegative()) {
                throw new UsageException(flag + " must be longer than 0, was " + text);
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new UsageException(flag + " takes durations like 7d, 12h, 30m, was '" + text + "'");
        }
    }

    static void forbid(boolean given, String flag, String why) {
        if (given) {
            throw new UsageException(flag + " " + why);
        }
    }
}
