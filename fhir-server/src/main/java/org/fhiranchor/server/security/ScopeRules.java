package org.fhiranchor.server.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilder;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderAppliesTo;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderRuleOpClassifier;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderRuleOpClassifierFinished;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleTester;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.fhiranchor.server.fhir.BulkExportContext;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;

/**
 * Turns an {@link AccessGrant} into HAPI authorization rules. The first matching rule decides;
 * whatever no rule allows is denied.
 */
public final class ScopeRules {

    static final String AUDIT_EVENT = "AuditEvent";

    /** Operations whose responses are data the caller is entitled to by the operation itself. */
    static final Set<String> OPERATIONS_WITH_OWN_RESPONSE_POLICY =
            Set.of("$research-export", "$research-export-status", "$research-export-file");

    static final String BULK_EXPORT = "$export";
    static final String VERIFY = "$verify";
    static final String BULK_EXPORT_STATUS = "$export-poll-status";

    private static final Set<RestOperationTypeEnum> SEARCHES = EnumSet.of(
            RestOperationTypeEnum.SEARCH_TYPE, RestOperationTypeEnum.SEARCH_SYSTEM, RestOperationTypeEnum.GET_PAGE);
    private static final Set<RestOperationTypeEnum> READS = EnumSet.of(
            RestOperationTypeEnum.READ,
            RestOperationTypeEnum.VREAD,
            RestOperationTypeEnum.HISTORY_INSTANCE,
            RestOperationTypeEnum.HISTORY_TYPE,
            RestOperationTypeEnum.HISTORY_SYSTEM);

    private ScopeRules() {}

    public static List<IAuthRule> forGrant(AccessGrant grant) {
        IAuthRuleBuilder rules = new RuleBuilder();
        rules.allow("capability statement").metadata();
        // The audit trail is append-only over REST: only the server itself writes AuditEvents,
        // through the DAO, which these rules never see.
        // (A restore token replays archived AuditEvents under their original ids; it never deletes.)
        if (!grant.restore()) {
            rules.deny("audit trail is append-only")
                    .create()
                    .resourcesOfType(AUDIT_EVENT)
                    .withAnyId();
            rules.deny("audit trail is append-only")
                    .write()
                    .resourcesOfType(AUDIT_EVENT)
                    .withAnyId();
        }
        rules.deny("audit trail is append-only")
                .delete()
                .resourcesOfType(AUDIT_EVENT)
                .withAnyId();
        // A patient's own access log: only the search rewritten by PatientAccessLogInterceptor.
        rules.allow("patient access log")
                .read()
                .resourcesOfType(AUDIT_EVENT)
                .withAnyId()
                .withTester(accessLogRequestsOnly());
        if (!grant.readsAuditEvents()) {
            // HAPI lets any read rule decide a page request before it sees the page: this one must
            // only judge the AuditEvents on the page, or it would refuse every next-page link.
            rules.deny("audit trail needs an explicit scope")
                    .read()
                    .resourcesOfType(AUDIT_EVENT)
                    .withAnyId()
                    .withTester(new IAuthRuleTester() {
                        @Override
                        public boolean matches(RuleTestRequest request) {
                            return request.operation != RestOperationTypeEnum.GET_PAGE;
                        }
                    });
        }
        if (grant.admin()) {
            rules.allowAll("admin");
            return rules.build();
        }
        for (SmartScope scope : grant.resourceScopes()) {
            addResourceRules(rules, scope, grant.patientId());
        }
        addBulkExportRules(rules, grant);
        if (!grant.resourceScopes().isEmpty()) {
            // Each entry of a transaction or batch is then checked against the rules above.
            rules.allow("transaction, entries by their own rules")
                    .transaction()
                    .withAnyOperation()
                    .andApplyNormalRules();
        }
        if (grant.resourceScopes().stream().anyMatch(SmartScope::readsOrSearches)) {
            // $verify for every reader: the operation itself answers 403 unless a vread of the version
            // would show it to this caller (ReaderProofAccess), and it returns proofs, not resources.
            rules.allow("proofs of what the caller may read")
                    .operation()
                    .named(VERIFY)
                    .atAnyLevel()
                    .andAllowAllResponses();
        }
        for (String operation : grant.operations()) {
            addOperationRule(rules, operation);
        }
        rules.denyAll("no scope permits this request");
        return rules.build();
    }

    private static void addResourceRules(IAuthRuleBuilder rules, SmartScope scope, String patientId) {
        boolean compartment = scope.context() == SmartScope.Context.PATIENT;
        if (compartment && (patientId == null || patientId.isBlank())) {
            return; // a patient scope without its patient limits nothing: grant nothing
        }
        IdType patient = compartment ? new IdType("Patient", patientId) : null;
        String name = scope.context().name().toLowerCase(java.util.Locale.ROOT) + "/" + scope.resourceType();
        if (scope.readsOrSearches()) {
            classify(target(rules.allow(name + " read/search").read(), scope), patient)
                    .withTester(readOrSearchTester(scope.read(), scope.search()));
        }
        if (scope.create()) {
            classify(target(rules.allow(name + " create").create(), scope), patient);
            if (!compartment) {
                target(rules.allow(name + " conditional create").createConditional(), scope);
            }
        }
        if (scope.update()) {
            classify(target(rules.allow(name + " update").write(), scope), patient)
                    .withTester(notCreate());
            if (!compartment) {
                target(rules.allow(name + " conditional update").updateConditional(), scope);
            }
            // A patch is allowed here and then checked as the update it turns into.
            rules.allow(name + " patch").patch().allRequests();
        }
        if (scope.delete()) {
            classify(target(rules.allow(name + " delete").delete(), scope), patient);
            if (!compartment) {
                target(rules.allow(name + " conditional delete").deleteConditional(), scope);
            }
        }
    }

