package org.fhiranchor.server.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape of the code, checked on the compiled main classes of the three Java modules: the libraries
 * (anchor-module, ipfs) know nothing of Spring, HAPI or the server, and no two packages depend on each
 * other in a circle, so a feature package can be read, tested and moved on its own.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.fhiranchor");
    }

    @Test
    void theLibrariesDoNotUseSpringHapiOrTheServer() {
        noClasses().that().resideInAnyPackage("org.fhiranchor.anchor..", "org.fhiranchor.ipfs..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "ca.uhn..",
                        "org.hl7.fhir..", "org.fhiranchor.server..")
                .because("anchor-module and ipfs are libraries a verifier or another server can use alone")
                .check(classes);
    }

    @Test
    void theAnchorLibraryDoesNotUseTheIpfsClient_norTheOtherWayRound() {
        noClasses().that().resideInAPackage("org.fhiranchor.ipfs..")
                .should().dependOnClassesThat().resideInAPackage("org.fhiranchor.anchor..")
                .check(classes);
    }

    @Test
    void theAnchorLibrarysPackagesFormNoCycle() {
        slices().matching("org.fhiranchor.anchor.(*)..").should().beFreeOfCycles().check(classes);
    }

    /**
     * Known debt, listed so that it can only shrink: {@code audit}, {@code security} and {@code consent} share the
     * request's access model (who calls: {@code AccessGrant}, {@code ClinicalReader}, {@code ResearchRequester}; what
     * was touched: {@code AccessDetails}, {@code AuditedResource}, {@code PatientCompartment}) across their
     * boundaries. Moving that model into one base package breaks the three cycles; until then these dependencies,
     * and only these, are ignored. Every other cycle fails the build.
     */
    @Test
    void theServersFeaturePackagesFormNoCycle() {
        slices().matching("org.fhiranchor.server.(*)..").should().beFreeOfCycles()
                .ignoreDependency(inPackage("org.fhiranchor.server.audit"), inPackage("org.fhiranchor.server.security"))
                .ignoreDependency(inPackage("org.fhiranchor.server.audit"), inPackage("org.fhiranchor.server.consent"))
                .ignoreDependency(inPackage("org.fhiranchor.server.consent"), inPackage("org.fhiranchor.server.audit"))
                .check(classes);
    }

    private static com.tngtech.archunit.base.DescribedPredicate<com.tngtech.archunit.core.domain.JavaClass> inPackage(String name) {
        return com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage(name);
    }
}
