package org.fhiranchor.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Operations are authorized by name, whether or not a provider for them is registered yet: each
 * role's rules are asked about a server-level call of each named operation, the way HAPI asks them
 * before it invokes the provider.
 */
class OperationPolicyTest {

    private static final FhirContext R4 = FhirContext.forR4Cached();
    private static final List<String> OPERATIONS = List.of(
            "$verify",
            "$consistency",
            "$checkpoints",
            "$audit-sweep",
            "$research-export",
            "$research-export-status",
            "$research-export-file",
            "$meta",
            "$expunge");

    /** {@code $verify} is let through for every reader; the operation then checks the version (ReaderVerifyTest). */
    private static final Map<Role, List<String>> ALLOWED = Map.of(
            Role.EHR, List.of("$meta", "$verify"),
            Role.CLINICIAN, List.of("$meta", "$verify"),
            Role.PATIENT, List.of("$verify"),
            Role.PHARMACIST, List.of("$verify"),
            Role.INSURER, List.of("$verify"),
            Role.AUDITOR, List.of("$verify", "$consistency", "$checkpoints", "$audit-sweep"),
            Role.RESEARCHER, List.of("$research-export", "$research-export-status", "$research-export-file"),
            Role.ADMIN, OPERATIONS,
            Role.RESTORE, List.of("$verify"));

    static Stream<Arguments> rolesAndOperations() {
        return Stream.of(Role.values())
                .flatMap(role -> OPERATIONS.stream()
                        .map(op -> Arguments.of(role, op, ALLOWED.get(role).contains(op))));
    }

    @ParameterizedTest(name = "{0} {1} allowed={2}")
    @MethodSource("rolesAndOperations")
    void operationsByName(Role role, String operation, boolean allowed) {
        AccessGrant grant = AccessGrant.of(Jwt.withTokenValue("t")
                .header("alg", "ES256")
                .subject("policy-test")
                .claim("scope", role.scopeClaim())
                .claim("patient", "p1")
                .issuedAt(Instant.now())
                .expiresAt(Instant.now().plusSeconds(60))
                .build());
        List<IAuthRule> rules = ScopeRules.forGrant(grant);
        AuthorizationInterceptor interceptor = new AuthorizationInterceptor(PolicyEnum.DENY) {
            @Override
            public List<IAuthRule> buildRuleList(ca.uhn.fhir.rest.api.server.RequestDetails request) {
                return rules;
            }
        };
        SystemRequestDetails request = new SystemRequestDetails();
        request.setFhirContext(R4);
        request.setRestOperationType(RestOperationTypeEnum.EXTENDED_OPERATION_SERVER);
        request.setOperation(operation);

        AuthorizationInterceptor.Verdict verdict = interceptor.applyRulesAndReturnDecision(
                RestOperationTypeEnum.EXTENDED_OPERATION_SERVER,
                request,
                null,
                null,
                null,
                Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED);

        assertThat(verdict.getDecision()).isEqualTo(allowed ? PolicyEnum.ALLOW : PolicyEnum.DENY);
    }
}
