package ballast.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * Build rules that a compiler does not check: module direction (besides the enforcer's dependency bans) and "money
 * code is exact": no {@code double} or {@code float} anywhere in Ballast's production code, and no way into or out of
 * {@code BigDecimal} through a binary float.
 */
class ArchitectureTest {

    static final JavaClasses BALLAST = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("ballast");

    static final DescribedPredicate<JavaClass> BINARY_FLOAT = DescribedPredicate.describe(
            "double or float",
            c -> c.isEquivalentTo(double.class)
                    || c.isEquivalentTo(float.class)
                    || c.isEquivalentTo(Double.class)
                    || c.isEquivalentTo(Float.class));

    @Test
    void core_depends_on_nothing_but_the_jdk() {
        noClasses()
                .that()
                .resideInAPackage("ballast.core..")
                .should()
                .dependOnClassesThat()
                .resideOutsideOfPackages("ballast.core..", "java..")
                .check(BALLAST);
    }

    @Test
    void strategies_depend_on_core_only() {
        noClasses()
                .that()
                .resideInAPackage("ballast.strategies..")
                .should()
                .dependOnClassesThat()
                .resideOutsideOfPackages("ballast.core..", "ballast.strategies..", "java..")
                .check(BALLAST);
    }

    @Test
    void exchange_does_not_reach_strategies_or_the_application() {
        noClasses()
                .that()
                .resideInAPackage("ballast.exchange..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("ballast.strategies..", "ballast.app..")
                .check(BALLAST);
    }

    @Test
    void the_kernel_does_no_io_reads_no_clock_and_knows_only_core() {
        // Its only clock is the events' own times; its only output is the step it returns.
        noClasses()
                .that()
                .resideInAPackage("ballast.kernel..")
                .should()
                .dependOnClassesThat()
                .resideOutsideOfPackages(
                        "ballast.core..",
                        "ballast.kernel..",
                        "java.lang..",
                        "java.math..",
                        "java.time..",
                        "java.util..")
                .orShould()
                .dependOnClassesThat()
                .resideInAnyPackage("java.util.concurrent..", "java.lang.reflect..", "java.lang.invoke..")
                .orShould()
                .callMethod(System.class, "currentTimeMillis")
                .orShould()
                .callMethod(System.class, "nanoTime")
                .orShould()
                .callMethod(java.time.Instant.class, "now")
                .orShould()
                .dependOnClassesThat()
                .areAssignableTo(Thread.class)
                .orShould()
                .dependOnClassesThat()
                .areAssignableTo(java.time.Clock.class)
                .check(BALLAST);
    }

    @Test
    void the_kernel_and_the_runtime_never_see_a_venues_wire_types() {
        // Venue-neutral ports in core (ExchangeGateway, FeedEvent) are all they know; only the composition root (the
        // commands) names a venue's adapter to build it.
        noClasses()
                .that()
                .resideInAnyPackage(
                        "ballast.kernel..", "ballast.app.run..", "ballast.app.live..", "ballast.app.venue..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("ballast.exchange.binance..")
                .check(BALLAST);
    }

    @Test
    void no_fields_of_binary_floating_point() {
        noFields().should().haveRawType(BINARY_FLOAT).check(BALLAST);
    }

    @Test
    void no_methods_taking_or_returning_binary_floating_point() {
        noMethods().should().haveRawReturnType(BINARY_FLOAT).check(BALLAST);
        noMethods()
                .should(com.tngtech.archunit.lang.conditions.ArchConditions.have(DescribedPredicate.describe(
                        "a double or float parameter",
                        m -> m.getRawParameterTypes().stream().anyMatch(BINARY_FLOAT))))
                .check(BALLAST);
    }

    @Test
    void no_conversions_between_big_decimal_and_binary_floating_point() {
        noClasses()
                .should()
                .callMethod(BigDecimal.class, "valueOf", double.class)
                .orShould()
                .callConstructor(BigDecimal.class, double.class)
                .orShould()
                .callMethod(BigDecimal.class, "doubleValue")
                .orShould()
                .callMethod(BigDecimal.class, "floatValue")
                .check(BALLAST);
    }
}
