package ballast.core.policy;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Where a policy has proved that its next decisions are what it just decided: the same level, no action, no alert.
 * It lets the engine skip the policy on the marks that change nothing, which are nearly all of them, and ask it again
 * the moment one might.
 *
 * <p>A quiet is proved for the next marks as they will be heard: at the level the decision put the position at (one
 * that moved the level proves it for an input at the new level, {@link PolicyInput#at}). The engine honours it only for
 * a decision whose actions are at most alerts, and only on a fresh mark whose input differs from the one decided on in
 * nothing but these: the mark, the measures (distance, z, z's speed, σ), the book's equity (its other figures, the
 * position, its wallet, the level, the last action and the conviction must be the very same objects; a {@link Wallets}
 * quiet lets the isolated wallet, and the equity with it, move inside its band), what the gate would allow (budget
 * left, free balance), and the time. A policy whose decision reads z, its speed, the gate's figures or the time must
 * therefore bound them here or not be quiet. {@code BudgetQuietProperties} checks the budget policy's against its own
 * {@code decide}; {@code EngineQuietProperties} runs every quiet policy in lockstep with one asked on every mark.
 */
public sealed interface Quiet {

    /**
     * Whether an input with these figures is inside what was proved; {@code distance} and {@code z} are null for a
     * position nothing liquidates.
     */
    boolean holds(BigDecimal mark, BigDecimal sigma, BigDecimal distance, BigDecimal z, Instant now);

    /** Nothing is proved: the policy is asked on every mark. */
    Quiet NEVER = new Never();

    /** The decision does not depend on anything that changes from mark to mark (a policy that only holds). */
    Quiet ALWAYS = new Always();

    /**
     * {@code quiet}, proved for every isolated wallet of the same position from {@code lowWallet} to {@code highWallet}
     * (a null end: no bound on that side), the wallet it was decided on among them: the decision reads the wallet only
     * through what the policy checked at both ends (each such figure moves one way as the wallet moves, so what holds
     * at both ends holds between) and through the distance and z, which the engine measures afresh on every mark from
     * the liquidation price the wallet gives. The engine keeps it across a position update that changes the isolated
     * wallet alone (a funding settlement) to a wallet inside, where it drops any other quiet; everything else it must be
     * proved for stays as {@link Quiet} says.
     */
    record Wallets(BigDecimal lowWallet, BigDecimal highWallet, Quiet quiet) implements Quiet {
        public Wallets {
            if (quiet == null || quiet instanceof Wallets || quiet instanceof Never) {
                throw new IllegalArgumentException("a wallet band of a quiet that proves something: " + quiet);
            }
            if (lowWallet != null && highWallet != null && lowWallet.compareTo(highWallet) > 0) {
                throw new IllegalArgumentException("an empty wallet band: " + lowWallet + " to " + highWallet);
            }
        }

        /** {@code quiet} for any wallet: a decision that reads no wallet but through the distance and z. */
        public static Wallets any(Quiet quiet) {
            return new Wallets(null, null, quiet);
        }

        /** Whether {@code wallet} is inside the band. */
        public boolean covers(BigDecimal wallet) {
            return (lowWallet == null || wallet.compareTo(lowWallet) >= 0)
                    && (highWallet == null || wallet.compareTo(highWallet) <= 0);
        }

        @Override
        public boolean holds(BigDecimal mark, BigDecimal sigma, BigDecimal distance, BigDecimal z, Instant now) {
            return quiet.holds(mark, sigma, distance, z, now);
        }
    }

    record Never() implements Quiet {
        @Override
        public boolean holds(BigDecimal mark, BigDecimal sigma, BigDecimal distance, BigDecimal z, Instant now) {
            return false;
        }
    }

    record Always() implements Quiet {
        @Override
        public boolean holds(BigDecimal mark, BigDecimal sigma, BigDecimal distance, BigDecimal z, Instant now) {
            return true;
        }
    }

    /**
     * The decision holds for a mark in {@code [lowMark, highMark]}, σ in {@code [lowSigma, highSigma]}, a distance in
     * {@code [lowDistance, highDistance]} and z in {@code [lowZ, highZ]} (when the position has them: without a
     * liquidation price it has neither, and then neither is asked for), before {@code until}. A null bound is no bound
     * on that side.
     */
    record Within(
            BigDecimal lowMark,
            BigDecimal highMark,
            BigDecimal lowSigma,
            BigDecimal highSigma,
            BigDecimal lowDistance,
            BigDecimal highDistance,
            BigDecimal lowZ,
            BigDecimal highZ,
            Instant until)
            implements Quiet {

        /** Bounds on the mark, σ and the distance only. */
        public Within(
                BigDecimal lowMark,
                BigDecimal highMark,
                BigDecimal lowSigma,
                BigDecimal highSigma,
                BigDecimal lowDistance,
                BigDecimal highDistance,
                Instant until) {
            this(lowMark, highMark, lowSigma, highSigma, lowDistance, highDistance, null, null, until);
        }

        @Override
        public boolean holds(BigDecimal mark, BigDecimal sigma, BigDecimal distance, BigDecimal z, Instant now) {
            return inside(mark, lowMark, highMark)
                    && inside(sigma, lowSigma, highSigma)
                    && (distance == null || inside(distance, lowDistance, highDistance))
                    && (z == null || inside(z, lowZ, highZ))
                    && (until == null || now.isBefore(until));
        }

        private static boolean inside(BigDecimal value, BigDecimal low, BigDecimal high) {
            return (low == null || value.compareTo(low) >= 0) && (high == null || value.compareTo(high) <= 0);
        }
    }
}
