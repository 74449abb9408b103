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
        noClasses()
                .that()
                .resideInAnyPackage("org.fhiranchor.anchor..", "org.fhiranchor.ipfs..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.springframework..", "ca.uhn..", "org.hl7.fhir..", "org.fhiranchor.server..")
                .because("anchor-module and ipfs are libraries a verifier or another server can use alone")
                .check(classes);
    }

    @Test
    void theAnchorLibraryDoesNotUseTheIpfsClient_norTheOtherWayRound() {
        noClasses()
                .that()
                .resideInAPackage("org.fhiranchor.ipfs..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.fhiranchor.anchor..")
                .check(classes);
    }

    @Test
    void theAnchorLibrarysPackagesFormNoCycle() {
        slices().matching("org.fhiranchor.anchor.(*)..")
                .should()
                .beFreeOfCycles()
                .check(classes);
    }

    /**
     * No cycle among the server's feature packages, none ignored: what security, consent and the audit trail share
     * about a request ({@code AccessDetails}, {@code AuditedResource}) lives in {@code access}, so the audit trail
     * depends on security and consent and neither depends back.
     */
    @Test
    void theServersFeaturePackagesFormNoCycle() {
        slices().matching("org.fhiranchor.server.(*)..")
                .should()
                .beFreeOfCycles()
                .check(classes);
    }
}
