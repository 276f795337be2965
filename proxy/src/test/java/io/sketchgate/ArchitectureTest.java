package io.sketchgate;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package layout of docs/architecture.md, enforced: every package names one job, and dependencies only point
 * down {@link #LAYERS}. A new import that points up, or a cycle between packages, fails the build here.
 */
class ArchitectureTest {
    /**
     * Top to bottom; a layer may use only the layers below it. Packages on one line are peers that must not use
     * each other. {@code cli} and {@code server} are the only packages that see (nearly) everything.
     */
    static final List<List<String>> LAYERS = List.of(
            List.of("cli"),
            List.of("server"),
            List.of("admin"),
            List.of("telemetry"),
            List.of("pipeline"),
            List.of("runtime"),
            List.of("rewrite"),
            List.of("uniques"),
            List.of("policy"),
            List.of("identity"),
            List.of("transport"),
            List.of("api"),
            List.of("esapi"),
            List.of("http"),
            List.of("demo", "embedded"),
            List.of("es"),
            List.of("config", "caches"));

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.sketchgate");
    }

    @Test
    void packages_formNoCycles() {
        slices().matching("io.sketchgate.(*)..").should().beFreeOfCycles().check(production);
    }

    @Test
    void dependencies_pointOnlyDownTheLayers() {
        Architectures.LayeredArchitecture layered =
                Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (List<String> peers : LAYERS) {
            for (String name : peers) {
                layered = layered.layer(name).definedBy("io.sketchgate." + name + "..");
            }
        }
        layered = layered.layer("hll").definedBy("io.sketchgate.hll..");
        for (int i = 0; i < LAYERS.size(); i++) {
            String[] below = LAYERS.subList(i + 1, LAYERS.size()).stream()
                    .flatMap(List::stream)
                    .toArray(String[]::new);
            String[] allowed = Arrays.copyOf(below, below.length + 1);
            allowed[below.length] = "hll";
            for (String name : LAYERS.get(i)) {
                layered = layered.whereLayer(name).mayOnlyAccessLayers(allowed);
            }
        }
        layered.check(production);
    }

    @Test
    void hll_dependsOnNothingOfSketchgates() {
        noClasses()
                .that()
                .resideInAPackage("io.sketchgate.hll..")
                .should()
                .dependOnClassesThat()
                .resideOutsideOfPackages("io.sketchgate.hll..", "java..", "com.clearspring..")
                .check(production);
    }

    /** Wiring is the job of {@code server} (and {@code cli}, which starts it): nothing else builds the pipeline. */
    @Test
    void onlyServerAndCli_wireThePipeline() {
        noClasses()
                .that()
                .resideOutsideOfPackages("io.sketchgate.server..", "io.sketchgate.cli..", "io.sketchgate.pipeline..")
                .should()
                .dependOnClassesThat()
                .belongToAnyOf(io.sketchgate.pipeline.Governance.class, io.sketchgate.pipeline.Governance.Builder.class)
                .check(production);
    }

    /** A cache built elsewhere would hand its upkeep to ForkJoinPool's common pool: a thread hop per request. */
    @Test
    void everyCache_isBuiltByCaches() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.sketchgate.caches..")
                .should()
                .callMethod(com.github.benmanes.caffeine.cache.Caffeine.class, "newBuilder")
                .check(production);
    }

    @Test
    void everyProductionPackage_isPlacedInALayer() {
        List<String> known = LAYERS.stream().flatMap(List::stream).toList();
        List<String> unplaced = production.stream()
                .map(c -> c.getPackageName())
                .filter(p -> p.startsWith("io.sketchgate.") && !p.startsWith("io.sketchgate.hll"))
                .map(p -> p.substring("io.sketchgate.".length()).split("\\.")[0])
                .distinct()
                .filter(p -> !known.contains(p))
                .toList();
        org.assertj.core.api.Assertions.assertThat(unplaced)
                .as("packages missing from ArchitectureTest.LAYERS and docs/architecture.md")
                .isEmpty();
    }
}