    /**
     * Bulk Data export (docs/bulk-export.md): system-level read scopes permit {@code $export} (system,
     * {@code Patient}, {@code Group/[id]}) for the types they cover, and polling its status. Before the
     * operation rules, so that an operation scope can never widen the types.
     */
    private static void addBulkExportRules(IAuthRuleBuilder rules, AccessGrant grant) {
        Set<String> types = bulkExportTypes(grant);
        if (types.isEmpty()) {
            return;
        }
        rules.allow("bulk export of the types the scopes cover")
                .bulkExport()
                .any()
                .withResourceTypes(types);
        rules.allow("bulk export kick-off")
                .operation()
                .named(BULK_EXPORT)
                .onServer()
                .andAllowAllResponses();
        rules.allow("bulk export kick-off")
                .operation()
                .named(BULK_EXPORT)
                .onType(Patient.class)
                .andAllowAllResponses();
        rules.allow("bulk export kick-off")
                .operation()
                .named(BULK_EXPORT)
                .onInstancesOfType(Group.class)
                .andAllowAllResponses();
        // The files: Binaries that carry an export's key, and of those only the requester's (BulkExportOwnership),
        // whether or not the grant reads Binary otherwise (an auditor's does not).
        rules.allow("bulk export files")
                .read()
                .resourcesOfType("Binary")
                .withAnyId()
                .withTester(exportFilesOnly());
        rules.allow("bulk export status")
                .operation()
                .named(BULK_EXPORT_STATUS)
                .onServer()
                .andAllowAllResponses();
    }

    /**
     * The resource types a grant may bulk-export: those a {@code system/} scope lets it read or search
     * ({@code *} never covers AuditEvent); admins every type. Empty: no bulk export at all.
     */
    public static Set<String> bulkExportTypes(AccessGrant grant) {
        Set<String> all = FhirContext.forR4Cached().getResourceTypes();
        if (grant.admin()) {
            return new TreeSet<>(all);
        }
        Set<String> types = new TreeSet<>();
        for (SmartScope scope : grant.resourceScopes()) {
            if (scope.context() != SmartScope.Context.SYSTEM || !scope.readsOrSearches()) {
                continue;
            }
            if (scope.allTypes()) {
                all.stream().filter(type -> !AUDIT_EVENT.equals(type)).forEach(types::add);
            } else if (all.contains(scope.resourceType())) {
                types.add(scope.resourceType());
            }
        }
        return types;
    }

    private static <T> T target(IAuthRuleBuilderAppliesTo<T> builder, SmartScope scope) {
        return scope.allTypes() ? builder.allResources() : builder.resourcesOfType(scope.resourceType());
    }

    private static IAuthRuleBuilderRuleOpClassifierFinished classify(
            IAuthRuleBuilderRuleOpClassifier op, IdType patient) {
        return patient == null ? op.withAnyId() : op.inCompartment("Patient", patient);
    }

    private static void addOperationRule(IAuthRuleBuilder rules, String operation) {
        if (Scopes.ANY_OPERATION.equals(operation)) {
            rules.allow("any operation").operation().withAnyName().atAnyLevel().andAllowAllResponses();
        } else if (OPERATIONS_WITH_OWN_RESPONSE_POLICY.contains(operation)) {
            rules.allow("operation " + operation)
                    .operation()
                    .named(operation)
                    .atAnyLevel()
                    .andAllowAllResponses();
        } else {
            // Whatever resources the operation returns must be readable under the other rules:
            // an auditor's $verify may return proofs, never the clinical resource itself.
            rules.allow("operation " + operation)
                    .operation()
                    .named(operation)
                    .atAnyLevel()
                    .andRequireExplicitResponseAuthorization();
        }
    }

    /**
     * Only the search PatientAccessLogInterceptor rewrote. HAPI asks matchesOutput (default: true) when it judges a
     * resource being shown: without the override, any AuditEvent shown to anyone would pass as an access-log entry.
     */
    private static IAuthRuleTester accessLogRequestsOnly() {
        return new IAuthRuleTester() {
            @Override
            public boolean matches(RuleTestRequest request) {
                return PatientAccessLogInterceptor.isAccessLogRequest(request.requestDetails);
            }

            @Override
            public boolean matchesOutput(RuleTestRequest request) {
                return matches(request);
            }
        };
    }

    /**
     * Only Binaries that are export files: HAPI asks {@code matchesOutput} of the Binary read, and only a Binary
     * whose security context names an export passes (any other Binary is left to the grant's own scopes).
     */
    private static IAuthRuleTester exportFilesOnly() {
        return new IAuthRuleTester() {
            @Override
            public boolean matchesOutput(RuleTestRequest request) {
                return request.resource instanceof Binary binary
                        && BulkExportContext.EXPORT_KEY_SYSTEM.equals(
                                binary.getSecurityContext().getIdentifier().getSystem());
            }
        };
    }

    /** SMART v2 tells r (read, vread, history) from s (search); HAPI's read rule covers both. */
    private static IAuthRuleTester readOrSearchTester(boolean read, boolean search) {
        return new IAuthRuleTester() {
            @Override
            public boolean matches(RuleTestRequest request) {
                if (SEARCHES.contains(request.operation)) {
                    return search;
                }
                if (READS.contains(request.operation)) {
                    return read;
                }
                return true;
            }
        };
    }

    /** SMART's u does not include c, while HAPI's write rule covers both. */
    private static IAuthRuleTester notCreate() {
        return new IAuthRuleTester() {
            @Override
            public boolean matches(RuleTestRequest request) {
                return request.operation != RestOperationTypeEnum.CREATE;
            }
        };
    }
}
